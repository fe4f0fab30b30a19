"""Claim pages: list (client: its own; team: all) with filters and XLSX export, new claim,
bulk upload, detail with the team's decision and the client's answer, attachments."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from contracts.domain import FAULT_CAUSES

from ..auth.access import ANY_ROLE, roles_required
from ..clients.models import Client
from ..extensions import db
from ..i18n import current_locale
from ..labels import label
from ..listing import date_filter, paginated
from ..network.models import ClientStation
from ..storage import storage
from ..tabular import spreadsheet_response
from .attachments import Upload
from .export import export_headers, export_rows
from .forms import AnswerForm, ClaimForm, DecisionForm, FilterForm, ImportForm
from .importer import COLUMNS, EXAMPLE_ROW
from .jobs import start_import
from .models import CLAIM_STATUSES, SIGNALS, ClaimAttachment
from .review import TEAM_ROLES, ReviewError, accept, adjust, answer, reject
from . import services
from .services import (
    CLIENT_ROLES,
    ClaimFilters,
    ClaimsInvalid,
    approved_preauths,
    claims_query,
    get_claim,
    intake_context,
    reason_texts,
    scheme_keys,
    submit_claim,
)

bp = Blueprint("claims", __name__, template_folder="templates", url_prefix="/claims")
VIEW_ROLES = ANY_ROLE


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _filters() -> tuple[FilterForm, ClaimFilters]:
    internal = not current_user.is_client
    form = FilterForm(request.args)
    form.status.choices = [("", _("All"))] + [(s, label("claim_status", s)) for s in CLAIM_STATUSES]
    form.cause.choices = [("", _("All"))] + [(c, label("fault_cause", c)) for c in FAULT_CAUSES]
    form.signal.choices = [("", _("All"))] + [(s, label("claim_signal", s)) for s in SIGNALS]
    stations = db.session.scalars(select(ClientStation).order_by(ClientStation.client_id, ClientStation.code)).all()
    form.station.choices = [("", _("All"))] + [(str(s.id), s.code + " · " + s.name) for s in stations]
    if internal:
        clients = db.session.scalars(select(Client).order_by(Client.code)).all()
        form.client.choices = [("", _("All clients"))] + [(str(c.id), f"{c.code} · {c.name}") for c in clients]
    form.validate()
    filters = ClaimFilters(
        status=form.status.data if form.status.data in CLAIM_STATUSES else None,
        client_id=_int(form.client.data) if internal else None,
        station_id=_int(form.station.data),
        fault_cause=form.cause.data if form.cause.data in FAULT_CAUSES else None,
        signal=form.signal.data if form.signal.data in SIGNALS else None,
        date_from=date_filter(form.date_from),
        date_to=date_filter(form.date_to),
        serial=(form.serial.data or "").strip() or None,
    )
    return form, filters


@bp.get("/")
@roles_required(*VIEW_ROLES)
def index():
    form, filters = _filters()
    page = paginated(claims_query(filters))
    return render_template("claims/index.html", form=form, page=page, internal=not current_user.is_client,
                           can_submit=current_user.role in CLIENT_ROLES)


@bp.get("/export.xlsx")
@roles_required(*VIEW_ROLES)
def export():
    _form, filters = _filters()
    claims = db.session.scalars(claims_query(filters).limit(100_000)).unique().all()
    return spreadsheet_response(export_headers(), export_rows(claims, current_locale()), "claims", "xlsx")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*CLIENT_ROLES)
def new():
    client = db.get_or_404(Client, current_user.client_id)
    try:
        ctx = intake_context(client)
    except ClaimsInvalid as exc:
        return render_template("claims/no_contract.html", messages=exc.general), 409
    form = ClaimForm()
    stations = [s for s in ctx.stations.values() if s.active]
    form.set_choices(sorted(stations, key=lambda s: s.code), approved_preauths(client.id), ctx.contract)
    if form.validate_on_submit():
        uploads = [Upload(f.filename or "", f.stream) for f in (form.attachments.data or []) if getattr(f, "filename", "")]
        try:
            claim = submit_claim(client, form.to_input(), current_user, uploads)
        except ClaimsInvalid as exc:
            db.session.rollback()
            form.show_errors(exc.rows.get(0, {}))
            form.form_errors.extend(exc.general)
        else:
            db.session.commit()
            flash(_("Claim %(ref)s has been submitted: %(status)s.", ref=claim.ref,
                    status=label("claim_status", claim.status)), "success")
            return redirect(url_for("claims.detail", claim_id=claim.id))
    return render_template("claims/new.html", form=form, contract=ctx.contract), 422 if form.errors else 200


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*CLIENT_ROLES)
def import_file():
    """Check the file cheaply here, then import it in the background for the user's own
    company (portal/claims/jobs.py) and show the job's page, which ends with the outcome."""
    client = db.get_or_404(Client, current_user.client_id)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        filename = upload.filename or ""
        job_id, form.file.errors = start_import(upload.stream, filename, client.id, current_user.id)
        if job_id is not None:
            db.session.commit()
            return redirect(url_for("jobs.show", job_id=job_id))
    return render_template("claims/import.html", form=form), 422 if form.errors else 200


@bp.get("/import/template.<any(csv, xlsx):fmt>")
@roles_required(*CLIENT_ROLES)
def import_template(fmt: str):
    return spreadsheet_response(list(COLUMNS), [EXAMPLE_ROW], "claims-import-template", fmt)


@bp.get("/<int:claim_id>")
@roles_required(*VIEW_ROLES)
def detail(claim_id: int):
    claim = get_claim(claim_id)
    return _detail(claim)


def _detail(claim, decision_form=None, answer_form=None, status=200):
    key = scheme_keys([claim.contract_id]).get(claim.contract_id)
    locale = current_locale()
    return render_template(
        "claims/detail.html", claim=claim, reasons=reason_texts(key, claim.reasons, locale),
        decision_form=decision_form or DecisionForm(), answer_form=answer_form or AnswerForm(),
        can_decide=current_user.role in TEAM_ROLES and claim.status == "review",
        can_answer=current_user.role in CLIENT_ROLES and claim.can_be_answered,
    ), status


@bp.post("/<int:claim_id>/decision")
@roles_required(*TEAM_ROLES)
def decide(claim_id: int):
    claim = get_claim(claim_id)
    form = DecisionForm()
    action = request.form.get("action")
    try:
        if action == "accept":
            accept(claim, current_user, services.today(), form.comment.data)
        elif action == "adjust":
            adjust(claim, current_user, services.today(), form.amount.data or "", form.comment.data)
        elif action == "reject":
            reject(claim, current_user, services.today(), form.comment.data)
        else:
            abort(400)
    except ReviewError as exc:
        db.session.rollback()
        claim = get_claim(claim_id)
        target = form.amount if exc.field == "amount" else form.comment
        target.errors = [exc.message]
        return _detail(claim, decision_form=form, status=422)
    db.session.commit()
    flash(_("Claim %(ref)s: %(status)s.", ref=claim.ref, status=label("claim_status", claim.status)), "success")
    return redirect(url_for("claims.detail", claim_id=claim.id))


@bp.post("/<int:claim_id>/answer")
@roles_required(*CLIENT_ROLES)
def answer_rejection(claim_id: int):
    claim = get_claim(claim_id)
    form = AnswerForm()
    try:
        answer(claim, current_user, form.answer.data)
    except ReviewError as exc:
        db.session.rollback()
        form.answer.errors = [exc.message]
        return _detail(get_claim(claim_id), answer_form=form, status=422)
    db.session.commit()
    flash(_("Your answer has been sent; the claim is back in review."), "success")
    return redirect(url_for("claims.detail", claim_id=claim.id))


@bp.get("/<int:claim_id>/attachments/<int:attachment_id>")
@roles_required(*VIEW_ROLES)
def attachment(claim_id: int, attachment_id: int):
    found = db.one_or_404(select(ClaimAttachment).where(ClaimAttachment.id == attachment_id,
                                                        ClaimAttachment.claim_id == claim_id))
    try:
        handle = storage().open(found.storage_key)
    except KeyError:
        abort(404)
    return send_file(handle, mimetype=found.content_type, as_attachment=True, download_name=found.filename)


from . import preauth_views  # noqa: E402,F401  (the pre-authorisation pages on this blueprint)
