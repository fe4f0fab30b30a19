"""The settlements API under /api/v1/settlements.

Reading: finance and admins see every document; client tokens see their own company's issued
settlements and credit notes only (another client's id, or a draft, answers 404).
Writing (finance and admins): compute a draft, issue it, correct an issued settlement by a
credit note. Errors follow flask-smorest: {"code", "status", "message", "errors"}; field
errors under errors.json.<field> (credit-note lines by index: errors.json.lines."0".amount); a
scheme that fails answers 422 with errors.scheme = {"key", "message"}; a document in the wrong
state answers 409.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from sqlalchemy.exc import OperationalError

from ..api.auth import api_roles
from ..extensions import csrf, db
from ..i18n import current_locale
from .engine import compute_draft
from .errors import InvalidInput, SettlementError
from .issuing import CreditLineInput, create_credit_note, issue
from .models import Settlement
from .schemas import (
    CreditNoteInSchema,
    DraftInSchema,
    SettlementQuerySchema,
    SettlementSchema,
    SettlementSummarySchema,
)
from .services import FINANCE, READERS, SettlementFilters, get_settlement, issuer_name, present, settlements_query

blp = Blueprint("api_settlements", __name__, description="Settlements and credit notes")
csrf.exempt(blp)


def _summary(s: Settlement) -> dict:
    return {"id": s.id, "kind": s.kind, "status": s.status, "number": s.number, "client_id": s.client_id,
            "client_code": s.client.code, "scheme_key": s.scheme_key, "currency": s.currency,
            "period_start": s.period_start, "period_end": s.period_end, "total": s.total,
            "issued_at": s.issued_at, "corrects_id": s.corrects_id,
            "corrects_number": s.corrects.number if s.corrects else None}


def _params(params: dict) -> dict:
    return {name: value if isinstance(value, (str, int)) else str(value) for name, value in params.items()}


def _detail(s: Settlement) -> dict:
    shown = present(s, current_locale())
    data = _summary(s)
    data.update(
        scheme_name=shown.scheme_name, issued_by=issuer_name(s) or None, reason=s.reason,
        prev_hash=s.prev_hash, hash=s.hash, ledger=s.ledger or [], rejected_claims=shown.rejected,
        lines=[{"position": line.position, "section": section.key, "section_title": section.title,
                "description_key": line.description_key, "description": line.description,
                "params": _params(line.params), "reference": line.reference, "quantity": line.quantity,
                "unit_price": line.unit_price, "direction": line.direction, "amount": line.amount,
                "currency": s.currency}
               for section in shown.sections for line in section.lines],
    )
    data["lines"].sort(key=lambda line: line["position"])
    return data


def _fail(exc: SettlementError):
    db.session.rollback()
    if exc.scheme_key:
        abort(422, message=exc.message, errors={"scheme": {"key": exc.scheme_key, "message": exc.message}})
    if isinstance(exc, InvalidInput):
        abort(422, message=exc.message, errors={"json": {k: _string_keys(v) for k, v in exc.errors.items()}})
    if exc.field and exc.status == 422:
        abort(422, message=exc.message, errors={"json": {exc.field: [exc.message]}})
    abort(exc.status, message=exc.message)


def _busy():
    db.session.rollback()
    abort(503, message=_("The database was busy; nothing was changed. Please try again."))


def _string_keys(errors):
    if isinstance(errors, dict):
        return {str(k): _string_keys(v) for k, v in errors.items()}
    return errors


@blp.route("/")
class Settlements(MethodView):
    @api_roles(*READERS)
    @blp.arguments(SettlementQuerySchema, location="query")
    @blp.response(200, SettlementSummarySchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List settlements and credit notes, newest period first."""
        internal = not current_user.is_client
        filters = SettlementFilters(client_id=args.get("client_id") if internal else None,
                                    period=args.get("period"), status=args.get("status"), kind=args.get("kind"))
        if not internal and filters.status == "draft":
            pagination_parameters.item_count = 0
            return []
        page = db.paginate(settlements_query(filters, issued_only=not internal), page=pagination_parameters.page,
                           per_page=pagination_parameters.page_size, error_out=False)
        pagination_parameters.item_count = page.total
        return [_summary(s) for s in page.items]


@blp.route("/<int:settlement_id>")
class SettlementView(MethodView):
    @api_roles(*READERS)
    @blp.response(200, SettlementSchema)
    def get(self, settlement_id: int):
        """One settlement or credit note with its lines (described in the reader's language)."""
        return _detail(get_settlement(settlement_id, issued_only=current_user.is_client))


@blp.route("/drafts")
class Drafts(MethodView):
    @api_roles(*FINANCE)
    @blp.arguments(DraftInSchema)
    @blp.response(201, SettlementSchema)
    @blp.alt_response(422, description="Bad input (errors.json), or the scheme failed (errors.scheme).")
    @blp.alt_response(409, description="The period has already been issued.")
    def post(self, data):
        """Compute (or recompute) the draft of a client's period; nothing is written on failure."""
        try:
            draft = compute_draft(data["client_id"], data["period_start"])
        except SettlementError as exc:
            if exc.status == 404:
                exc = SettlementError(exc.message, field=exc.field or "client_id")
            _fail(exc)
        except OperationalError:
            _busy()
        db.session.commit()
        return _detail(get_settlement(draft.id, issued_only=False))


@blp.route("/<int:settlement_id>/issue")
class Issue(MethodView):
    @api_roles(*FINANCE)
    @blp.response(200, SettlementSchema)
    @blp.alt_response(409, description="Not a draft any more, or the period is already issued.")
    def post(self, settlement_id: int):
        """Issue a draft: it gets its number and hash and never changes again."""
        get_settlement(settlement_id, issued_only=False)
        user_id = current_user.id
        db.session.commit()  # end the reading transaction: issuing starts with its locks
        try:
            issue(settlement_id, user_id)
        except SettlementError as exc:
            _fail(exc)
        except OperationalError:
            _busy()
        db.session.commit()
        return _detail(get_settlement(settlement_id, issued_only=False))


@blp.route("/<int:settlement_id>/credit-notes")
class CreditNotes(MethodView):
    @api_roles(*FINANCE)
    @blp.arguments(CreditNoteInSchema)
    @blp.response(201, SettlementSchema)
    @blp.alt_response(409, description="The document is a draft or a credit note.")
    def post(self, data, settlement_id: int):
        """Issue a credit note correcting an issued settlement: typed lines, or reverse_all."""
        get_settlement(settlement_id, issued_only=False)
        lines = [CreditLineInput(line["description"], line["direction"], line["amount"]) for line in data["lines"]]
        try:
            note = create_credit_note(settlement_id, current_user.id, reason=data["reason"],
                                      reverse_all=data["reverse_all"], lines=lines)
        except SettlementError as exc:
            _fail(exc)
        except OperationalError:
            _busy()
        db.session.commit()
        return _detail(get_settlement(note.id, issued_only=False))
