"""Who may see which document: ONE rule, used by the list, the detail page, downloads, the
API and the notices of new versions.

An internal user sees every document. A client sees a document when
  (a) it bought one of the document's models (a shipment line of that model), or, for a
      document narrowed to batches, received one of those batches; or
  (b) the document was granted to it explicitly (DocumentGrant);
and, in both cases, when the document's type is confidential (CONFIDENTIAL_TYPES, e.g.
schematics), the client also holds the permission for that type (DocumentTypePermission).
An explicit grant does not waive the confidential permission: the permission stands for the
non-disclosure agreement, the grant only for the need.

`access_condition(client_id)` is that rule as a SQL condition on Document; `client_id` may be
a number (which client is asking) or a column (Client.id: which clients may see a document).
The tenancy hook additionally confines ShipmentLine and DocumentGrant to the signed-in client.
"""
from __future__ import annotations

from sqlalchemy import and_, exists, or_, select

from ..clients.models import Client
from ..extensions import db
from ..shipments.models import ShipmentLine
from .models import (
    CONFIDENTIAL_TYPES,
    Document,
    DocumentGrant,
    DocumentTypePermission,
    document_batch,
    document_model,
)


def access_condition(client_id):
    narrowed_to_batches = exists().where(document_batch.c.document_id == Document.id)
    bought_model = exists(
        select(ShipmentLine.id)
        .join(document_model, document_model.c.model_id == ShipmentLine.model_id)
        .where(document_model.c.document_id == Document.id, ShipmentLine.client_id == client_id)
    )
    bought_batch = exists(
        select(ShipmentLine.id)
        .join(document_batch, document_batch.c.batch_id == ShipmentLine.batch_id)
        .where(document_batch.c.document_id == Document.id, ShipmentLine.client_id == client_id)
    )
    granted = exists(
        select(DocumentGrant.id).where(DocumentGrant.document_id == Document.id, DocumentGrant.client_id == client_id)
    )
    permitted = or_(
        Document.doc_type.not_in(sorted(CONFIDENTIAL_TYPES)),
        exists(
            select(DocumentTypePermission.id).where(
                DocumentTypePermission.client_id == client_id, DocumentTypePermission.doc_type == Document.doc_type
            )
        ),
    )
    needed = or_(and_(~narrowed_to_batches, bought_model), and_(narrowed_to_batches, bought_batch), granted)
    return and_(needed, permitted)


def viewer_client_id(user) -> int | None:
    """The client a user reads documents as, or None for internal users (who see all)."""
    return user.client_id if getattr(user, "is_client", False) else None


def visible_documents(user):
    """SELECT of the documents `user` may see (the base of every list, page and download)."""
    stmt = select(Document)
    client_id = viewer_client_id(user)
    if client_id is not None:
        stmt = stmt.where(access_condition(client_id))
    return stmt


def get_visible_document(user, document_id: int) -> Document | None:
    return db.session.scalar(visible_documents(user).where(Document.id == document_id))


def clients_with_access(document_id: int):
    """SELECT of the active clients that may see the document (for notices of new versions)."""
    # Client and Document side by side (one document row), so the rule's subqueries correlate to both.
    return (
        select(Client)
        .join(Document, Document.id == document_id)
        .where(Client.active, access_condition(Client.id))
        .order_by(Client.id)
    )
