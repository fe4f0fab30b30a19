"""The audit log page for administrators: /admin/audit, filtered by action, user, client and
dates (days in the portal's time zone), paginated, and downloadable as a spreadsheet."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import Blueprint, current_app, render_template, request
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from wtforms import SelectField, StringField
from wtforms.fields import DateField
from wtforms.validators import Length, Optional, ValidationError

from .audit import AuditEntry
from .auth.access import roles_required
from .clients.models import Client
from .extensions import db
from .i18n import date_
from .labels import label
from .tabular import spreadsheet_response

bp = Blueprint("audit", __name__)
DOWNLOAD_MAX = 100_000


class AuditFilterForm(FlaskForm):
    """The log's filters (GET; no CSRF token)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), choices=[], validate_choice=False)
    user = StringField(_l("User e-mail contains"), validators=[Optional(), Length(max=254)])
    client = SelectField(_l("Client"), choices=[], validate_choice=False)
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])

    def validate_until(self, field) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("The end comes before the start."))


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    user: str = ""
    client_id: int | None = None
    since: date | None = None
    until: date | None = None


def _local_midnight(day: date) -> datetime:
    """The start of `day` in the portal's time zone, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=get_timezone())


def audit_query(filters: AuditFilters):
    stmt = select(AuditEntry).options(joinedload(AuditEntry.client)).order_by(AuditEntry.at.desc(),
                                                                             AuditEntry.id.desc())
    if filters.action:
        stmt = stmt.where(AuditEntry.action == filters.action)
    if filters.user:
        stmt = stmt.where(func.lower(AuditEntry.user_email).contains(filters.user.lower(), autoescape=True))
    if filters.client_id:
        stmt = stmt.where(AuditEntry.client_id == filters.client_id)
    if filters.since:
        stmt = stmt.where(AuditEntry.at >= _local_midnight(filters.since))
    if filters.until:
        stmt = stmt.where(AuditEntry.at < _local_midnight(filters.until + timedelta(days=1)))
    return stmt


def _filters_from(form: AuditFilterForm, clients: list) -> AuditFilters:
    form.validate()  # marks an unreadable date or a reversed range; the other filters still apply
    actions = sorted(db.session.scalars(select(AuditEntry.action).distinct()))
    form.action.choices = [("", _("All actions"))] + [(a, label("audit_action", a)) for a in actions]
    form.client.choices = [("", _("All clients"))] + [(str(c.id), f"{c.code} · {c.name}") for c in clients]
    client_id = int(form.client.data) if (form.client.data or "").isdigit() else None
    return AuditFilters(
        action=form.action.data if form.action.data in actions else "",
        user="" if form.user.errors else (form.user.data or "").strip(),
        client_id=client_id,
        since=None if form.since.errors else form.since.data,
        until=None if form.until.errors else form.until.data,
    )


def details_text(details: dict) -> str:
    return ", ".join(f"{k}: {v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)}"
                     for k, v in (details or {}).items())


@bp.get("/admin/audit")
@roles_required("admin")
def index():
    form = AuditFilterForm(request.args)
    clients = db.session.scalars(select(Client).order_by(Client.code)).all()
    filters = _filters_from(form, clients)
    fmt = request.args.get("download")
    if fmt in ("xlsx", "csv"):
        rows = db.session.scalars(audit_query(filters).limit(DOWNLOAD_MAX))
        return spreadsheet_response(
            [_("When"), _("User"), _("Client"), _("Action"), _("Code"), _("Target"), _("IP address"), _("Details")],
            ([date_(e.at, "short"), e.user_email, e.client.code if e.client else "", label("audit_action", e.action),
              e.action, e.target, e.ip, details_text(e.details)] for e in rows),
            "audit-log", fmt)
    page = db.paginate(audit_query(filters), per_page=current_app.config["PAGE_SIZE"])
    return render_template("audit/index.html", form=form, page=page, details_text=details_text)
