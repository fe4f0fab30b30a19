"""The hash chain of issued documents (settlements and credit notes, one chain).

Each issued document stores ``prev_hash`` (the hash of the document issued before it, or 64
zeros for the first) and ``hash = sha256(prev_hash + canonical content)``. The canonical
content is deterministic JSON (sorted keys, no spaces, UTF-8; money as strings with the
column's scale; dates ISO) of: number, kind, client code, period, scheme, currency, total,
lines (position, section, direction, amount, currency, description key, params as stored,
reference, quantity, unit price), ledger, rejected claims, the number of the corrected
document and the reason of a credit note. It is always computed from what the database holds,
so issuing and verifying read exactly the same values.

``verify_chain`` walks the chain from the genesis hash and reports the first broken link.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..clients.models import Client
from ..extensions import db
from .models import ChainHead, Settlement, SettlementLine

GENESIS = "0" * 64
CENTS = Decimal("0.01")
PRICE_PLACES = Decimal("0.0001")


def _money(value: Any) -> str:
    return format(Decimal(value).quantize(CENTS), "f")


def _price(value: Any) -> str | None:
    return None if value is None else format(Decimal(value).quantize(PRICE_PLACES), "f")


def canonical_content(header: Mapping[str, Any], lines: Iterable[Mapping[str, Any]]) -> str:
    """The deterministic JSON text hashed for one document."""
    content = {
        "number": header["number"],
        "kind": header["kind"],
        "client": header["client_code"],
        "period": [header["period_start"].isoformat(), header["period_end"].isoformat()],
        "scheme": header["scheme_key"],
        "currency": header["currency"],
        "total": _money(header["total"]),
        "ledger": header["ledger"] or [],
        "rejected_claims": header["rejected_claims"] or [],
        "corrects": header["corrects_number"],
        "reason": header["reason"] or "",
        "lines": [
            {"position": line["position"], "section": line["section"], "direction": line["direction"],
             "amount": _money(line["amount"]), "currency": line["currency"],
             "description_key": line["description_key"], "params": line["params"] or {},
             "reference": line["reference"] or "", "quantity": line["quantity"],
             "unit_price": _price(line["unit_price"])}
            for line in lines
        ],
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, content: str) -> str:
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


# --- reading documents as the chain sees them ----------------------------------------------

def _header_query():
    s = Settlement.__table__.c
    corrected = aliased(Settlement.__table__)
    return (
        select(s.id, s.number, s.kind, s.status, s.period_start, s.period_end, s.scheme_key, s.currency,
               s.total, s.ledger, s.rejected_claims, s.reason, s.prev_hash, s.hash, s.issued_at,
               Client.__table__.c.code.label("client_code"), corrected.c.number.label("corrects_number"))
        .select_from(Settlement.__table__)
        .join(Client.__table__, Client.__table__.c.id == s.client_id)
        .outerjoin(corrected, corrected.c.id == s.corrects_id)
    )


def _line_query():
    c = SettlementLine.__table__.c
    return select(c.settlement_id, c.position, c.section, c.direction, c.amount, c.currency,
                  c.description_key, c.params, c.reference, c.quantity, c.unit_price)


def document_content(settlement_id: int, number: str) -> str:
    """The canonical content of one document as stored, numbered ``number`` (used while
    issuing, before the number is written)."""
    conn = db.session.connection()
    header = dict(conn.execute(_header_query().where(Settlement.__table__.c.id == settlement_id)).mappings().one())
    header["number"] = number
    c = SettlementLine.__table__.c
    lines = conn.execute(_line_query().where(c.settlement_id == settlement_id).order_by(c.position)).mappings()
    return canonical_content(header, lines)


@dataclass(frozen=True)
class ChainReport:
    intact: bool
    count: int  # documents verified in chain order
    broken_number: str | None = None
    problem: str = ""

    def __str__(self) -> str:
        if self.intact:
            return f"chain intact: {self.count} documents"
        return f"chain broken at {self.broken_number}: {self.problem} ({self.count} documents verified before it)"


def verify_chain() -> ChainReport:
    """Recompute every issued document's hash in chain order, from the genesis hash."""
    conn = db.session.connection()
    s = Settlement.__table__.c
    headers = [dict(row) for row in conn.execute(
        _header_query().where(s.status == "issued").order_by(s.issued_at, s.id)).mappings()]
    by_id = {h["id"]: h for h in headers}
    lines: dict[int, list] = {h["id"]: [] for h in headers}
    c = SettlementLine.__table__.c
    issued_ids = select(s.id).where(s.status == "issued")
    rows = conn.execute(
        _line_query().where(c.settlement_id.in_(issued_ids)).order_by(c.settlement_id, c.position)
        .execution_options(yield_per=5000)).mappings()
    for row in rows:
        if row["settlement_id"] in lines:
            lines[row["settlement_id"]].append(row)

    following: dict[str | None, list[dict]] = {}
    for header in headers:
        following.setdefault(header["prev_hash"], []).append(header)
    expected, count, seen = GENESIS, 0, set()
    while True:
        nexts = following.get(expected, [])
        if not nexts:
            break
        if len(nexts) > 1:
            numbers = ", ".join(h["number"] for h in nexts)
            return ChainReport(False, count, nexts[1]["number"],
                               f"the chain forks: {numbers} all follow the same document")
        header = nexts[0]
        if header["id"] in seen:
            return ChainReport(False, count, header["number"], "the chain loops back on itself")
        seen.add(header["id"])
        recomputed = chain_hash(expected, canonical_content(header, lines[header["id"]]))
        if recomputed != header["hash"]:
            return ChainReport(False, count, header["number"],
                               "its content does not match its hash (changed after issue)")
        count += 1
        expected = header["hash"]
    if count < len(headers):
        stray = next(h for h in headers if h["id"] not in seen)
        return ChainReport(False, count, stray["number"],
                           "its previous hash matches no document of the chain (a link was changed or removed)")
    head = conn.execute(select(ChainHead.__table__.c.last_hash).order_by(ChainHead.__table__.c.id)).scalar()
    if (head or GENESIS) != expected:
        last = by_id.get(next((h["id"] for h in headers if h["hash"] == expected), None))
        return ChainReport(False, count, last["number"] if last else "-",
                           "the chain head does not point at the last issued document")
    return ChainReport(True, count)
