"""What the service network reads from other capabilities, each through one small function.

RMA and claims are built by colleagues at the same time as this package; these readers are the
only place that knows their shape. Each returns plain facts (dataclasses), or None when the
capability is not installed, so pages can say "not available yet" instead of a wrong zero.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select

from ..extensions import db

HK_DESTINATION = "hk_service_point"  # portal.rma.models.Rma.destination for the Hong Kong point


def _module(name: str):
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


@dataclass(frozen=True)
class RepairFact:
    """One unit or board repaired by a station: for turnaround and repeat repairs."""
    station_id: int
    serial: str
    received: date | None
    returned: date | None


@dataclass(frozen=True)
class ClaimFact:
    """One claim a client station submitted, and its decision."""
    station_id: int
    serial: str
    repair_date: date
    submitted_on: date
    status: str  # "accepted", "rejected", or undecided


@dataclass(frozen=True)
class WaitingReturn:
    """An RMA on its way to the Hong Kong service point (shipped by the client, not yet received)."""
    rma_id: int
    label: str
    client_name: str
    kind: str
    line_count: int
    shipped_at: datetime | None


def rma_waiting_at_service_point() -> list[WaitingReturn] | None:
    """RMAs routed to the Hong Kong service point that the client has shipped and the ODM has
    not yet received: what the next weekly visit collects."""
    rma = _module("portal.rma.models")
    if rma is None:
        return None
    Rma = rma.Rma
    stmt = (select(Rma).where(Rma.destination == HK_DESTINATION, Rma.status == "shipped")
            .order_by(Rma.status_changed_at, Rma.id))
    return [WaitingReturn(r.id, r.label, r.client.name, r.kind, r.line_count, r.status_changed_at)
            for r in db.session.scalars(stmt)]


def rma_repair_facts(start: date, end: date) -> list[RepairFact] | None:
    """Units and boards routed to authorised stations and received in [start, end]: the day
    received and the day shipped back (from the RMA timeline)."""
    rma = _module("portal.rma.models")
    if rma is None:
        return None
    Rma, RmaLine, RmaEvent = rma.Rma, rma.RmaLine, rma.RmaEvent
    received = (select(RmaEvent.rma_id, func.min(RmaEvent.at).label("at"))
                .where(RmaEvent.to_status == "received").group_by(RmaEvent.rma_id).subquery())
    returned = (select(RmaEvent.rma_id, func.min(RmaEvent.at).label("at"))
                .where(RmaEvent.to_status == "shipped_back").group_by(RmaEvent.rma_id).subquery())
    stmt = (select(Rma.station_id, RmaLine.serial, received.c.at, returned.c.at)
            .join(RmaLine, RmaLine.rma_id == Rma.id)
            .join(received, received.c.rma_id == Rma.id)
            .outerjoin(returned, returned.c.rma_id == Rma.id)
            .where(Rma.station_id.is_not(None),
                   received.c.at >= datetime.combine(start, time(), tzinfo=timezone.utc),
                   received.c.at < datetime.combine(end + timedelta(days=1), time(), tzinfo=timezone.utc)))
    return [RepairFact(station_id, serial, got.date(), back.date() if back else None)
            for station_id, serial, got, back in db.session.execute(stmt)]


def claim_facts(start: date, end: date) -> list[ClaimFact] | None:
    """Claims of client stations with a repair date in [start, end]."""
    claims = _module("portal.claims.models")
    if claims is None:
        return None
    Claim = claims.Claim
    stmt = select(Claim.station_id, Claim.serial, Claim.repair_date, Claim.submitted_on, Claim.status).where(
        Claim.repair_date >= start, Claim.repair_date <= end)
    return [ClaimFact(*row) for row in db.session.execute(stmt)]


@dataclass(frozen=True)
class DocumentRef:
    id: int
    title: str
    url: str | None


def documents_missing(ids: list[int]) -> list[int] | None:
    """The ids among `ids` that are no document of portal.documents (None: not installed)."""
    documents = _module("portal.documents.models")
    if documents is None:
        return None
    found = set(db.session.scalars(select(documents.Document.id).where(documents.Document.id.in_(ids))))
    return [i for i in ids if i not in found]


def documents_for(user, ids: list[int]) -> list[DocumentRef]:
    """The linked documents `user` may open (a client sees only what portal.documents lets it)."""
    access = _module("portal.documents.access")
    if access is None or not ids:
        return []
    Document = _module("portal.documents.models").Document
    stmt = access.visible_documents(user).where(Document.id.in_(ids)).order_by(Document.title)
    return [DocumentRef(d.id, d.title, _document_url(d.id)) for d in db.session.scalars(stmt)]


def _document_url(document_id: int) -> str | None:
    from flask import url_for
    from werkzeug.routing import BuildError

    try:
        return url_for("documents.detail", document_id=document_id)
    except BuildError:
        return None
