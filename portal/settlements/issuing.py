"""Issuing a draft, and correcting an issued settlement by a credit note.

Issuing takes, in this order and inside the caller's transaction (one SAVEPOINT):
1. the chain head row, created when missing (INSERT ... ON CONFLICT DO NOTHING) and locked
   (SELECT ... FOR UPDATE): every issuer of every document kind queues here, so the chain
   never forks. On SQLite this first statement is a write, which takes the database's write
   lock before anything is read: concurrent issuers are serialised there too;
2. the document row, locked, which must still be a draft;
3. the counter row of the document's prefix (ST, CN) and year, created when missing the same
   way and locked: the next number is ``last + 1``, so numbers never repeat or skip.
Then the document gets its number, ``prev_hash`` (the head's hash), its own hash
(``chain.chain_hash``), the issuer and the time, and the head moves to it. All locks are
released when the caller commits; a failure rolls the SAVEPOINT back and nothing is issued.

The database itself refuses to change or delete an issued document or its lines (triggers,
see the migration ``settlement immutability triggers``).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from babel.dates import get_timezone
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from contracts.domain import round_money
from contracts.types import CREDIT, DEBIT

from ..db import utcnow
from ..extensions import db
from .chain import GENESIS, chain_hash, document_content
from .engine import CREDIT_NOTE, DRAFT, ISSUED, SETTLEMENT, insert_rows, issued_settlement
from .errors import InvalidInput, SettlementError
from .models import ChainHead, DocumentCounter, Settlement
from .sections import CORRECTION, CORRECTION_LINE

PREFIXES = {SETTLEMENT: "ST", CREDIT_NOTE: "CN"}
HEAD_ID = 1
REASON_MAX = 2000
DESCRIPTION_MAX = 200
AMOUNT_MAX = Decimal("999999999999.99")


def _insert_ignore(conn, table, values: dict) -> None:
    """INSERT a row unless its primary key exists (no error, no lock wait on a duplicate)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the portal runs on SQLite and PostgreSQL only
        raise RuntimeError(f"unsupported database: {conn.dialect.name}")
    conn.execute(insert(table).values(**values).on_conflict_do_nothing())


def lock_chain_head(conn) -> str:
    """Create the chain head if needed, lock it, and return the last issued hash."""
    table = ChainHead.__table__
    _insert_ignore(conn, table, {"id": HEAD_ID, "last_hash": GENESIS, "last_document_id": None})
    return conn.execute(select(table.c.last_hash).where(table.c.id == HEAD_ID).with_for_update()).scalar_one()


def next_number(conn, prefix: str, year: int) -> str:
    """The next number of ``prefix`` in ``year``, taken from its locked counter row."""
    table = DocumentCounter.__table__
    where = (table.c.prefix == prefix) & (table.c.year == year)
    _insert_ignore(conn, table, {"prefix": prefix, "year": year, "last": 0})
    last = conn.execute(select(table.c.last).where(where).with_for_update()).scalar_one()
    conn.execute(update(table).where(where).values(last=last + 1))
    return f"{prefix}-{year}-{last + 1:05d}"


def business_year(moment: datetime) -> int:
    """The year of ``moment`` in the portal's time zone (numbers restart each year there)."""
    return moment.astimezone(get_timezone(current_app.config["BABEL_DEFAULT_TIMEZONE"])).year


def issue(settlement_id: int, user_id: int | None, *, now: datetime | None = None) -> Settlement:
    """Number, hash-chain and freeze the draft ``settlement_id``. The caller commits.

    Raises SettlementError (404: no such document; 409: not a draft any more, or the period
    already issued)."""
    now = now or utcnow()
    session = db.session
    with session.begin_nested():
        conn = session.connection()
        prev_hash = lock_chain_head(conn)
        doc = session.scalars(
            select(Settlement).where(Settlement.id == settlement_id)
            .with_for_update().execution_options(populate_existing=True)
        ).first()
        if doc is None:
            raise SettlementError(_("There is no such settlement."), status=404)
        if doc.status != DRAFT:
            raise SettlementError(_("%(number)s has already been issued.", number=doc.number), status=409)
        if doc.kind == SETTLEMENT:
            other = issued_settlement(doc.client_id, doc.period_start)
            if other is not None:
                raise SettlementError(
                    _("The settlement of this period has already been issued as %(number)s; correct it "
                      "with a credit note.", number=other.number), status=409)
        number = next_number(conn, PREFIXES[doc.kind], business_year(now))
        session.flush()
        digest = chain_hash(prev_hash, document_content(doc.id, number))
        doc.number, doc.issued_at, doc.issued_by_id = number, now, user_id
        doc.prev_hash, doc.hash, doc.status = prev_hash, digest, ISSUED
        session.flush()
        conn.execute(update(ChainHead.__table__).where(ChainHead.__table__.c.id == HEAD_ID)
                     .values(last_hash=digest, last_document_id=doc.id))
        _audit_issue(doc, user_id)
    return doc


def _audit_issue(doc: Settlement, user_id: int | None) -> None:
    from ..audit import record
    from ..auth.models import User

    corrects = db.session.get(Settlement, doc.corrects_id) if doc.corrects_id else None
    record("settlement.issue" if doc.kind == SETTLEMENT else "credit_note.issue", doc,
           user=db.session.get(User, user_id) if user_id else None, number=doc.number,
           total=str(doc.total), currency=doc.currency, period=doc.period_start.isoformat(),
           **({"corrects": corrects.number} if corrects else {}))


# --- credit notes -------------------------------------------------------------------------

@dataclass
class CreditLineInput:
    """One line finance types on a credit note (as typed: checked by create_credit_note)."""

    description: str | None
    direction: str | None
    amount: Decimal | str | None


def parse_amount(value, currency: str) -> tuple[Decimal | None, str | None]:
    """A positive amount rounded half-up to the currency, or (None, message)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, _("Enter the amount.")
    if isinstance(value, float) or isinstance(value, bool):
        return None, _("Enter the amount as a decimal number.")
    try:
        amount = Decimal(value.strip().replace(",", "") if isinstance(value, str) else value)
    except (InvalidOperation, TypeError, ValueError):
        return None, _("Enter the amount as a decimal number.")
    if not amount.is_finite():
        return None, _("Enter the amount as a decimal number.")
    amount = round_money(amount, currency)
    if amount <= 0:
        return None, _("The amount must be above zero.")
    if amount > AMOUNT_MAX:
        return None, _("The amount is too large.")
    return amount, None


def check_credit_lines(lines: Sequence[CreditLineInput], currency: str) -> tuple[list[dict], dict]:
    """Rows for the typed lines, and errors by line index and field."""
    rows, errors = [], {}
    for index, line in enumerate(lines):
        found: dict[str, list[str]] = {}
        description = (line.description or "").strip()
        if not description:
            found["description"] = [_("Describe the line.")]
        elif len(description) > DESCRIPTION_MAX:
            found["description"] = [_("At most %(n)s characters.", n=DESCRIPTION_MAX)]
        if line.direction not in (CREDIT, DEBIT):
            found["direction"] = [_("Choose who owes the amount.")]
        amount, problem = parse_amount(line.amount, currency)
        if problem:
            found["amount"] = [problem]
        if found:
            errors[index] = found
            continue
        rows.append({"section": CORRECTION, "direction": line.direction, "amount": amount,
                     "currency": currency, "description_key": CORRECTION_LINE,
                     "params": {"text": description}, "reference": "", "quantity": None, "unit_price": None})
    return rows, errors


def _mirrored(original: Settlement) -> list[dict]:
    return [{"section": line.section, "direction": DEBIT if line.direction == CREDIT else CREDIT,
             "amount": line.amount, "currency": line.currency, "description_key": line.description_key,
             "params": line.params, "reference": line.reference, "quantity": line.quantity,
             "unit_price": line.unit_price}
            for line in original.lines]


def _signed_total(rows: list[dict]) -> Decimal:
    return sum((r["amount"] if r["direction"] == CREDIT else -r["amount"] for r in rows), Decimal("0"))


def create_credit_note(original_id: int, user_id: int | None, *, reason: str | None,
                       reverse_all: bool = False, lines: Sequence[CreditLineInput] = (),
                       now: datetime | None = None) -> Settlement:
    """Issue a credit note correcting the issued settlement ``original_id``: either every
    line mirrored with the opposite direction (``reverse_all``), or the typed ``lines``.
    Raises InvalidInput (field errors) or SettlementError; nothing is written then. The
    caller commits."""
    original = db.session.get(Settlement, original_id)
    if original is None:
        raise SettlementError(_("There is no such settlement."), status=404)
    if original.status != ISSUED:
        raise SettlementError(_("Only an issued settlement can be corrected by a credit note; a draft is "
                                "recomputed instead."), status=409)
    if original.kind != SETTLEMENT:
        raise SettlementError(_("A credit note is not corrected by another credit note; correct the "
                                "settlement it belongs to."), status=409)
    errors: dict = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Give the reason for the credit note.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("At most %(n)s characters.", n=REASON_MAX)]
    rows: list[dict] = []
    if reverse_all and lines:
        errors["lines"] = [_("Either reverse the whole settlement or enter lines, not both.")]
    elif reverse_all:
        rows = _mirrored(original)
        if not rows:
            errors["reverse_all"] = [_("The settlement has no line to reverse.")]
    elif not lines:
        errors["lines"] = [_("Enter at least one line, or reverse the whole settlement.")]
    else:
        rows, line_errors = check_credit_lines(lines, original.currency)
        if line_errors:
            errors["lines"] = line_errors
    if errors:
        raise InvalidInput(errors, _("The credit note was not created."))

    session = db.session
    with session.begin_nested():
        note = Settlement(kind=CREDIT_NOTE, status=DRAFT, client_id=original.client_id,
                          contract_id=original.contract_id, scheme_key=original.scheme_key,
                          currency=original.currency, period_start=original.period_start,
                          period_end=original.period_end, total=_signed_total(rows), ledger=[],
                          rejected_claims=[], corrects_id=original.id, reason=reason)
        session.add(note)
        session.flush()
        insert_rows(note, rows)
        issue(note.id, user_id, now=now)
    session.expire(note, ["lines"])
    return note
