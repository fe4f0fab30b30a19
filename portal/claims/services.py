"""Submitting claims (form, API, upload share ``submit_claims``), and the queries of the
lists, the export and the detail pages. No Flask request objects here."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Select, insert, select
from sqlalchemy.orm import joinedload, selectinload

from ..clients.models import Client
from ..extensions import db
from ..schemes.models import Contract
from ..schemes.registry import current_schemes
from ..warranty.services import local_today
from .adjudication import Outcome, adjudicate_pending, compensation_contract
from .attachments import Upload, check_uploads, store_uploads
from .intake import ClaimInput, IntakeContext, SerialsBusy, check_claim, lock_serials
from .models import Claim, ClaimPart, PreAuthorisation

CLIENT_ROLES = ("client_admin", "client_user")


def today() -> date:
    """The portal's today for claims (one place, so tests can fix it)."""
    return local_today()


def no_contract_message() -> str:
    return _("Your company has no repair-fee compensation contract in force, so it cannot file repair "
             "claims. Ask the ODM's after-sales team about a compensation scheme.")


class ClaimsInvalid(Exception):
    """Nothing was submitted. ``rows``: index of the claim -> errors per field;
    ``general``: errors about the submission as a whole."""

    def __init__(self, rows: dict[int, dict] | None = None, general: list[str] | None = None):
        self.rows = rows or {}
        self.general = general or []
        super().__init__("claims invalid")


def intake_context(client: Client, day: date | None = None) -> IntakeContext:
    day = day or today()
    contract = compensation_contract(client.id, day)
    if contract is None:
        raise ClaimsInvalid(general=[no_contract_message()])
    return IntakeContext.build(client, contract, day)


def submit_claims(client: Client, inputs: list[ClaimInput], user, ctx: IntakeContext | None = None
                  ) -> tuple[list[int], Outcome]:
    """Check every claim, insert them all and adjudicate them, or write nothing (raises
    ClaimsInvalid). Runs in a SAVEPOINT; the caller commits."""
    try:
        lock_serials(given.serial for given in inputs)  # first: concurrent claims on a serial see each other
    except SerialsBusy as busy:
        raise ClaimsInvalid(general=[str(busy)]) from None
    ctx = ctx or intake_context(client)
    ctx.prefetch(inputs)
    rows, parts, errors = [], [], {}
    for index, given in enumerate(inputs):
        found, row, part_rows = check_claim(given, ctx)
        if found:
            errors[index] = dict(found)
        else:
            rows.append(dict(row, submitted_by_id=getattr(user, "id", None)))
            parts.append(part_rows)
    if errors:
        raise ClaimsInvalid(errors)
    with db.session.begin_nested():
        conn = db.session.connection()
        table = Claim.__table__
        ids = _insert_claims(conn, table, rows)
        part_rows = [dict(p, claim_id=claim_id) for claim_id, items in zip(ids, parts) for p in items]
        if part_rows:
            conn.execute(insert(ClaimPart.__table__), part_rows)
        outcome = adjudicate_pending(ctx.today, client.id)
    return ids, outcome


def _insert_claims(conn, table, rows: list[dict]) -> list[int]:
    """Insert ``rows`` in bulk and return their ids in the rows' order. RETURNING in
    parameter order makes SQLite insert row by row, so the ids are matched back by the rows'
    own values instead: rows equal in every column are interchangeable."""
    names = [n for n in rows[0] if n not in ("reasons", "signals")]
    waiting: dict[tuple, list[int]] = {}
    for index, row in enumerate(rows):
        waiting.setdefault(tuple(row[n] for n in names), []).append(index)
    ids = [0] * len(rows)
    returned = conn.execute(insert(table).returning(table.c.id, *(table.c[n] for n in names)), rows)
    for new_id, *values in returned:
        ids[waiting[tuple(values)].pop(0)] = new_id
    return ids


def submit_claim(client: Client, given: ClaimInput, user, uploads: list[Upload] = ()) -> Claim:
    """One claim with its attachments (all checked before anything is written)."""
    upload_errors = check_uploads(list(uploads))
    try:
        ids, _outcome = submit_claims(client, [given], user)
    except ClaimsInvalid as exc:
        if upload_errors:
            exc.rows.setdefault(0, {})["attachments"] = upload_errors
        raise
    if upload_errors:
        raise ClaimsInvalid({0: {"attachments": upload_errors}})
    claim = db.session.get(Claim, ids[0])
    store_uploads(claim, list(uploads))
    db.session.flush()
    return claim


# --- lists, detail, export ----------------------------------------------------------------

@dataclass
class ClaimFilters:
    status: str | None = None
    client_id: int | None = None
    station_id: int | None = None
    fault_cause: str | None = None
    signal: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    serial: str | None = None


def claims_query(filters: ClaimFilters) -> Select:
    """Newest first; the tenancy hook confines client users to their own claims. ``signal``
    is matched in Python-free SQL on the JSON text (a list of short codes)."""
    stmt = select(Claim).options(joinedload(Claim.client), joinedload(Claim.station))
    if filters.status:
        stmt = stmt.where(Claim.status == filters.status)
    if filters.client_id:
        stmt = stmt.where(Claim.client_id == filters.client_id)
    if filters.station_id:
        stmt = stmt.where(Claim.station_id == filters.station_id)
    if filters.fault_cause:
        stmt = stmt.where(Claim.fault_cause == filters.fault_cause)
    if filters.signal:
        from sqlalchemy import String, cast

        stmt = stmt.where(cast(Claim.signals, String).contains(f'"{filters.signal}"'))
    if filters.date_from:
        stmt = stmt.where(Claim.repair_date >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Claim.repair_date <= filters.date_to)
    if filters.serial:
        stmt = stmt.where(Claim.serial == filters.serial)
    return stmt.order_by(Claim.id.desc())


def get_claim(claim_id: int) -> Claim:
    return db.one_or_404(
        select(Claim).where(Claim.id == claim_id).options(
            joinedload(Claim.client), joinedload(Claim.station), joinedload(Claim.model),
            joinedload(Claim.preauthorisation), selectinload(Claim.parts), selectinload(Claim.attachments)))


def scheme_keys(contract_ids) -> dict[int, str]:
    ids = sorted({i for i in contract_ids if i})
    if not ids:
        return {}
    return dict(db.session.execute(select(Contract.id, Contract.scheme_key).where(Contract.id.in_(ids))).all())


def reason_texts(scheme_key: str | None, reasons, locale: str) -> list[str]:
    """The scheme's texts for its reason keys, in ``locale`` (the key when it has none)."""
    info = current_schemes().infos.get(scheme_key or "")
    return [info.message(r, locale) if info is not None and r in info.messages else r for r in reasons or ()]


def approved_preauths(client_id: int) -> list[PreAuthorisation]:
    return list(db.session.scalars(select(PreAuthorisation).where(
        PreAuthorisation.client_id == client_id, PreAuthorisation.status == "approved")
        .order_by(PreAuthorisation.id.desc()).limit(200)))



# --- for other capabilities (the service network) --------------------------------------------

def station_claims(start: date, end: date) -> list[tuple[int | None, str, date, date, str]]:
    """(station id, serial, repair date, submitted on, status) of the claims with a repair
    date in [start, end]: one query, columns only."""
    return [tuple(row) for row in db.session.execute(
        select(Claim.station_id, Claim.serial, Claim.repair_date, Claim.submitted_on, Claim.status)
        .where(Claim.repair_date >= start, Claim.repair_date <= end))]
