"""/api/v1/schemes, /api/v1/offers, /api/v1/contracts.

The installed and enabled schemes with the JSON Schema of their terms; offers made by
administrators and finance (terms validated by the scheme's own schema: 422 with the
errors field by field, in the user's language); the client administrator's choice; the
ODM's confirmation (a contract from the next period boundary) or decline; contracts
(a client user reads its own only: the tenancy hook hides the others, 404)."""
from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..api.auth import api_roles
from ..auth.access import ANY_ROLE, STAFF
from ..clients.models import Client
from ..extensions import csrf, db
from ..i18n import current_locale
from .introspect import schema_json
from .models import Offer
from .offers import (
    OfferConflict,
    OfferInvalid,
    choose_offer,
    confirm_offer,
    contracts_query,
    create_offer,
    decline_offer,
    offers_query,
)
from . import services
from .registry import current_schemes
from .schemas import (
    ContractQuerySchema,
    ContractSchema,
    DeclineSchema,
    OfferCreateSchema,
    OfferQuerySchema,
    OfferSchema,
    SchemeQuerySchema,
    SchemeSchema,
)

blp = Blueprint("api_schemes", __name__, description="Warranty schemes, offers and contracts")
csrf.exempt(blp)

MANAGERS = ("admin", "finance")
OFFER_READERS = ("client_admin",) + STAFF


def _invalid(error: OfferInvalid) -> None:
    abort(422, message=_("The data sent is not valid."), errors={"json": error.errors})


def _conflict(error: OfferConflict) -> None:
    abort(409, message=error.message)


@blp.route("/schemes")
class Schemes(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(SchemeQuerySchema, location="query")
    @blp.response(200, SchemeSchema(many=True))
    def get(self, args):
        """The schemes that may be offered (installed and enabled), with their terms schema."""
        locale = args["locale"] or current_locale()
        return [{"key": info.key, "version": info.version, "name": info.name(locale),
                 "explanation": info.explanations.get(locale) or info.explanations["en"],
                 "handles_claims": info.handles_claims,
                 "terms_schema": schema_json(info.terms_schema(), locale)}
                for info in current_schemes().enabled()]


@blp.route("/offers")
class Offers(MethodView):
    @api_roles(*OFFER_READERS)
    @blp.arguments(OfferQuerySchema, location="query")
    @blp.response(200, OfferSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Offers, newest first (a client administrator sees its own); filter by client, status."""
        statuses = (args["status"],) if args["status"] else ()
        page = db.paginate(offers_query(args["client_id"], statuses), page=pagination_parameters.page,
                           per_page=pagination_parameters.page_size, error_out=False)
        pagination_parameters.item_count = page.total
        return page.items

    @api_roles(*MANAGERS)
    @blp.arguments(OfferCreateSchema)
    @blp.response(201, OfferSchema)
    def post(self, data):
        """Offer a scheme to a client (administrators and finance)."""
        client = db.session.get(Client, data["client_id"])
        if client is None:
            _invalid(OfferInvalid({"client_id": [_("There is no such client.")]}))
        try:
            offer = create_offer(client, data["scheme_key"], data["terms"], data["currency"],
                                 data["period_kind"], current_user)
        except OfferInvalid as error:
            db.session.rollback()
            _invalid(error)
        db.session.commit()
        return offer


def _offer(offer_id: int) -> Offer:
    return db.get_or_404(Offer, offer_id)


@blp.route("/offers/<int:offer_id>")
class OfferById(MethodView):
    @api_roles(*OFFER_READERS)
    @blp.response(200, OfferSchema)
    def get(self, offer_id):
        """One offer."""
        return _offer(offer_id)


@blp.route("/offers/<int:offer_id>/choose")
class Choose(MethodView):
    @api_roles("client_admin")
    @blp.response(200, OfferSchema)
    def post(self, offer_id):
        """The client administrator chooses this offer (the ODM confirms it next)."""
        offer = _offer(offer_id)
        try:
            choose_offer(offer, current_user)
        except OfferConflict as error:
            db.session.rollback()
            _conflict(error)
        db.session.commit()
        return offer


@blp.route("/offers/<int:offer_id>/confirm")
class Confirm(MethodView):
    @api_roles(*MANAGERS)
    @blp.response(201, ContractSchema)
    def post(self, offer_id):
        """Confirm the client's choice: the contract starts on the next period boundary and
        the client's current contract ends the day before."""
        offer = _offer(offer_id)
        try:
            contract = confirm_offer(offer, current_user, services.today())
        except OfferConflict as error:
            db.session.rollback()
            _conflict(error)
        except OfferInvalid as error:
            db.session.rollback()
            _invalid(error)
        db.session.commit()
        return contract


@blp.route("/offers/<int:offer_id>/decline")
class Decline(MethodView):
    @api_roles(*MANAGERS)
    @blp.arguments(DeclineSchema)
    @blp.response(200, OfferSchema)
    def post(self, data, offer_id):
        """Decline the client's choice, with the reason the client reads."""
        offer = _offer(offer_id)
        try:
            decline_offer(offer, current_user, data["reason"])
        except OfferConflict as error:
            db.session.rollback()
            _conflict(error)
        except OfferInvalid as error:
            db.session.rollback()
            _invalid(error)
        db.session.commit()
        return offer


@blp.route("/contracts")
class Contracts(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(ContractQuerySchema, location="query")
    @blp.response(200, ContractSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Contracts, newest start first (a client's users see their own); filter by client."""
        page = db.paginate(contracts_query(args["client_id"]), page=pagination_parameters.page,
                           per_page=pagination_parameters.page_size, error_out=False)
        pagination_parameters.item_count = page.total
        return page.items
