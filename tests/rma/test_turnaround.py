"""Turnaround per stage and overall, from the timeline."""
from __future__ import annotations

from datetime import timedelta

from portal.rma import services
from portal.rma.workflow import apply

from .conftest import file_rma


def test_time_per_stage_comes_from_the_events(db, world):
    rma = file_rma(world)
    apply(rma, "approve", world.staff)
    apply(rma, "ship", world.acme_user, carrier="SF", tracking="1")
    start = rma.events[0].at
    for hours, event in zip((0, 5, 29), rma.events):
        event.at = start + timedelta(hours=hours)
    now = start + timedelta(hours=30)
    shown = services.stages(rma, now=now)
    assert [(s.status, s.duration) for s in shown] == [
        ("requested", timedelta(hours=5)), ("approved", timedelta(hours=24)), ("shipped", timedelta(hours=1))]
    assert shown[-1].ended is None
    assert services.age(rma, now=rma.created_at + timedelta(days=2)) == timedelta(days=2)


def test_durations_are_short_texts(db, app):
    assert services.duration_text(timedelta(days=3, hours=4, minutes=5)) == "3 d 4 h"
    assert services.duration_text(timedelta(hours=5, minutes=12)) == "5 h 12 min"
    assert services.duration_text(timedelta(minutes=7)) == "7 min"


def test_a_closed_rma_stops_its_clock(db, world):
    rma = file_rma(world)
    apply(rma, "decline", world.staff, reason="No")
    assert services.in_stage(rma) == timedelta(0)
    assert [s.status for s in services.stages(rma)] == ["requested"]
