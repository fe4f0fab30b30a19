"""Automatic adjudication: every arriving claim is decided by its client's contract through
the scheme's ``portal_adjudicate_claim`` hook, in batches.

``adjudicate_pending`` decides every claim still ``pending`` (inserted by the intake in the
same transaction), of one client or of all. The work is a fixed number of queries, whatever
the number of claims: the claims with their pre-authorisation state, their parts, the codes
of stations and models, and per client the contract, the units shipped under the claimed
serials, every other claim on those serials (repeat rule and signal), and the part-rate
statistics; then one executemany UPDATE. Terms are loaded once per contract (the registry's
``adjudicate`` loads them at every call; the checks it makes on the answer are made here
too). Accepted claims with a review signal go to review.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, select, update

from contracts import ClaimDecision, ClaimFact, ClaimHistory, ClaimPart, load_terms
from contracts.errors import MalformedResult
from contracts.types import ACCEPTED, REVIEW, ShippedUnit

from ..catalogue.models import Part, ProductModel
from ..extensions import db
from ..network.models import ClientStation
from ..schemes.registry import current_schemes
from ..schemes.services import contract_for
from ..settlements.engine import scheme_failure
from ..settlements.facts import paused_gc
from ..shipments.models import Serial, Shipment, ShipmentLine
from . import signals as sig
from .models import Claim, ClaimPart as ClaimPartRow, PreAuthorisation

PENDING = "pending"
WRITE_CHUNK = 5000


class NoCompensationContract(Exception):
    """The client has no contract in force whose scheme decides claims."""


@dataclass
class Outcome:
    accepted: int = 0
    rejected: int = 0
    review: int = 0
    ids: list[int] = field(default_factory=list)


def compensation_contract(client_id: int, on: date):
    """The client's contract in force on ``on`` when its scheme compensates repairs, else None."""
    contract = contract_for(client_id, on)
    if contract is None:
        return None
    registry = current_schemes()
    if not registry.is_installed(contract.scheme_key) or not registry.info(contract.scheme_key).handles_claims:
        return None
    return contract


def _load(where) -> tuple[list, dict[int, list[ClaimPart]]]:
    claim, pa = Claim.__table__.c, PreAuthorisation.__table__.c
    conn = db.session.connection()
    rows = conn.execute(
        select(claim.id, claim.client_id, claim.serial, claim.model_id, claim.station_id, claim.repair_date,
               claim.submitted_on, claim.fault_cause, claim.repair_level, claim.repaired_category,
               claim.claimed_labour, claim.claimed_parts, claim.claimed_handling, claim.currency,
               pa.status.label("preauth_status"))
        .select_from(Claim.__table__)
        .outerjoin(PreAuthorisation.__table__, pa.id == claim.preauthorisation_id)
        .where(where).order_by(claim.id)).all()
    cp, part = ClaimPartRow.__table__.c, Part.__table__.c
    parts: dict[int, list[ClaimPart]] = defaultdict(list)
    for claim_id, number, category, quantity in conn.execute(
            select(cp.claim_id, part.number, part.category, cp.quantity)
            .select_from(ClaimPartRow.__table__).join(Part.__table__, part.id == cp.part_id)
            .join(Claim.__table__, claim.id == cp.claim_id).where(where).order_by(cp.id)):
        parts[claim_id].append(ClaimPart(number, category, quantity))
    return rows, parts


def _history(where) -> tuple[dict, dict, dict]:
    """Per client: serial -> ShippedUnit (units shipped to it under the claimed serials),
    serial -> [(claim id, repair date)] of every claim on those serials, and serial ->
    [repair date] of the accepted ones among them."""
    claim = Claim.__table__.c
    keys = select(claim.client_id, claim.serial).where(where).distinct().subquery()
    s, ln, sh, m = (Serial.__table__.c, ShipmentLine.__table__.c, Shipment.__table__.c,
                    ProductModel.__table__.c)
    conn = db.session.connection()
    shipped: dict[int, dict[str, ShippedUnit]] = defaultdict(dict)
    for client_id, serial, code, day in conn.execute(
            select(sh.client_id, s.serial, m.code, sh.ship_date)
            .select_from(Serial.__table__)
            .join(ShipmentLine.__table__, ln.id == s.line_id).join(Shipment.__table__, sh.id == ln.shipment_id)
            .join(ProductModel.__table__, m.id == ln.model_id)
            .join(keys, and_(keys.c.serial == s.serial, keys.c.client_id == sh.client_id))):
        shipped[client_id][serial] = ShippedUnit(code, day)
    other = Claim.__table__.alias("other")
    claims: dict[int, dict[str, list]] = defaultdict(dict)
    accepted: dict[int, dict[str, list]] = defaultdict(dict)
    for client_id, serial, claim_id, day, status in conn.execute(
            select(other.c.client_id, other.c.serial, other.c.id, other.c.repair_date, other.c.status)
            .join(keys, and_(keys.c.serial == other.c.serial, keys.c.client_id == other.c.client_id))):
        claims[client_id].setdefault(serial, []).append((claim_id, day))
        if status == ACCEPTED:
            accepted[client_id].setdefault(serial, []).append(day)
    return shipped, claims, accepted


def _codes(table, ids) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.connection().execute(select(table.c.id, table.c.code).where(table.c.id.in_(sorted(ids)))).all())


def adjudicate_pending(today: date, client_id: int | None = None) -> Outcome:
    """Decide every pending claim (of ``client_id``, or of every client) on ``today``.
    Raises NoCompensationContract, or SchemeFailed when the scheme fails; writes nothing
    then (the caller rolls back). The caller commits."""
    claim = Claim.__table__.c
    where = claim.status == PENDING
    if client_id is not None:
        where = and_(where, claim.client_id == client_id)
    with paused_gc():  # tens of thousands of small objects alive at once
        return _adjudicate(where, today)


def _adjudicate(where, today: date) -> Outcome:
    rows, parts = _load(where)
    rows = [tuple(row) for row in rows]
    outcome = Outcome()
    if not rows:
        return outcome
    shipped, others, accepted_by_client = _history(where)
    stations = _codes(ClientStation.__table__, {r[4] for r in rows})
    models = _codes(ProductModel.__table__, {r[3] for r in rows if r[3]})
    outliers = sig.load_part_outliers({r[1] for r in rows}, today)
    registry = current_schemes()
    updates: dict[tuple, list[int]] = {}
    for client, client_rows in _by_client(rows).items():
        contract = compensation_contract(client, today)
        if contract is None:
            raise NoCompensationContract(client)
        key, info = contract.scheme_key, registry.info(contract.scheme_key)
        try:
            terms = load_terms(info, contract.terms)
        except Exception as exc:  # noqa: BLE001 - invalid stored terms: the scheme's failure
            raise scheme_failure(key, exc) from exc
        units, claimed, accepted = shipped.get(client, {}), others.get(client, {}), accepted_by_client[client]
        # One history for the client's batch: accepted repairs grow as claims are accepted, so a
        # later claim of the batch sees the earlier ones (pending claims are never in it).
        history = ClaimHistory(shipped_units=units, accepted_repairs=accepted)
        client_outliers = outliers.get(client, ())
        hook = registry.pm.hook.portal_adjudicate_claim
        for (claim_id, _client, serial, model_id, station_id, repair_date, submitted_on, cause, level, category,
             labour, parts_amount, handling, currency, preauth_status) in client_rows:
            unit = units.get(serial)
            fact = ClaimFact(
                f"CL-{claim_id:07d}", serial, models.get(model_id) or (unit.model_code if unit else ""),
                stations.get(station_id, ""), repair_date, submitted_on, None, cause, level, category,
                tuple(parts.get(claim_id, ())), labour, parts_amount, handling, currency, preauth_status == "approved")
            try:
                decision = hook(scheme_key=key, terms=terms, claim=fact, history=history)
                _check(key, info, decision)
            except Exception as exc:  # noqa: BLE001 - shown with the scheme's name, nothing written
                raise scheme_failure(key, exc) from exc
            found = _signals(claim_id, repair_date, station_id, unit, claimed.get(serial), client_outliers, fact)
            status = decision.outcome
            if status == ACCEPTED and found:
                status = REVIEW
            if status == ACCEPTED:
                accepted.setdefault(serial, []).append(repair_date)
            setattr(outcome, status, getattr(outcome, status) + 1)
            outcome.ids.append(claim_id)
            same = (status, decision.reasons, tuple(found), decision.schedule_amount, decision.adjusted_amount,
                    contract.id)
            updates.setdefault(same, []).append(claim_id)
    _write(updates, today)
    return outcome


def _write(updates: dict[tuple, list[int]], today: date) -> None:
    """One UPDATE ... WHERE id IN (...) per distinct decision (claims decided alike share
    one; their number is small next to the claims'), in chunks of ids."""
    table = Claim.__table__
    conn = db.session.connection()
    for (status, reasons, found, schedule, adjusted, contract_id), ids in updates.items():
        values = {"status": status, "reasons": list(reasons), "signals": list(found), "schedule_amount": schedule,
                  "adjusted_amount": adjusted, "decided_on": None if status == REVIEW else today,
                  "contract_id": contract_id}
        for start in range(0, len(ids), WRITE_CHUNK):
            conn.execute(update(table).where(table.c.id.in_(ids[start:start + WRITE_CHUNK])).values(values))


def _by_client(rows) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for row in rows:
        grouped[row[1]].append(row)
    return grouped


def _check(key: str, info, decision) -> None:
    if decision is None:
        raise MalformedResult(key, "no plugin answered portal_adjudicate_claim")
    if not isinstance(decision, ClaimDecision):
        raise MalformedResult(key, f"expected a ClaimDecision, got {type(decision).__name__}")
    unknown = [reason for reason in decision.reasons if reason not in info.messages]
    if unknown:
        raise MalformedResult(key, f"no message for reasons {unknown}")


def _signals(claim_id, repair_date, station_id, unit, others, outliers, fact) -> list[str]:
    found = []
    if others and sig.repeat_serial(claim_id, repair_date, others):
        found.append("repeat_serial")
    if unit is None:
        found.append("serial_not_shipped")
    if outliers and any((station_id, part.part_number) in outliers for part in fact.parts):
        found.append("part_rate_outlier")
    return found
