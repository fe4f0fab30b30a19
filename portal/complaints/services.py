"""The complaint workflow, without Flask request objects: open, then the team's actions
through the transition table (portal.complaints.states)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..catalogue.models import Batch, ProductModel
from ..clients.models import Client
from ..db import utcnow
from ..extensions import db
from . import states
from .models import DEPARTMENTS, ESCALATION_TEAMS, LEVELS, RESPONSIBILITIES, Complaint

DEFAULT_DEADLINE_HOURS = {"urgent": 24, "high": 72, "normal": 168}
MINOR_UNITS = {"JPY": 0}


class ComplaintError(ValueError):
    """A refused action; the message is translated and nothing was changed."""


def deadline_hours(level: str) -> int:
    hours = {**DEFAULT_DEADLINE_HOURS, **current_app.config.get("COMPLAINT_DEADLINE_HOURS", {})}
    return int(hours[level])


def split_codes(text: str) -> list[str]:
    return [c.strip() for c in text.replace(";", ",").replace("\n", ",").split(",") if c.strip()]


@dataclass
class ComplaintInput:
    title: str
    description: str
    level: str
    models_text: str = ""
    serials_text: str = ""
    batches_text: str = ""
    category: str | None = None
    fault_cause: str | None = None


def open_complaint(client: Client, data: ComplaintInput, user=None, now: datetime | None = None) -> Complaint:
    """Create an open complaint; the deadline follows its level. Unknown model or batch codes
    are refused (ComplaintError naming them)."""
    now = now or utcnow()
    if data.level not in LEVELS:
        raise ComplaintError(_("Unknown level %(level)s.", level=data.level))
    models = split_codes(data.models_text)
    batches = split_codes(data.batches_text)
    known_models = dict(db.session.execute(select(ProductModel.code, ProductModel.id)
                                           .where(ProductModel.code.in_(models))).all()) if models else {}
    known_batches = dict(db.session.execute(select(Batch.code, Batch.id)
                                            .where(Batch.code.in_(batches))).all()) if batches else {}
    unknown = [c for c in models if c not in known_models] + [c for c in batches if c not in known_batches]
    if unknown:
        raise ComplaintError(_("Unknown model or batch: %(codes)s.", codes=", ".join(unknown)))
    complaint = Complaint(
        client_id=client.id, title=data.title.strip(), description=data.description.strip(), level=data.level,
        models_text=", ".join(models), serials_text=data.serials_text.strip(), batches_text=", ".join(batches),
        model_id=known_models[models[0]] if models else None,
        batch_id=known_batches[batches[0]] if batches else None,
        category=data.category or None, fault_cause=data.fault_cause or None, status="open",
        opened_on=now.date(), due_at=now + timedelta(hours=deadline_hours(data.level)),
        created_by_id=getattr(user, "id", None), created_at=now,
    )
    db.session.add(complaint)
    db.session.flush()
    audit.record("complaint.open", complaint, user=user, level=data.level)
    return complaint


def _require(value, message):
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ComplaintError(message)


def apply(complaint: Complaint, action: str, user=None, now: datetime | None = None, **values) -> Complaint:
    """Take `action` on `complaint` if the table allows it; checks every value before changing
    anything, so a refusal leaves the complaint as it was."""
    now = now or utcnow()
    new_status = states.target(action, complaint.status)
    if new_status is None:
        raise ComplaintError(_("A complaint in status “%(status)s” cannot be “%(action)s”.",
                               status=_(complaint.status), action=str(states.ACTION_LABELS.get(action, action))))
    changes: dict = {}
    details: dict = {}
    if action == "analyse" or action == "resolve":
        responsibility = values.get("responsibility") or complaint.responsibility
        department = values.get("department") or complaint.department
        if responsibility is not None and responsibility not in RESPONSIBILITIES:
            raise ComplaintError(_("Choose who is responsible."))
        if department is not None and department not in DEPARTMENTS:
            raise ComplaintError(_("Choose the department inside the ODM."))
        if responsibility == "odm" and action == "resolve" and not department:
            raise ComplaintError(_("Name the ODM department responsible."))
        for name in ("emergency_fix", "root_cause", "improvement_plan"):
            if values.get(name) is not None:
                changes[name] = values[name].strip()
        changes["responsibility"] = responsibility
        changes["department"] = department if responsibility == "odm" else None
        if action == "resolve":
            _require(changes.get("emergency_fix", complaint.emergency_fix), _("Record the emergency fix first."))
            _require(changes.get("root_cause", complaint.root_cause), _("Record the root cause first."))
            _require(responsibility, _("Choose who is responsible."))
            changes["resolved_at"] = now
    elif action == "escalate":
        team, assignee, due = values.get("team"), values.get("assignee"), values.get("due")
        if team not in ESCALATION_TEAMS:
            raise ComplaintError(_("Escalate to quality or R&D."))
        if assignee is None or assignee.is_client or not assignee.active:
            raise ComplaintError(_("The assignee must be an active internal user."))
        if not isinstance(due, date) or due < now.date():
            raise ComplaintError(_("The due date must be today or later."))
        changes.update(escalated_to=team, assignee_id=assignee.id, escalation_due=due)
        details = {"team": team, "assignee": assignee.email, "due": due.isoformat()}
    elif action == "compensate":
        amount = values.get("amount")
        if not isinstance(amount, Decimal) or amount <= 0:
            raise ComplaintError(_("The compensation must be an amount above zero."))
        currency = complaint.client.currency
        exponent = Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))
        if amount != amount.quantize(exponent, rounding=ROUND_HALF_UP):
            raise ComplaintError(_("The amount has more decimals than %(currency)s allows.", currency=currency))
        changes.update(compensation_amount=amount, compensation_currency=currency,
                       compensation_agreed_on=values.get("on") or now.date())
        details = {"amount": str(amount), "currency": currency}
    elif action == "close":
        score = values.get("satisfaction")
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
            raise ComplaintError(_("The follow-up visit needs a satisfaction score from 0 to 100."))
        _require(values.get("note"), _("Write what the follow-up visit found."))
        changes.update(satisfaction=score, follow_up_note=values["note"].strip(), closed_at=now)
        details = {"satisfaction": score}
    elif action == "reopen":
        _require(values.get("note"), _("Say why the complaint is reopened."))
        changes.update(closed_at=None, resolved_at=None, satisfaction=None,
                       reopened_count=complaint.reopened_count + 1)
        details = {"reason": values["note"].strip()[:500]}
    for name, value in changes.items():
        setattr(complaint, name, value)
    previous, complaint.status = complaint.status, new_status
    db.session.flush()
    if action in ("escalate", "compensate", "close", "reopen"):
        audit.record(f"complaint.{action}", complaint, user=user, from_status=previous, **details)
    return complaint
