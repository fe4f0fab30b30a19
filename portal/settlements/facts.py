"""Gathering a period's facts for a settlement, from a registry of fact providers.

A *fact provider* is a function registered under a name by the capability that owns the
facts (shipments now; spare-part issues and decided claims when those capabilities land):

    register_fact_provider("part_issues", part_issue_facts)

It receives a :class:`FactQuery` (client, currency, contract start, period) and returns a
mapping of some ``PeriodFacts`` fields, e.g. ``{"part_issues": (...),
"free_issued_before": {...}}``. ``gather_facts`` merges what every provider returns:
sequences are concatenated, count mappings are added up key by key. Adding a provider needs
no change here or in the engine.

Providers read with a few aggregate Core queries (never one query per row) and build the
plain frozen dataclasses of ``contracts.types``. Facts carry their *own* currency: nothing
is converted, and the engine's ``check_currency`` blocks a settlement whose facts are in
another currency than the contract's.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from contracts.types import Period, PeriodFacts, ShipmentFact

from ..extensions import db

SEQUENCE_FIELDS = ("shipments", "part_issues", "claims")
COUNT_FIELDS = ("shipped_before", "free_issued_before")
LOOKUP_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class FactQuery:
    """What a fact provider is asked for: one client's facts for one period."""

    client_id: int
    client_code: str
    currency: str
    contract_start: date
    period: Period


FactProvider = Callable[[FactQuery], Mapping[str, Any]]

_PROVIDERS: dict[str, FactProvider] = {}


def register_fact_provider(name: str, provider: FactProvider) -> None:
    """Register (or replace) the provider called ``name``. Idempotent: capabilities call it
    when their module is imported or their app is initialised, possibly more than once."""
    if not callable(provider):
        raise TypeError(f"fact provider {name!r} is not callable")
    _PROVIDERS[name] = provider


def unregister_fact_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


def fact_providers() -> dict[str, FactProvider]:
    """The registered providers, in registration order."""
    return dict(_PROVIDERS)


def gather_facts(client_id: int, currency: str, contract_start: date, period_start: date,
                 period_end: date) -> PeriodFacts:
    """Everything that happened to the client in [period_start, period_end] (inclusive),
    as ``PeriodFacts`` for a contract in ``currency`` that started on ``contract_start``."""
    from ..clients.models import Client

    client_code = db.session.connection().execute(
        select(Client.__table__.c.code).where(Client.__table__.c.id == client_id)
    ).scalar_one()
    period = Period(period_start, period_end)
    query = FactQuery(client_id, client_code, currency, contract_start, period)
    gathered: dict[str, Any] = {name: [] for name in SEQUENCE_FIELDS}
    gathered.update({name: {} for name in COUNT_FIELDS})
    for name, provider in _PROVIDERS.items():
        for field, value in (provider(query) or {}).items():
            if field in SEQUENCE_FIELDS:
                gathered[field].extend(value)
            elif field in COUNT_FIELDS:
                counts = gathered[field]
                for key, count in value.items():
                    counts[key] = counts.get(key, 0) + count
            else:
                raise ValueError(f"fact provider {name!r} returned an unknown field {field!r}")
    return PeriodFacts(
        client_code=client_code,
        currency=currency,
        contract_start=contract_start,
        period=period,
        shipments=tuple(gathered["shipments"]),
        shipped_before=gathered["shipped_before"],
        free_issued_before=gathered["free_issued_before"],
        part_issues=tuple(gathered["part_issues"]),
        claims=tuple(gathered["claims"]),
    )


# --- shipments ----------------------------------------------------------------------------

@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while building many small objects: with a few
    hundred thousand rows alive, its repeated passes over them cost more than the building
    itself. Nothing built here forms reference cycles; the collector resumes afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _codes(conn, table, ids) -> dict[int, str]:
    """id -> code for ``ids`` (looked up in chunks)."""
    ids, found = sorted(ids), {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start:start + LOOKUP_CHUNK]
        found.update(conn.execute(select(table.c.id, table.c.code).where(table.c.id.in_(chunk))).all())
    return found


def shipment_facts(query: FactQuery) -> dict[str, Any]:
    """The period's shipment lines (by ship date; returns are negative lines) and the net
    quantity per model shipped from the contract start to the day before the period.

    A lean select of the lines' own columns, the period's shipments, the codes of the
    models and batches they name, and one GROUP BY for the quantities before the period."""
    from ..catalogue.models import Batch, ProductModel
    from ..shipments.models import Shipment, ShipmentLine

    line, shipment = ShipmentLine.__table__.c, Shipment.__table__.c
    conn = db.session.connection()
    period = query.period
    in_period = (shipment.client_id == query.client_id, shipment.ship_date >= period.start,
                 shipment.ship_date <= period.end)
    shipments = {sid: (number, day) for sid, number, day in conn.execute(
        select(shipment.id, shipment.number, shipment.ship_date).where(*in_period))}
    with paused_gc():
        rows = conn.execute(
            select(line.id, line.shipment_id, line.model_id, line.batch_id, line.quantity, line.unit_price,
                   line.currency)
            .join_from(ShipmentLine.__table__, Shipment.__table__, shipment.id == line.shipment_id)
            .where(*in_period)
            .order_by(line.id)
        ).all()
        models = _codes(conn, ProductModel.__table__, {row[2] for row in rows})
        batches = _codes(conn, Batch.__table__, {row[3] for row in rows if row[3] is not None})
        batches[None] = ""
        fact = ShipmentFact
        facts = []
        append = facts.append
        for line_id, shipment_id, model_id, batch_id, quantity, unit_price, currency in rows:
            number, day = shipments[shipment_id]
            append(fact(f"{number}/{line_id}", number, models[model_id], batches[batch_id], quantity,
                        unit_price, currency, day))
        del rows
    before: dict[str, int] = {}
    if query.contract_start < period.start:
        model = ProductModel.__table__.c
        totals = conn.execute(
            select(model.code, func.sum(line.quantity))
            .select_from(ShipmentLine.__table__)
            .join(Shipment.__table__, shipment.id == line.shipment_id)
            .join(ProductModel.__table__, model.id == line.model_id)
            .where(shipment.client_id == query.client_id,
                   shipment.ship_date >= query.contract_start,
                   shipment.ship_date <= period.start - timedelta(days=1))
            .group_by(model.code)
        )
        before = {code: int(total) for code, total in totals if total}
    return {"shipments": facts, "shipped_before": before}


register_fact_provider("shipments", shipment_facts)
