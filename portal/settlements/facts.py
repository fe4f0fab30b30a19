"""Gathering a period's facts for a settlement, from a registry of fact providers.

A *fact provider* is a function registered under a name by the capability that owns the
facts (shipments now; spare-part issues and decided claims when those capabilities land):

    register_fact_provider("part_issues", part_issue_facts)

It receives a :class:`FactQuery` (client, currency, contract start, period) and returns a
mapping of some ``PeriodFacts`` fields, e.g. ``{"part_issues": (...),
"free_issued_before": {...}}``. ``gather_facts`` merges what every provider returns:
sequences are concatenated, count mappings are added up key by key. Adding a provider needs
no change here or in the engine. A provider may declare the fields it returns
(``provides=("claims",)``): then it is held to them, and a provider of claims alone is not
even called for a scheme that does not settle claims (``handles_claims`` False), whose
facts never carry claims. Likewise ``shipped_before`` (the history since the contract start)
is aggregated only for a scheme that reads it (``needs_shipped_before``).

Providers read with a few aggregate Core queries (never one query per row) and build the
plain frozen dataclasses of ``contracts.types``. Facts carry their *own* currency: nothing
is converted, and the engine's ``check_currency`` blocks a settlement whose facts are in
another currency than the contract's.

Shipments are gathered at the grain the contract's scheme declares
(``SchemeInfo.shipment_grain``, passed as ``grain``): single lines, or lines summed in SQL
per (model, [ship date,] unit price, currency) — exactly what
``contracts.toolkit.aggregate_shipments`` computes from the lines, a few hundred facts
instead of hundreds of thousands for a rebate.
"""
from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from contracts.toolkit import aggregated_ref
from contracts.types import AGGREGATED, SHIPMENT_GRAINS, Period, PeriodFacts, ShipmentFact, ShipmentGrain

from ..extensions import db

SEQUENCE_FIELDS = ("shipments", "part_issues", "claims")
COUNT_FIELDS = ("shipped_before", "free_issued_before")
LOOKUP_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class FactQuery:
    """What a fact provider is asked for: one client's facts for one period, shipments at
    ``shipment_grain`` (the scheme's declared grain; providers of other facts ignore it),
    decided claims only when ``claims`` (the scheme handles claims), the quantities shipped
    before the period only when ``shipped_before`` (the scheme needs them)."""

    client_id: int
    client_code: str
    currency: str
    contract_start: date
    period: Period
    shipment_grain: ShipmentGrain = "line"
    claims: bool = True
    shipped_before: bool = True


FactProvider = Callable[[FactQuery], Mapping[str, Any]]

_PROVIDERS: dict[str, FactProvider] = {}
_PROVIDES: dict[str, frozenset[str]] = {}  # name -> the fields it declared, when it did
CLAIM_FIELDS = frozenset({"claims"})
HISTORY_FIELDS = frozenset({"shipped_before"})


def register_fact_provider(name: str, provider: FactProvider, *,
                           provides: Iterable[str] | None = None) -> None:
    """Register (or replace) the provider called ``name``. Idempotent: capabilities call it
    when their module is imported or their app is initialised, possibly more than once.
    ``provides``: the ``PeriodFacts`` fields it returns (optional; see the module's doc)."""
    if not callable(provider):
        raise TypeError(f"fact provider {name!r} is not callable")
    if provides is not None:
        declared = frozenset(provides)
        unknown = declared - set(SEQUENCE_FIELDS) - set(COUNT_FIELDS)
        if not declared or unknown:
            raise ValueError(f"fact provider {name!r} declares unknown fields {sorted(unknown) or '(none)'}")
        _PROVIDES[name] = declared
    else:
        _PROVIDES.pop(name, None)
    _PROVIDERS[name] = provider


def unregister_fact_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)
    _PROVIDES.pop(name, None)


def fact_providers() -> dict[str, FactProvider]:
    """The registered providers, in registration order."""
    return dict(_PROVIDERS)


def declared_fields(name: str) -> frozenset[str] | None:
    """The fields the provider ``name`` declared (``provides``), or None when it did not."""
    return _PROVIDES.get(name)


def _unwanted_fields(claims: bool, shipped_before: bool) -> frozenset[str]:
    """The fields the scheme does not read: never gathered, dropped if a provider returns them."""
    return (frozenset() if claims else CLAIM_FIELDS) | (frozenset() if shipped_before else HISTORY_FIELDS)


def gather_facts(client_id: int, currency: str, contract_start: date, period_start: date,
                 period_end: date, grain: ShipmentGrain = "line", claims: bool = True,
                 shipped_before: bool = True) -> PeriodFacts:
    """Everything that happened to the client in [period_start, period_end] (inclusive),
    as ``PeriodFacts`` for a contract in ``currency`` that started on ``contract_start``,
    shipments at ``grain`` (pass the scheme's ``SchemeInfo.shipment_grain``), decided
    claims only when ``claims`` (pass the scheme's ``SchemeInfo.handles_claims``), the
    quantities shipped before the period only when ``shipped_before`` (pass the scheme's
    ``SchemeInfo.needs_shipped_before``). The defaults gather everything."""
    from ..clients.models import Client

    if grain not in SHIPMENT_GRAINS:
        raise ValueError(f"unknown shipment grain {grain!r}; expected one of {SHIPMENT_GRAINS}")
    client_code = db.session.connection().execute(
        select(Client.__table__.c.code).where(Client.__table__.c.id == client_id)
    ).scalar_one()
    period = Period(period_start, period_end)
    query = FactQuery(client_id, client_code, currency, contract_start, period, grain, claims, shipped_before)
    unwanted = _unwanted_fields(claims, shipped_before)
    gathered: dict[str, Any] = {name: [] for name in SEQUENCE_FIELDS}
    gathered.update({name: {} for name in COUNT_FIELDS})
    for name, provider in _PROVIDERS.items():
        declared = _PROVIDES.get(name)
        if declared is not None and declared <= unwanted:
            continue  # e.g. the scheme settles no claims: do not even read them
        for field, value in (provider(query) or {}).items():
            if declared is not None and field not in declared:
                raise ValueError(f"fact provider {name!r} returned {field!r}, which it does not declare")
            if field in unwanted:
                continue
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
        shipment_grain=grain,
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
    """The period's shipments at the query's grain (see ``contracts.types.SHIPMENT_GRAINS``;
    returns are negative quantities) and, when the query asks for it, the net quantity per
    model shipped from the contract start to the day before the period."""
    conn = db.session.connection()
    if query.shipment_grain == "line":
        facts = _line_facts(conn, query)
    else:
        facts = _grouped_facts(conn, query)
    found: dict[str, Any] = {"shipments": facts}
    if query.shipped_before:
        found["shipped_before"] = _shipped_before(conn, query)
    return found


def _shipped_before(conn, query: FactQuery) -> dict[str, int]:
    """model code -> net quantity shipped from the contract start to the day before the
    period (one GROUP BY; nothing to read when the contract starts with the period)."""
    if query.contract_start >= query.period.start:
        return {}
    lines, shipments_table, models_table, _batches = _tables()
    line, shipment, model = lines.c, shipments_table.c, models_table.c
    totals = conn.execute(
        select(model.code, func.sum(line.quantity))
        .select_from(lines)
        .join(shipments_table, shipment.id == line.shipment_id)
        .join(models_table, model.id == line.model_id)
        .where(shipment.client_id == query.client_id,
               shipment.ship_date >= query.contract_start,
               shipment.ship_date <= query.period.start - timedelta(days=1))
        .group_by(model.code)
    )
    return {code: int(total) for code, total in totals if total}


def _tables():
    from ..catalogue.models import Batch, ProductModel
    from ..shipments.models import Shipment, ShipmentLine

    return ShipmentLine.__table__, Shipment.__table__, ProductModel.__table__, Batch.__table__


def _in_period(shipment, query: FactQuery) -> tuple:
    return (shipment.c.client_id == query.client_id, shipment.c.ship_date >= query.period.start,
            shipment.c.ship_date <= query.period.end)


def _line_facts(conn, query: FactQuery) -> list[ShipmentFact]:
    """One fact per line, by line id: a lean select of the lines' own columns, the period's
    shipments, and the codes of the models and batches they name."""
    lines, shipments_table, models_table, batches_table = _tables()
    line, shipment = lines.c, shipments_table.c
    in_period = _in_period(shipments_table, query)
    shipments = {sid: (number, day) for sid, number, day in conn.execute(
        select(shipment.id, shipment.number, shipment.ship_date).where(*in_period))}
    with paused_gc():
        rows = conn.execute(
            select(line.id, line.shipment_id, line.model_id, line.batch_id, line.quantity, line.unit_price,
                   line.currency)
            .join_from(lines, shipments_table, shipment.id == line.shipment_id)
            .where(*in_period)
            .order_by(line.id)
        ).all()
        models = _codes(conn, models_table, {row[2] for row in rows})
        batches = _codes(conn, batches_table, {row[3] for row in rows if row[3] is not None})
        batches[None] = ""
        fact = ShipmentFact
        facts: list[ShipmentFact] = []
        append = facts.append
        for line_id, shipment_id, model_id, batch_id, quantity, unit_price, currency in rows:
            number, day = shipments[shipment_id]
            append(fact(f"{number}/{line_id}", number, models[model_id], batches[batch_id], quantity,
                        unit_price, currency, day))
        del rows
    return facts


def _grouped_facts(conn, query: FactQuery) -> list[ShipmentFact]:
    """Lines summed in SQL per (model, [ship date,] unit price, currency): one GROUP BY and
    the model codes; a group in another currency than the contract's is named by its first
    line (two more queries, only then). Same facts, same order as
    ``contracts.toolkit.aggregate_shipments`` of the line facts."""
    lines, shipments_table, models_table, _batches = _tables()
    line, shipment = lines.c, shipments_table.c
    by_day = query.shipment_grain == "model_day"
    keys = [line.model_id, shipment.ship_date, line.unit_price, line.currency] if by_day else \
        [line.model_id, line.unit_price, line.currency]
    grouped = select(*keys).join_from(lines, shipments_table, shipment.id == line.shipment_id) \
        .where(*_in_period(shipments_table, query)).group_by(*keys)
    rows = conn.execute(grouped.add_columns(func.sum(line.quantity), func.max(shipment.ship_date))).all()
    models = _codes(conn, models_table, {row[0] for row in rows})
    first_refs = {}
    if any(row[len(keys) - 1] != query.currency for row in rows):
        first_refs = _first_line_refs(conn, grouped.where(line.currency != query.currency), len(keys))
    facts = []
    for row in rows:
        model_id, price, currency, quantity, latest = (row[0], *row[len(keys) - 2:])
        day = row[1] if by_day else None
        model = models[model_id]
        ref = first_refs[tuple(row[:len(keys)])] if currency != query.currency else aggregated_ref(model, price, day)
        facts.append(ShipmentFact(ref, AGGREGATED, model, AGGREGATED, int(quantity), price, currency, latest))
    facts.sort(key=lambda f: (f.model_code, f.ship_date if by_day else date.min, f.unit_price, f.currency))
    return facts


def _first_line_refs(conn, grouped, width: int) -> dict[tuple, str]:
    """group key -> "<shipment number>/<line id>" of the group's first line."""
    lines, shipments_table, _models, _batches = _tables()
    line, shipment = lines.c, shipments_table.c
    firsts = {tuple(row[:width]): row[width] for row in conn.execute(grouped.add_columns(func.min(line.id)))}
    numbers = dict(conn.execute(
        select(line.id, shipment.number).join_from(lines, shipments_table, shipment.id == line.shipment_id)
        .where(line.id.in_(list(firsts.values())))).all())
    return {key: f"{numbers[line_id]}/{line_id}" for key, line_id in firsts.items()}


register_fact_provider("shipments", shipment_facts, provides=("shipments", "shipped_before"))
