"""Early warnings: a failure pattern clearly above its own baseline.

Failures come from three sources (``SOURCES``; each one aggregate query): repair-return lines
(by request time, with the fault cause found and the category returned), repair claims (by
repair date, cause and repaired category) and complaints (by opening date, with the cause and
category when the team recorded them). A unit's production batch comes from its serial's
shipment line. Two patterns are watched:

* ``batch_category`` — one production batch, one part category (a batch's main boards);
* ``model_cause`` — one model, one fault cause.

**The test.** Window = the last ``WINDOW_DAYS`` (30) days up to today; baseline = the
``BASELINE_DAYS`` (180) days before the window. Normalised by time, the count expected in the
window is ``λ = baseline count × 30 / 180`` (at least ``FLOOR`` = 0.5, so a pattern never seen
before is not infinitely surprising). A warning is raised when all three hold:
the window count is at least ``MIN_COUNT`` (5: a few failures are never a trend), at least
``MIN_RATIO`` (2) times λ, and its one-sided Poisson probability ``P(X ≥ count | λ)`` is below
``P_LIMIT`` (0.001). A stable series (count ≈ λ) has a probability near one half and never fires.
The time baseline does not follow installed-base growth: a model shipping twice as many units
doubles its failures; the ratio and minimum count keep such slow growth from firing.

A batch warning explains its model's rise: when a batch of model M fires, warnings on M's
causes from the same run are folded into it (its evidence lists the causes).

**Deduplication.** A pattern has a key (``batch_category:12:main_board``); while a warning
with that key is open or acknowledged, a new run refreshes its figures instead of raising
another one. After it is closed, a new rise raises a new warning.
"""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import case, func, select

from .. import audit
from ..catalogue.models import Batch, BatchMaterial, Part
from ..db import utcnow
from ..extensions import db
from ..jobs import job
from .models import Complaint, EarlyWarning

WINDOW_DAYS, BASELINE_DAYS = 30, 180
MIN_COUNT, MIN_RATIO, P_LIMIT, FLOOR = 5, 2.0, 0.001, 0.5
OPEN_STATES = ("open", "acknowledged")


def poisson_tail(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(lam)."""
    if k <= 0:
        return 1.0
    term = math.exp(-lam)
    below = term
    for i in range(1, k):
        term *= lam / i
        below += term
    return max(0.0, 1.0 - below)


def _split(when, window_start, baseline_start):
    in_window = func.sum(case((when >= window_start, 1), else_=0))
    in_baseline = func.sum(case((when < window_start, 1), else_=0))
    return in_window, in_baseline


def rma_failures(window_start: date, baseline_start: date, end: date):
    from ..rma.models import Rma, RmaLine
    from ..shipments.models import Serial, ShipmentLine

    def at(d: date) -> datetime:
        return datetime.combine(d, time.min, tzinfo=timezone.utc)

    win, base = _split(Rma.created_at, at(window_start), at(baseline_start))
    return db.session.execute(
        select(RmaLine.model_id, ShipmentLine.batch_id, RmaLine.category, RmaLine.fault_cause, win, base)
        .join(Rma, Rma.id == RmaLine.rma_id)
        .outerjoin(Serial, Serial.serial == RmaLine.serial).outerjoin(ShipmentLine, ShipmentLine.id == Serial.line_id)
        .where(Rma.created_at >= at(baseline_start), Rma.created_at < at(end + timedelta(days=1)),
               Rma.status != "declined")
        .group_by(RmaLine.model_id, ShipmentLine.batch_id, RmaLine.category, RmaLine.fault_cause)
    ).all()


def claim_failures(window_start: date, baseline_start: date, end: date):
    from ..claims.models import Claim
    from ..shipments.models import Serial, ShipmentLine

    win, base = _split(Claim.repair_date, window_start, baseline_start)
    return db.session.execute(
        select(Claim.model_id, ShipmentLine.batch_id, Claim.repaired_category, Claim.fault_cause, win, base)
        .outerjoin(Serial, Serial.serial == Claim.serial).outerjoin(ShipmentLine, ShipmentLine.id == Serial.line_id)
        .where(Claim.repair_date >= baseline_start, Claim.repair_date <= end)
        .group_by(Claim.model_id, ShipmentLine.batch_id, Claim.repaired_category, Claim.fault_cause)
    ).all()


def complaint_failures(window_start: date, baseline_start: date, end: date):
    win, base = _split(Complaint.opened_on, window_start, baseline_start)
    return db.session.execute(
        select(Complaint.model_id, Complaint.batch_id, Complaint.category, Complaint.fault_cause, win, base)
        .where(Complaint.opened_on >= baseline_start, Complaint.opened_on <= end)
        .group_by(Complaint.model_id, Complaint.batch_id, Complaint.category, Complaint.fault_cause)
    ).all()


SOURCES = {"rma": rma_failures, "claims": claim_failures, "complaints": complaint_failures}


def _empty():
    return {"window": 0, "baseline": 0, "sources": defaultdict(int), "batches": defaultdict(int),
            "causes": defaultdict(int), "model_id": None, "batch_id": None, "category": None, "cause": None}


def detect(today: date) -> list[dict]:
    """The patterns above their baseline on `today` (nothing is written)."""
    window_start = today - timedelta(days=WINDOW_DAYS - 1)
    baseline_start = window_start - timedelta(days=BASELINE_DAYS)
    patterns: dict[str, dict] = defaultdict(_empty)
    batch_models = {}
    for source, fetch in SOURCES.items():
        for model_id, batch_id, category, cause, win, base in fetch(window_start, baseline_start, today):
            win, base = int(win or 0), int(base or 0)
            keys = []
            if batch_id is not None and category:
                keys.append((f"batch_category:{batch_id}:{category}", "batch_category"))
            if model_id is not None and cause:
                keys.append((f"model_cause:{model_id}:{cause}", "model_cause"))
            for key, kind in keys:
                p = patterns[key]
                p.update(kind=kind, key=key)
                p["window"] += win
                p["baseline"] += base
                p["sources"][source] += win
                if kind == "batch_category":
                    p.update(batch_id=batch_id, category=category, model_id=model_id or p["model_id"])
                    if cause:
                        p["causes"][cause] += win
                else:
                    p.update(model_id=model_id, cause=cause)
                    if batch_id is not None:
                        p["batches"][batch_id] += win
            if batch_id is not None and model_id is not None:
                batch_models[batch_id] = model_id
    raised = []
    for p in patterns.values():
        expected = p["baseline"] * WINDOW_DAYS / BASELINE_DAYS
        lam = max(expected, FLOOR)
        if p["window"] < MIN_COUNT or p["window"] < MIN_RATIO * lam:
            continue
        p_value = poisson_tail(p["window"], lam)
        if p_value < P_LIMIT:
            raised.append({**p, "expected": expected, "p_value": p_value})
    flagged_models = {p["model_id"] or batch_models.get(p["batch_id"]) for p in raised if p["kind"] == "batch_category"}
    return [p for p in raised if not (p["kind"] == "model_cause" and p["model_id"] in flagged_models)]


def _evidence(p: dict, today: date, materials: dict, batch_codes: dict) -> dict:
    batches = {p["batch_id"]: p["window"]} if p["batch_id"] else dict(p["batches"])
    parts = []
    for batch_id in batches:
        for category, number, description in materials.get(batch_id, ()):
            if p["category"] in (None, category) or p["category"] == "unit":
                parts.append({"batch": batch_codes.get(batch_id, str(batch_id)), "category": category,
                              "part": number, "description": description})
    return {
        "window": [str(today - timedelta(days=WINDOW_DAYS - 1)), str(today)],
        "window_days": WINDOW_DAYS, "baseline_days": BASELINE_DAYS,
        "window_count": p["window"], "baseline_count": p["baseline"],
        "rate_per_30_days": p["window"], "baseline_per_30_days": round(p["expected"], 3),
        "ratio": round(p["window"] / max(p["expected"], FLOOR), 2),
        "sources": {s: p["sources"].get(s, 0) for s in SOURCES}, "causes": dict(p["causes"]),
        "batches": [{"batch": batch_codes.get(b, str(b)), "count": n} for b, n in sorted(batches.items())],
        "parts": parts,
    }


def run_detection(today: date | None = None) -> dict:
    """Detect and store: new warnings for new patterns, refreshed figures for open ones."""
    today = today or date.today()
    found = detect(today)
    batch_ids = {p["batch_id"] for p in found if p["batch_id"]} | {b for p in found for b in p["batches"]}
    materials: dict[int, list] = defaultdict(list)
    batch_codes = {}
    if batch_ids:
        for batch_id, category, number, description in db.session.execute(
                select(BatchMaterial.batch_id, BatchMaterial.category, Part.number, Part.description)
                .join(Part, Part.id == BatchMaterial.part_id).where(BatchMaterial.batch_id.in_(batch_ids))
                .order_by(BatchMaterial.batch_id, BatchMaterial.category, Part.number)):
            materials[batch_id].append((category, number, description))
        batch_codes = dict(db.session.execute(select(Batch.id, Batch.code).where(Batch.id.in_(batch_ids))).all())
    existing = {w.key: w for w in db.session.scalars(
        select(EarlyWarning).where(EarlyWarning.key.in_([p["key"] for p in found]),
                                   EarlyWarning.status.in_(OPEN_STATES)))} if found else {}
    created = refreshed = 0
    for p in found:
        values = dict(window_count=p["window"], baseline_count=p["baseline"],
                      expected=Decimal(str(round(p["expected"], 3))), p_value=p["p_value"],
                      evidence=_evidence(p, today, materials, batch_codes))
        warning = existing.get(p["key"])
        if warning is None:
            warning = EarlyWarning(key=p["key"], kind=p["kind"], model_id=p["model_id"], batch_id=p["batch_id"],
                                   category=p["category"], fault_cause=p["cause"], status="open",
                                   detected_at=utcnow(), **values)
            db.session.add(warning)
            db.session.flush()
            audit.record("warning.raise", warning, key=p["key"], count=p["window"])
            created += 1
        else:
            for name, value in values.items():
                setattr(warning, name, value)
            refreshed += 1
    db.session.flush()
    return {"created": created, "refreshed": refreshed, "patterns": len(found)}


@job("complaints.detect_warnings")
def detect_warnings_job(ctx, today: str | None = None) -> dict:
    ctx.progress(0, 1, "detecting")
    result = run_detection(date.fromisoformat(today) if today else None)
    ctx.progress(1, 1, "done")
    return result
