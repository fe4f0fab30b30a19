from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from portal.audit import AuditEntry
from portal.complaints.models import Complaint
from portal.complaints.services import ComplaintError, ComplaintInput, apply, open_complaint

NOW = datetime(2025, 9, 10, 8, 0, tzinfo=timezone.utc)


def new(world, level="normal", **kw):
    data = ComplaintInput(title="Dark screens", description="Ten units dark on arrival", level=level, **kw)
    return open_complaint(world.acme, data, user=world.acme_user, now=NOW)


@pytest.mark.parametrize("level, hours", [("urgent", 24), ("high", 72), ("normal", 168)])
def test_the_deadline_follows_the_level(db, world, level, hours):
    complaint = new(world, level=level)
    assert complaint.status == "open"
    assert complaint.due_at == NOW + timedelta(hours=hours)
    assert complaint.opened_on == NOW.date()


def test_deadlines_are_configurable(db, world, app):
    app.config["COMPLAINT_DEADLINE_HOURS"] = {"urgent": 4}
    try:
        assert new(world, level="urgent").due_at == NOW + timedelta(hours=4)
    finally:
        del app.config["COMPLAINT_DEADLINE_HOURS"]


def test_models_and_batches_are_resolved_and_unknown_codes_refused(db, world):
    complaint = new(world, models_text="CPX-55", batches_text="CPX-B1", serials_text="S1\nS2")
    assert (complaint.model_id, complaint.batch_id) == (world.model.id, world.batch.id)
    before = db.session.scalar(select(func.count(Complaint.id)))
    with pytest.raises(ComplaintError, match="NOPE-1"):
        new(world, models_text="CPX-55, NOPE-1")
    assert db.session.scalar(select(func.count(Complaint.id))) == before


def test_the_whole_path_with_audit_entries(db, world):
    c = new(world)
    apply(c, "analyse", world.staff, emergency_fix="Swap boards", root_cause="Cold joint", improvement_plan="AOI",
          responsibility="odm", department="production", now=NOW)
    apply(c, "escalate", world.staff, team="qa", assignee=world.quality, due=date(2025, 9, 20), now=NOW)
    assert (c.status, c.escalated_to, c.assignee_id) == ("escalated", "qa", world.quality.id)
    apply(c, "compensate", world.staff, amount=D("1200.50"), on=date(2025, 9, 12), now=NOW)
    apply(c, "resolve", world.staff, now=NOW)
    assert c.status == "resolved"
    apply(c, "close", world.staff, satisfaction=85, note="Visited; client content", now=NOW)
    assert (c.status, c.satisfaction, c.closed_at) == ("closed", 85, NOW)
    apply(c, "reopen", world.staff, note="Fault came back", now=NOW)
    assert (c.status, c.satisfaction, c.closed_at, c.reopened_count) == ("open", None, None, 1)
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target == f"complaint:{c.id}")
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["complaint.open", "complaint.escalate", "complaint.compensate", "complaint.close",
                       "complaint.reopen"]


def snapshot(c):
    return {k: getattr(c, k) for k in ("status", "satisfaction", "closed_at", "escalated_to", "compensation_amount",
                                       "emergency_fix", "responsibility")}


@pytest.mark.parametrize("action, values", [
    ("close", {"satisfaction": 80, "note": "x"}),      # open cannot be closed
    ("reopen", {"note": "x"}),                          # open cannot be reopened
    ("resolve", {}),                                    # no fix or root cause yet
    ("resolve", {"emergency_fix": "a", "root_cause": "b", "responsibility": "odm"}),  # no ODM department
    ("escalate", {"team": "sales", "due": date(2025, 9, 20)}),
    ("compensate", {"amount": D("-5")}),
    ("compensate", {"amount": D("10.005")}),            # more decimals than CNY allows
])
def test_illegal_actions_change_nothing(db, world, action, values):
    c = new(world)
    before = snapshot(c)
    if action == "escalate":
        values["assignee"] = world.quality
    with pytest.raises(ComplaintError):
        apply(c, action, world.staff, now=NOW, **values)
    assert snapshot(c) == before


def test_escalation_needs_an_internal_assignee_and_a_future_date(db, world):
    c = new(world)
    with pytest.raises(ComplaintError, match="internal"):
        apply(c, "escalate", world.staff, team="rnd", assignee=world.acme_user, due=date(2025, 9, 20), now=NOW)
    with pytest.raises(ComplaintError, match="today or later"):
        apply(c, "escalate", world.staff, team="rnd", assignee=world.quality, due=date(2025, 9, 1), now=NOW)
    assert c.status == "open"


@pytest.mark.parametrize("score", [-1, 101, None, True])
def test_closing_needs_a_score_from_0_to_100(db, world, score):
    c = new(world)
    apply(c, "resolve", world.staff, emergency_fix="a", root_cause="b", responsibility="client", now=NOW)
    with pytest.raises(ComplaintError, match="0 to 100"):
        apply(c, "close", world.staff, satisfaction=score, note="visit", now=NOW)
    assert (c.status, c.satisfaction) == ("resolved", None)
    apply(c, "close", world.staff, satisfaction=0, note="visit", now=NOW)
    assert c.satisfaction == 0
