"""Settlement pages.

Finance and administrators: the list of every settlement and credit note, computing a draft
for a client and period, reviewing it, recomputing, issuing, and correcting an issued
settlement by a credit note. Client users: their own company's issued documents (list and
detail), in their language.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from ..auth.access import roles_required
from ..clients.models import Client
from ..extensions import db
from ..i18n import current_locale, date_
from ..listing import date_filter, paginated
from ..schemes.services import today
from .engine import compute_draft
from .errors import InvalidInput, SettlementError
from .forms import ActionForm, ComputeForm, CreditNoteForm, FilterForm
from .issuing import create_credit_note, issue
from .services import (
    FINANCE,
    READERS,
    SettlementFilters,
    credit_notes_of,
    get_settlement,
    issuer_name,
    period_choices,
    present_page,
    settlements_query,
)

bp = Blueprint("settlements", __name__, template_folder="templates", url_prefix="/settlements")


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


def _clients():
    return db.session.scalars(select(Client).order_by(Client.code)).all()


def _busy() -> None:
    db.session.rollback()
    flash(_("The database was busy; nothing was changed. Please try again."), "warning")


@bp.get("/")
@roles_required(*READERS)
def index():
    internal = not current_user.is_client
    form = FilterForm(request.args)
    form.set_choices(_clients() if internal else [])
    form.validate()  # marks an unreadable date; the other filters still apply
    status = form.status.data if form.status.data in ("draft", "issued") else None
    kind = form.kind.data if form.kind.data in ("settlement", "credit_note") else None
    filters = SettlementFilters(
        client_id=_int(form.client.data) if internal else None,
        period=date_filter(form.period),
        status=status, kind=kind,
    )
    page = paginated(settlements_query(filters, issued_only=not internal))
    return render_template("settlements/index.html", form=form, page=page, internal=internal)


@bp.route("/compute", methods=["GET", "POST"])
@roles_required(*FINANCE)
def compute():
    form = ComputeForm()
    clients = [c for c in _clients() if c.active]
    form.client_id.choices = [("", _("Choose a client"))] + [(str(c.id), f"{c.code} · {c.name}") for c in clients]
    client_id = _int(form.client_id.data if form.is_submitted() else request.args.get("client_id"))
    client = next((c for c in clients if c.id == client_id), None)
    choices = period_choices(client.id, today()) if client else []
    form.client_id.data = str(client.id) if client else ""
    form.period_start.choices = [("", _("Choose a period"))] + [
        (c.period.start.isoformat(), _period_label(c)) for c in choices]
    failure = None
    if form.validate_on_submit():
        period_start = _date(form.period_start.data)
        if client is None:
            form.client_id.errors = [_("Choose a client.")]
        if period_start is None:
            form.period_start.errors = [_("Choose a period.")]
        if client is not None and period_start is not None:
            try:
                draft = compute_draft(client.id, period_start)
            except SettlementError as exc:
                db.session.rollback()
                failure = exc
                if exc.field == "period_start" and exc.scheme_key is None:
                    form.period_start.errors = [exc.message]
            except OperationalError:
                _busy()
            else:
                db.session.commit()
                flash(_("The draft settlement has been computed."), "success")
                return redirect(url_for("settlements.detail", settlement_id=draft.id))
    status = 422 if (form.is_submitted() and (failure or form.errors)) else 200
    return render_template("settlements/compute.html", form=form, client=client, failure=failure,
                           choices=choices), status


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _period_label(choice) -> str:
    text = _("%(start)s – %(end)s", start=date_(choice.period.start), end=date_(choice.period.end))
    if choice.state == "issued":
        return _("%(period)s (issued as %(number)s)", period=text, number=choice.number)
    if choice.state == "draft":
        return _("%(period)s (draft)", period=text)
    return text


@bp.get("/<int:settlement_id>")
@roles_required(*READERS)
def detail(settlement_id: int):
    internal = not current_user.is_client
    settlement = get_settlement(settlement_id, issued_only=not internal)
    return _render_detail(settlement, internal)


def _render_detail(settlement, internal: bool, failure=None, status: int = 200):
    # Long documents (thousands of repair lines) are shown a page of lines per section at a
    # time; `section` and `page` say which section's page was asked for.
    shown = present_page(settlement, current_locale(), section=request.args.get("section"),
                         page=request.args.get("page", 1, type=int))
    return render_template(
        "settlements/detail.html", settlement=settlement, shown=shown, internal=internal,
        credit_notes=credit_notes_of(settlement), issued_by=issuer_name(settlement), action=ActionForm(),
        failure=failure, today=today(),
    ), status


@bp.post("/<int:settlement_id>/recompute")
@roles_required(*FINANCE)
def recompute(settlement_id: int):
    settlement = get_settlement(settlement_id, issued_only=False)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form has expired; please try again."), "warning")
        return redirect(url_for("settlements.detail", settlement_id=settlement.id))
    if settlement.status != "draft" or settlement.kind != "settlement":
        failure = SettlementError(_("Only a draft settlement can be recomputed."), status=409)
        return _render_detail(settlement, True, failure=failure, status=409)
    client_id, period_start = settlement.client_id, settlement.period_start
    try:
        draft = compute_draft(client_id, period_start)
    except SettlementError as exc:
        db.session.rollback()
        return _render_detail(get_settlement(settlement_id, issued_only=False), True, failure=exc, status=exc.status)
    except OperationalError:
        _busy()
        return redirect(url_for("settlements.detail", settlement_id=settlement_id))
    db.session.commit()
    flash(_("The draft settlement has been recomputed."), "success")
    return redirect(url_for("settlements.detail", settlement_id=draft.id))


@bp.post("/<int:settlement_id>/issue")
@roles_required(*FINANCE)
def issue_view(settlement_id: int):
    get_settlement(settlement_id, issued_only=False)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form has expired; please try again."), "warning")
        return redirect(url_for("settlements.detail", settlement_id=settlement_id))
    user_id = current_user.id
    db.session.commit()  # end the reading transaction: issuing starts with its locks (see issuing)
    try:
        settlement = issue(settlement_id, user_id)
    except SettlementError as exc:
        db.session.rollback()
        return _render_detail(get_settlement(settlement_id, issued_only=False), True, failure=exc, status=exc.status)
    except OperationalError:
        _busy()
        return redirect(url_for("settlements.detail", settlement_id=settlement_id))
    db.session.commit()
    flash(_("Settlement %(number)s has been issued.", number=settlement.number), "success")
    return redirect(url_for("settlements.detail", settlement_id=settlement_id))


@bp.route("/<int:settlement_id>/credit-note", methods=["GET", "POST"])
@roles_required(*FINANCE)
def credit_note(settlement_id: int):
    original = get_settlement(settlement_id, issued_only=False)
    if original.status != "issued" or original.kind != "settlement":
        flash(_("Only an issued settlement can be corrected by a credit note; a draft is recomputed instead."),
              "danger")
        return redirect(url_for("settlements.detail", settlement_id=original.id))
    form = CreditNoteForm()
    form.pad_lines()
    if form.is_submitted() and form.add_line.data:
        form.pad_lines(len(form.lines) + 1)
        return render_template("settlements/credit_note.html", form=form, original=original)
    status = 200
    if form.validate_on_submit():
        reverse_all = form.mode.data == "reverse"
        lines, rows = form.typed_lines()
        user_id = current_user.id
        try:
            note = create_credit_note(original.id, user_id, reason=form.reason.data, reverse_all=reverse_all,
                                      lines=[] if reverse_all else lines)
        except InvalidInput as exc:
            db.session.rollback()
            form.show_errors(exc.errors, rows)
            status = 422
        except SettlementError as exc:
            db.session.rollback()
            form.form_errors.append(exc.message)
            status = exc.status
        except OperationalError:
            _busy()
            status = 503
        else:
            db.session.commit()
            flash(_("Credit note %(number)s has been issued.", number=note.number), "success")
            return redirect(url_for("settlements.detail", settlement_id=note.id))
    return render_template("settlements/credit_note.html", form=form, original=original), status
