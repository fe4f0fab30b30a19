"""Small builders for the scheme tests: facts with sensible defaults, and a settle/adjudicate
that goes through pluggy and the contract's checks exactly as the portal does.

Pure: no Flask, no database, no conftest (run with ``--noconftest``).
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from contracts import (
    ClaimDecision,
    ClaimFact,
    ClaimHistory,
    ClaimPart,
    PartIssueFact,
    Period,
    PeriodFacts,
    SettlementResult,
    ShipmentFact,
    build_plugin_manager,
    collect_schemes,
    load_terms,
    validate_result,
)
from plugins import buyout_rebate, parts_ratio, price_discount, repair_compensation

D = Decimal
JANUARY = Period(date(2024, 1, 1), date(2024, 1, 31))
CONTRACT_START = date(2023, 1, 1)

# The built-ins registered directly, so these tests need no installed entry points.
MANAGER = build_plugin_manager(
    buyout_rebate, parts_ratio, price_discount, repair_compensation, entry_points=False
)
SCHEMES = collect_schemes(MANAGER)


def shipment(model: str = "KTV-55A", quantity: int = 1, price: str = "100.00", *,
             ref: str | None = None, day: int = 10, currency: str = "CNY",
             shipment_no: str = "SH-1", batch: str = "B1") -> ShipmentFact:
    return ShipmentFact(
        ref=ref or f"{shipment_no}/{model}/{quantity}/{day}", shipment_no=shipment_no,
        model_code=model, batch_code=batch, quantity=quantity, unit_price=D(price),
        currency=currency, ship_date=date(2024, 1, day),
    )


def part_issue(part_number: str = "MB-55A", quantity: int = 1, *, ref: str,
               category: str = "main_board", model: str = "KTV-55A", day: int = 15,
               currency: str = "CNY") -> PartIssueFact:
    return PartIssueFact(
        ref=ref, part_number=part_number, part_category=category, model_code=model,
        quantity=quantity, issue_date=date(2024, 1, day), currency=currency,
    )


def claim(ref: str = "CL-1", *, serial: str = "SN-1", model: str = "KTV-55A",
          level: str = "L2", repaired: str = "main_board",
          parts: tuple[ClaimPart, ...] = (ClaimPart("MB-55A", "main_board", 1),),
          repair_date: date = date(2024, 1, 5), submitted_on: date | None = None,
          decided_on: date | None = None, cause: str = "normal_failure",
          labour: str = "90.00", parts_amount: str = "320.00", handling: str = "10.00",
          currency: str = "CNY", preauthorised: bool = False) -> ClaimFact:
    return ClaimFact(
        ref=ref, serial=serial, model_code=model, station_code="ST-01",
        repair_date=repair_date, submitted_on=submitted_on or repair_date,
        decided_on=decided_on, fault_cause=cause, repair_level=level,
        repaired_category=repaired, parts=parts, claimed_labour=D(labour),
        claimed_parts=D(parts_amount), claimed_handling=D(handling), currency=currency,
        preauthorised=preauthorised,
    )


def facts(currency: str = "CNY", **kwargs: Any) -> PeriodFacts:
    return PeriodFacts(client_code="ACME", currency=currency,
                       contract_start=CONTRACT_START, period=JANUARY, **kwargs)


def terms(key: str, data: dict[str, Any]) -> dict[str, Any]:
    """JSON-compatible terms loaded through the scheme's own schema."""
    return load_terms(SCHEMES[key], data)


def settle(key: str, terms_data: dict[str, Any], period_facts: PeriodFacts) -> SettlementResult:
    """Settle through pluggy and check the result as the portal will."""
    result = MANAGER.hook.portal_settle(
        scheme_key=key, terms=terms(key, terms_data), facts=period_facts
    )
    return validate_result(result, period_facts.currency, scheme_key=key, info=SCHEMES[key])


def adjudicate(key: str, terms_data: dict[str, Any], the_claim: ClaimFact,
               history: ClaimHistory) -> ClaimDecision | None:
    return MANAGER.hook.portal_adjudicate_claim(
        scheme_key=key, terms=terms(key, terms_data), claim=the_claim, history=history
    )


def amounts(result: SettlementResult) -> list[tuple[str, str, Decimal]]:
    """(reference, direction, amount) of each line, in the result's order."""
    return [(line.reference, line.direction, line.amount) for line in result.lines]
