"""The claims API under /api/v1/claims.

Client tokens submit claims (one, or a file), list and read their own, answer a rejection
once, and ask for pre-authorisations; the after-sales team (staff, admin) decides claims in
review and pre-authorisation requests; other internal roles read. Another client's id: 404.
Errors follow flask-smorest: a refused claim has its field errors under errors.json.<field>;
a refused upload errors.rows = [{"row": n, "errors": [...]}] or errors.file.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..api.auth import api_roles
from ..auth.access import ANY_ROLE
from ..clients.models import Client
from ..extensions import csrf, db
from ..i18n import current_locale
from ..jobs.api import accepted, background_requested
from ..jobs.schemas import BackgroundSchema, JobSchema, background_field
from .importer import ImportFailed, import_claims
from .intake import ClaimInput
from .jobs import start_import
from .models import PreAuthorisation
from .preauth import PreAuthInput, PreAuthInvalid, decide_preauth, request_preauth
from .review import TEAM_ROLES, ReviewError, accept, adjust, answer, reject
from .schemas import (
    AnswerInSchema,
    ClaimInSchema,
    ClaimQuerySchema,
    ClaimSchema,
    DecisionInSchema,
    ClaimImportFileSchema,
    ClaimImportResultSchema,
    PreAuthDecisionSchema,
    PreAuthInSchema,
    PreAuthSchema,
)
from . import services
from .services import (
    CLIENT_ROLES,
    ClaimFilters,
    ClaimsInvalid,
    claims_query,
    get_claim,
    intake_context,
    reason_texts,
    scheme_keys,
    submit_claims,
)

blp = Blueprint("api_claims", __name__, description="Repair claims, their decisions and pre-authorisations")
csrf.exempt(blp)


def _out(claim, keys) -> dict:
    texts = reason_texts(keys.get(claim.contract_id), claim.reasons, current_locale())
    return {
        "id": claim.id, "ref": claim.ref, "client_code": claim.client.code, "station": claim.station.code,
        "serial": claim.serial, "repair_date": claim.repair_date, "submitted_on": claim.submitted_on,
        "fault_cause": claim.fault_cause, "repair_level": claim.repair_level,
        "repaired_category": claim.repaired_category,
        "parts": [{"part_number": p.part.number, "category": p.part.category, "quantity": p.quantity}
                  for p in claim.parts],
        "currency": claim.currency, "claimed_labour": claim.claimed_labour, "claimed_parts": claim.claimed_parts,
        "claimed_handling": claim.claimed_handling, "claimed_amount": claim.claimed_amount,
        "schedule_amount": claim.schedule_amount, "adjusted_amount": claim.adjusted_amount,
        "status": claim.status, "decided_on": claim.decided_on,
        "reasons": [{"key": key, "text": text} for key, text in zip(claim.reasons or (), texts)],
        "signals": list(claim.signals or ()), "staff_comment": claim.staff_comment, "answer": claim.answer,
        "preauthorisation": claim.preauthorisation.ref if claim.preauthorisation else None,
    }


def _one(claim_id: int) -> dict:
    claim = get_claim(claim_id)
    return _out(claim, scheme_keys([claim.contract_id]))


def _client() -> Client:
    return db.session.get(Client, current_user.client_id)


@blp.route("/")
class Claims(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(ClaimQuerySchema, location="query")
    @blp.response(200, ClaimSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List claims, newest first (filters: status, client, station, cause, signal, repair dates, serial)."""
        filters = ClaimFilters(
            status=args.get("status"), client_id=None if current_user.is_client else args.get("client_id"),
            station_id=args.get("station_id"), fault_cause=args.get("fault_cause"), signal=args.get("signal"),
            date_from=args.get("date_from"), date_to=args.get("date_to"), serial=args.get("serial"))
        from sqlalchemy.orm import selectinload

        from .models import Claim

        stmt = claims_query(filters).options(selectinload(Claim.parts), joinedload(Claim.preauthorisation))
        page = db.paginate(stmt, page=pagination_parameters.page, per_page=pagination_parameters.page_size,
                           error_out=False)
        pagination_parameters.item_count = page.total
        keys = scheme_keys(c.contract_id for c in page.items)
        return [_out(c, keys) for c in page.items]

    @api_roles(*CLIENT_ROLES)
    @blp.arguments(ClaimInSchema)
    @blp.response(201, ClaimSchema)
    def post(self, data):
        """Submit one claim: checked, stored and adjudicated at once (201 with the decision)."""
        data = dict(data)
        data["parts"] = [(p["part_number"], p["quantity"]) for p in data["parts"]]
        try:
            ids, _outcome = submit_claims(_client(), [ClaimInput(**data)], current_user)
        except ClaimsInvalid as exc:
            db.session.rollback()
            errors = {"json": exc.rows.get(0, {})} if exc.rows else {"json": {"client": exc.general}}
            abort(409 if exc.general else 422, message=" ".join(exc.general) or _("The claim was not submitted."),
                  errors=errors)
        db.session.commit()
        return _one(ids[0])


@blp.route("/<int:claim_id>")
class ClaimView(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, ClaimSchema)
    def get(self, claim_id: int):
        """One claim with its amounts side by side, reasons (in your language) and signals."""
        return _one(claim_id)


@blp.route("/<int:claim_id>/decision")
class ClaimDecision(MethodView):
    @api_roles(*TEAM_ROLES)
    @blp.arguments(DecisionInSchema)
    @blp.response(200, ClaimSchema)
    def post(self, data, claim_id: int):
        """Accept, adjust (amount ≤ claimed, comment) or reject (comment) a claim in review."""
        claim = get_claim(claim_id)
        try:
            if data["action"] == "accept":
                accept(claim, current_user, services.today(), data["comment"])
            elif data["action"] == "adjust":
                adjust(claim, current_user, services.today(), data["amount"] if data["amount"] is not None else "",
                       data["comment"])
            else:
                reject(claim, current_user, services.today(), data["comment"])
        except ReviewError as exc:
            db.session.rollback()
            abort(409 if exc.field == "action" else 422, message=exc.message, errors={"json": {exc.field: [exc.message]}})
        db.session.commit()
        return _one(claim_id)


@blp.route("/<int:claim_id>/answer")
class ClaimAnswer(MethodView):
    @api_roles(*CLIENT_ROLES)
    @blp.arguments(AnswerInSchema)
    @blp.response(200, ClaimSchema)
    def post(self, data, claim_id: int):
        """Answer a rejection once with more information: the claim goes back to review."""
        claim = get_claim(claim_id)
        try:
            answer(claim, current_user, data["answer"])
        except ReviewError as exc:
            db.session.rollback()
            abort(409 if exc.field == "answer" and (data["answer"] or "").strip() else 422, message=exc.message,
                  errors={"json": {"answer": [exc.message]}})
        db.session.commit()
        return _one(claim_id)


class ClaimUploadSchema(ClaimImportFileSchema):
    background = background_field()


@blp.route("/import")
class ClaimImport(MethodView):
    @api_roles(*CLIENT_ROLES)
    @blp.arguments(ClaimUploadSchema, location="files")
    @blp.arguments(BackgroundSchema, location="query")
    @blp.response(201, ClaimImportResultSchema)
    @blp.alt_response(202, schema=JobSchema, description="background=true: the import job, queued (Location: the job).")
    def post(self, files, query):
        """Upload claims from a CSV or XLSX file: every row, or none.

        By default the claims are submitted within the request (201 with the counts). With
        background=true (query parameter or form field) only the file's header is checked at
        once (422 with errors.file when unusable); the upload then runs as a background job for
        your company: 202 with the job and a Location header to GET /api/v1/jobs/{job_id},
        whose result ends with the counts (ok true) or the bad rows (ok false; nothing
        submitted)."""
        upload = files["file"]
        if background_requested(query):
            return accepted(start_import(upload.stream, upload.filename or "", _client().id, current_user.id))
        try:
            outcome = import_claims(_client(), upload.stream, upload.filename or "", current_user)
        except ImportFailed as exc:
            db.session.rollback()
            abort(422, message=exc.message, errors=exc.as_dict())
        db.session.commit()
        return {"claims": len(outcome.ids), "accepted": outcome.accepted, "rejected": outcome.rejected,
                "review": outcome.review}


def _preauth_out(p: PreAuthorisation) -> dict:
    return {"id": p.id, "ref": p.ref, "client_code": p.client.code, "station": p.station.code, "serial": p.serial,
            "repair_level": p.repair_level, "planned_repair": p.planned_repair,
            "estimated_amount": p.estimated_amount, "currency": p.currency, "status": p.status, "comment": p.comment}


def _get_preauth(preauth_id: int) -> PreAuthorisation:
    return db.one_or_404(select(PreAuthorisation).where(PreAuthorisation.id == preauth_id).options(
        joinedload(PreAuthorisation.client), joinedload(PreAuthorisation.station)))


@blp.route("/preauthorisations")
class PreAuths(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, PreAuthSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Pre-authorisation requests, newest first."""
        stmt = select(PreAuthorisation).options(joinedload(PreAuthorisation.client),
                                                joinedload(PreAuthorisation.station)).order_by(PreAuthorisation.id.desc())
        page = db.paginate(stmt, page=pagination_parameters.page, per_page=pagination_parameters.page_size,
                           error_out=False)
        pagination_parameters.item_count = page.total
        return [_preauth_out(p) for p in page.items]

    @api_roles(*CLIENT_ROLES)
    @blp.arguments(PreAuthInSchema)
    @blp.response(201, PreAuthSchema)
    def post(self, data):
        """Ask for pre-authorisation of a repair."""
        client = _client()
        try:
            ctx = intake_context(client)
            preauth = request_preauth(client.id, ctx.contract.currency, PreAuthInput(**data), current_user)
        except ClaimsInvalid as exc:
            abort(409, message=" ".join(exc.general))
        except PreAuthInvalid as exc:
            db.session.rollback()
            abort(422, message=_("The request was not sent."), errors={"json": dict(exc.errors)})
        db.session.commit()
        return _preauth_out(_get_preauth(preauth.id))


@blp.route("/preauthorisations/<int:preauth_id>")
class PreAuthView(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, PreAuthSchema)
    def get(self, preauth_id: int):
        """One pre-authorisation request."""
        return _preauth_out(_get_preauth(preauth_id))


@blp.route("/preauthorisations/<int:preauth_id>/decision")
class PreAuthDecision(MethodView):
    @api_roles(*TEAM_ROLES)
    @blp.arguments(PreAuthDecisionSchema)
    @blp.response(200, PreAuthSchema)
    def post(self, data, preauth_id: int):
        """Approve or decline (with a comment) a pending request."""
        preauth = _get_preauth(preauth_id)
        try:
            decide_preauth(preauth, current_user, data["action"] == "approve", data["comment"])
        except ReviewError as exc:
            db.session.rollback()
            abort(409 if exc.field == "action" else 422, message=exc.message,
                  errors={"json": {exc.field: [exc.message]}})
        db.session.commit()
        return _preauth_out(_get_preauth(preauth_id))
