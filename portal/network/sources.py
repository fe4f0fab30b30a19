"""What the service network reads from other capabilities, each through one small function.

RMA and claims are read through their own services (portal.rma.services,
portal.claims.services), never their tables; these readers turn what those return into the
network's plain facts (dataclasses), or None when the capability is not installed, so pages
can say "not available yet" instead of a wrong zero.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

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
    rma = _module("portal.rma.services")
    if rma is None:
        return None
    return [WaitingReturn(r.id, r.label, r.client.name, r.kind, r.line_count, r.status_changed_at)
            for r in rma.shipped_towards(HK_DESTINATION)]


def rma_repair_facts(start: date, end: date) -> list[RepairFact] | None:
    """Units and boards routed to authorised stations and received in [start, end]: the day
    received and the day shipped back (from the RMA timeline)."""
    rma = _module("portal.rma.services")
    if rma is None:
        return None
    return [RepairFact(r.station_id, r.serial, r.received_at.date(),
                       r.shipped_back_at.date() if r.shipped_back_at else None)
            for r in rma.station_repairs_received(start, end)]


def claim_facts(start: date, end: date) -> list[ClaimFact] | None:
    """Claims of client stations with a repair date in [start, end]."""
    claims = _module("portal.claims.services")
    if claims is None:
        return None
    return [ClaimFact(*row) for row in claims.station_claims(start, end)]


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
