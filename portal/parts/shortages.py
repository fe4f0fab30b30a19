"""Shortages follow the department's own sequence, each step dated: substitute → purchase or
custom order → ask the client to return the old part for repair → settle by contract or 三包.
A step is recorded as "resolved" (the shortage closes) or "not possible" (on to the next);
the last step always closes it. Steps are taken in order."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..extensions import db
from .models import SHORTAGE_STEPS, Shortage, ShortageStep

OUTCOMES = ("resolved", "not_possible")


def record_step(shortage: Shortage, step: str, outcome: str, *, note: str = "", day: date | None = None,
                user=None) -> ShortageStep:
    if shortage.closed:
        raise ValueError(_("This shortage is closed."))
    if step not in SHORTAGE_STEPS or outcome not in OUTCOMES:
        raise ValueError(_("Unknown step or outcome."))
    expected = shortage.next_step
    if step != expected:
        raise ValueError(_("Steps are taken in order: the next one is %(step)s.", step=expected))
    day = day or date.today()
    if shortage.steps and day < shortage.steps[-1].day:
        raise ValueError(_("A step cannot be dated before the previous one."))
    row = ShortageStep(step=step, outcome=outcome, day=day, note=(note or "").strip()[:500],
                       user_id=getattr(user, "id", None))
    shortage.steps.append(row)
    if outcome == "resolved" or step == SHORTAGE_STEPS[-1]:
        shortage.closed = True
    db.session.flush()
    audit.record("parts.shortage_step", shortage, user=user, step=step, outcome=outcome, day=day.isoformat())
    return row


def shortages_query(open_only: bool = True):
    query = select(Shortage).order_by(Shortage.id.desc())
    if open_only:
        query = query.where(Shortage.closed.is_(False))
    return query
