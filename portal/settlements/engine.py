"""Computing a client's draft settlement for one period.

``compute_draft`` finds the one contract covering the period, gathers the facts, calls the
contract's scheme through the registry (``portal_settle``), checks the result, adds the
portal's own sections, and only then writes: the draft and its lines in one SAVEPOINT. A
scheme that raises or returns malformed lines therefore leaves nothing written (an earlier
draft of the period stays as it was) and the caller gets a SchemeFailed naming the scheme.
Issued settlements are never touched: a period already issued is corrected by a credit note.
The caller commits.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import delete, insert, select

from contracts import (
    ContractError,
    CurrencyMismatch,
    InvalidFacts,
    MalformedResult,
    SettlementResult,
    TermsIncomplete,
    check_currency,
    validate_result,
)
from contracts.types import SettlementLine as ResultLine

from ..clients.models import Client
from ..extensions import db
from ..labels import label
from ..schemes.models import Contract
from ..schemes.registry import SchemeNotInstalled, current_schemes
from ..schemes.services import contract_for, contracts_overlapping, period_bounds
from .content import encode_params, ledger_json, rejected_json
from .errors import SchemeFailed, SettlementError
from .facts import gather_facts, paused_gc
from .models import Settlement, SettlementLine
from .sections import SectionQuery, section_providers

SETTLEMENT, CREDIT_NOTE = "settlement", "credit_note"
DRAFT, ISSUED = "draft", "issued"
LIMITS = {"section": 60, "description_key": 80}
REFERENCE_MAX = 80


@dataclass(frozen=True)
class Computed:
    """What a settlement computes to, before anything is written."""

    contract: Contract
    period_start: date
    period_end: date
    result: SettlementResult
    extra_lines: tuple[ResultLine, ...]

    @property
    def lines(self) -> tuple[ResultLine, ...]:
        return tuple(self.result.lines) + self.extra_lines

    @property
    def total(self) -> Decimal:
        return sum((line.signed_amount for line in self.lines), Decimal("0"))


def currency_message(exc: CurrencyMismatch) -> str:
    return _("%(kind)s %(ref)s is in %(currency)s but the contract is in %(expected)s: nothing is "
             "converted. Settle it under a contract in %(currency)s or correct the %(kind)s.",
             kind=label("fact_kind", exc.kind), ref=exc.ref, currency=exc.currency, expected=exc.expected)


def scheme_failure(key: str, exc: Exception) -> SchemeFailed:
    """A SchemeFailed for what the scheme ``key`` raised, in the reader's language."""
    if isinstance(exc, MalformedResult):
        why = _("it returned a malformed result: %(why)s", why=exc.why)
    elif isinstance(exc, TermsIncomplete):
        why = _("its terms are incomplete: %(why)s", why=exc.why)
    elif isinstance(exc, InvalidFacts):
        why = _("fact %(ref)s cannot be settled: %(why)s", ref=exc.ref, why=exc.why)
    elif isinstance(exc, SchemeNotInstalled):
        why = _("it is not installed; install its package again and restart the portal")
    elif isinstance(exc, ValidationError):
        why = _("the contract's terms are not valid for it: %(errors)s", errors=exc.messages)
    else:
        why = _("it raised %(error)s: %(message)s", error=type(exc).__name__, message=str(exc) or "-")
    return SchemeFailed(key, _("The scheme %(scheme)s failed: %(why)s", scheme=key, why=why))


def settle_period(client_id: int, period_start: date) -> Computed:
    """The contract and the computed result for the period starting on ``period_start``;
    raises SettlementError (or SchemeFailed) when it cannot be settled. Writes nothing."""
    client = db.session.get(Client, client_id)
    if client is None:
        raise SettlementError(_("There is no such client."), field="client_id", status=404)
    contract = contract_for(client_id, period_start)
    if contract is None:
        raise SettlementError(_("Client %(client)s has no contract in force on %(day)s.",
                                client=client.code, day=period_start.isoformat()), field="period_start")
    period = period_bounds(contract.period_kind, period_start)
    if period.start != period_start:
        raise SettlementError(
            _("Under the contract of client %(client)s a period starts on %(start)s, not on %(day)s.",
              client=client.code, start=period.start.isoformat(), day=period_start.isoformat()),
            field="period_start")
    covering = contracts_overlapping(client_id, period.start, period.end)
    if len(covering) > 1 or contract.starts_on > period.start or (
            contract.ends_on is not None and contract.ends_on < period.end):
        raise SettlementError(
            _("The period %(start)s – %(end)s is split between two contracts of client %(client)s; "
              "a period never mixes two schemes. Correct the contracts' dates first.",
              start=period.start.isoformat(), end=period.end.isoformat(), client=client.code),
            field="period_start")

    key = contract.scheme_key
    registry = current_schemes()
    try:
        info = registry.info(key)
    except SchemeNotInstalled as exc:
        raise scheme_failure(key, exc) from exc
    with paused_gc():  # hundreds of thousands of facts stay alive while the scheme runs
        facts = gather_facts(client_id, contract.currency, contract.starts_on, period.start, period.end,
                             grain=info.shipment_grain, claims=info.handles_claims,
                             shipped_before=info.needs_shipped_before)
        try:
            check_currency(facts)
        except CurrencyMismatch as exc:
            raise SettlementError(currency_message(exc), field="period_start") from exc
        try:
            result = registry.settle(key, contract.terms, facts)
            _check_storable(result.lines, key)
        except CurrencyMismatch as exc:
            raise SettlementError(currency_message(exc), field="period_start") from exc
        except Exception as exc:  # noqa: BLE001 - any plugin failure is shown, never half-written
            raise scheme_failure(key, exc) from exc
        del facts

    query = SectionQuery(client_id, client.code, contract.currency, contract.id, key,
                         contract.starts_on, period)
    extra: list[ResultLine] = []
    for name, provider in section_providers().items():
        lines = tuple(provider.provide(query) or ())
        try:
            validate_result(SettlementResult(lines=lines), contract.currency, scheme_key=name)
            for line in lines:
                if line.section != name or line.description_key not in provider.descriptions:
                    raise MalformedResult(name, f"line {line.reference}: section or description key unknown")
            _check_storable(lines, name)
        except ContractError as exc:
            raise SettlementError(_("The portal section %(section)s is malformed: %(why)s",
                                    section=name, why=str(exc))) from exc
        extra.extend(lines)
    return Computed(contract, period.start, period.end, result, tuple(extra))


def _check_storable(lines: Iterable[ResultLine], key: str) -> None:
    for index, line in enumerate(lines):
        for name, limit in LIMITS.items():
            if len(getattr(line, name)) > limit:
                raise MalformedResult(key, f"line {index + 1}: {name} is longer than {limit} characters")
        encode_params(line.params)


def issued_settlement(client_id: int, period_start: date) -> Settlement | None:
    return db.session.scalars(
        select(Settlement).where(Settlement.client_id == client_id, Settlement.period_start == period_start,
                                 Settlement.kind == SETTLEMENT, Settlement.status == ISSUED)
    ).first()


def compute_draft(client_id: int, period_start: date) -> Settlement:
    """Compute (or recompute) the client's draft for the period starting on
    ``period_start`` and store it, replacing the lines of an earlier draft. Raises
    SettlementError / SchemeFailed with nothing written. The caller commits."""
    already = issued_settlement(client_id, period_start)
    if already is not None:
        raise SettlementError(
            _("The settlement of this period has already been issued as %(number)s; correct it "
              "with a credit note.", number=already.number), field="period_start", status=409)
    computed = settle_period(client_id, period_start)
    session = db.session
    with session.begin_nested():
        # One computation per client at a time: the contract row is the lock (PostgreSQL).
        session.execute(select(Contract.id).where(Contract.id == computed.contract.id).with_for_update())
        draft = session.scalars(
            select(Settlement).where(Settlement.client_id == client_id, Settlement.period_start == period_start,
                                     Settlement.kind == SETTLEMENT, Settlement.status == DRAFT)
            .order_by(Settlement.id).with_for_update().execution_options(populate_existing=True)
        ).first()
        if draft is None:
            draft = Settlement(client_id=client_id, kind=SETTLEMENT, status=DRAFT, period_start=period_start)
            session.add(draft)
        else:
            session.execute(delete(SettlementLine.__table__).where(
                SettlementLine.__table__.c.settlement_id == draft.id))
        result = computed.result
        draft.contract_id = computed.contract.id
        draft.scheme_key = computed.contract.scheme_key
        draft.currency = computed.contract.currency
        draft.period_end = computed.period_end
        draft.total = computed.total
        draft.ledger = ledger_json(result.ledger)
        draft.rejected_claims = rejected_json(result.rejected_claims)
        session.flush()
        insert_lines(draft, computed.lines)
    session.expire(draft, ["lines"])
    return draft


def line_row(line: ResultLine) -> dict:
    """A scheme's (or a portal section's) result line as a settlement_line row."""
    return {"section": line.section, "direction": line.direction, "amount": line.amount,
            "currency": line.currency, "description_key": line.description_key,
            "params": encode_params(line.params), "reference": (line.reference or "")[:REFERENCE_MAX],
            "quantity": line.quantity, "unit_price": line.unit_price}


def insert_lines(settlement: Settlement, lines: Iterable[ResultLine]) -> None:
    """Bulk-insert result ``lines`` as the settlement's, in order."""
    insert_rows(settlement, (line_row(line) for line in lines))


def insert_rows(settlement: Settlement, rows: Iterable[dict]) -> None:
    """Bulk-insert line rows (see ``line_row``) as the settlement's, numbered from 1."""
    rows = [dict(row, settlement_id=settlement.id, client_id=settlement.client_id, position=position)
            for position, row in enumerate(rows, start=1)]
    if rows:
        db.session.execute(insert(SettlementLine.__table__), rows)
