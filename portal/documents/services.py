"""Documents: search, publishing versions, grants and permissions, downloads. No Flask request
objects here; who is asking is passed in as `user`. Access is portal.documents.access's rule."""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from .. import audit
from ..catalogue.models import Batch, ProductModel
from ..clients.services import like
from ..db import utcnow
from ..extensions import db
from ..i18n import date_
from ..storage import storage
from .access import visible_documents
from .models import (
    CONFIDENTIAL_TYPES,
    DOCUMENT_TYPES,
    Document,
    DocumentDownload,
    DocumentGrant,
    DocumentTypePermission,
    DocumentVersion,
    document_model,
)
from .notify import notify_clients, post_document_notice, send_notice_mail
from .validation import MIMETYPES, CheckedFile, UploadRejected, check_upload

UPLOADER_ROLES = ("staff", "admin")


class DocumentInvalid(ValueError):
    """Field errors: {"field": "message"}; nothing was written."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


@dataclass
class DocumentFilters:
    q: str = ""
    model_id: int | None = None
    doc_type: str = ""
    language: str = ""


def search(user, filters: DocumentFilters | None = None):
    """The documents `user` may see, filtered, newest first, with what a list shows loaded."""
    f = filters or DocumentFilters()
    stmt = visible_documents(user).options(selectinload(Document.models), selectinload(Document.versions))
    q = (f.q or "").strip()
    if q:
        stmt = stmt.where(Document.title.ilike(like(q), escape="\\"))
    if f.model_id:
        stmt = stmt.where(Document.id.in_(select(document_model.c.document_id).where(
            document_model.c.model_id == f.model_id)))
    if f.doc_type:
        stmt = stmt.where(Document.doc_type == f.doc_type)
    if f.language:
        stmt = stmt.where(Document.language == f.language)
    return stmt.order_by(Document.updated_at.desc(), Document.id.desc())


def detail_options():
    return (selectinload(Document.models), selectinload(Document.batches),
            selectinload(Document.versions).joinedload(DocumentVersion.created_by))


def _resolve(data: dict, locales) -> tuple[dict, list[ProductModel], list[Batch]]:
    errors: dict[str, str] = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give the document a title.")
    elif len(title) > 200:
        errors["title"] = _("The title is too long (200 characters at most).")
    if data.get("doc_type") not in DOCUMENT_TYPES:
        errors["doc_type"] = _("Choose a document type.")
    if data.get("language") not in locales:
        errors["language"] = _("Choose a language.")
    model_ids = sorted({int(m) for m in data.get("model_ids") or ()})
    batch_ids = sorted({int(b) for b in data.get("batch_ids") or ()})
    models = list(db.session.scalars(select(ProductModel).where(ProductModel.id.in_(model_ids)))) if model_ids else []
    batches = list(db.session.scalars(select(Batch).where(Batch.id.in_(batch_ids)))) if batch_ids else []
    if not model_ids or len(models) != len(model_ids):
        errors["model_ids"] = _("Choose the models the document applies to.")
    if len(batches) != len(batch_ids):
        errors["batch_ids"] = _("Unknown batch.")
    elif any(b.model_id not in model_ids for b in batches):
        errors["batch_ids"] = _("Each batch must belong to one of the chosen models.")
    if errors:
        raise DocumentInvalid(errors)
    values = {"title": title, "doc_type": data["doc_type"], "language": data["language"],
              "description": (data.get("description") or "").strip()}
    return values, models, batches


def _check_file(stream: BinaryIO, filename: str | None, doc_type: str, max_bytes: int) -> CheckedFile:
    try:
        return check_upload(stream, filename, doc_type, max_bytes)
    except UploadRejected as exc:
        raise DocumentInvalid({"file": str(exc)}) from None


def create_document(data: dict, stream: BinaryIO, filename: str | None, user, *, locales, max_bytes: int,
                    release_notes: str = "") -> DocumentVersion:
    """Create a document with its first version (all or nothing) and notify the clients."""
    values, models, batches = _resolve(data, locales)
    checked = _check_file(stream, filename, values["doc_type"], max_bytes)
    document = Document(**values, models=models, batches=batches, created_by_id=user.id)
    db.session.add(document)
    return _publish(document, checked, user, release_notes, max_bytes)


def update_document(document: Document, data: dict, user, *, locales) -> Document:
    values, models, batches = _resolve(data, locales)
    for key, value in values.items():
        setattr(document, key, value)
    document.models = models
    document.batches = batches
    audit.record("document.update", document, title=document.title)
    db.session.commit()
    return document


def add_version(document: Document, stream: BinaryIO, filename: str | None, user, *, max_bytes: int,
                release_notes: str = "") -> DocumentVersion:
    checked = _check_file(stream, filename, document.doc_type, max_bytes)
    return _publish(document, checked, user, release_notes, max_bytes)


def _publish(document: Document, checked: CheckedFile, user, release_notes: str, max_bytes: int) -> DocumentVersion:
    key = storage().put(checked.stream, max_bytes=max_bytes)
    db.session.flush()
    number = (db.session.scalar(select(func.max(DocumentVersion.number))
                                .where(DocumentVersion.document_id == document.id)) or 0) + 1
    version = DocumentVersion(document=document, number=number, release_notes=(release_notes or "").strip(),
                              storage_key=key, size=checked.size, filename=checked.filename,
                              file_format=checked.file_format, created_by_id=user.id)
    db.session.add(version)
    document.updated_at = utcnow()
    db.session.flush()
    notified = notify_clients(version)
    audit.record("document.publish", document, version=number, sha256=key, clients_notified=notified)
    try:
        db.session.commit()
    except IntegrityError:  # another upload took this number at the same moment
        db.session.rollback()
        raise DocumentInvalid({"file": _("Another version was published at the same time; try again.")}) from None
    send_notice_mail(version)
    db.session.commit()  # the mail job's row (the thread and rq backends commit it themselves)
    return version


def version_of(document: Document, version_id: int | None) -> DocumentVersion | None:
    if version_id is None:
        return document.current
    return next((v for v in document.versions if v.id == version_id), None)


@dataclass
class Download:
    body: bytes | BinaryIO
    filename: str
    mimetype: str
    stamped: bool


def stamp_texts(client, user) -> tuple[str, str]:
    with force_locale(client.locale):
        day = date_(utcnow().date())
        text = _("Confidential: supplied to %(client)s only, downloaded by %(user)s on %(date)s",
                 client=client.name, user=user.email, date=day)
        mark = _("%(client)s · confidential · %(date)s", client=client.name, date=day)
    return text, mark


def download(document: Document, version: DocumentVersion, user, *, via_api: bool = False, ip: str = "") -> Download:
    """The file of `version` for `user` (stamped for a client when confidential), recorded."""
    from .stamp import stamp_pdf

    client = user.client if getattr(user, "is_client", False) else None
    stamped = client is not None and document.doc_type in CONFIDENTIAL_TYPES and version.file_format == "pdf"
    if stamped:
        text, mark = stamp_texts(client, user)
        body: bytes | BinaryIO = stamp_pdf(storage().read(version.storage_key), text, mark)
    else:
        body = storage().open(version.storage_key)
    db.session.add(DocumentDownload(document_id=document.id, version_id=version.id, user_id=user.id,
                                    client_id=client.id if client else None, stamped=stamped, via_api=via_api,
                                    ip=(ip or "")[:45]))
    db.session.commit()
    return Download(body=body, filename=version.filename, mimetype=MIMETYPES[version.file_format], stamped=stamped)


def downloads_query(document_id: int):
    return (select(DocumentDownload).where(DocumentDownload.document_id == document_id)
            .options(selectinload(DocumentDownload.version), selectinload(DocumentDownload.user),
                     selectinload(DocumentDownload.client))
            .order_by(DocumentDownload.at.desc(), DocumentDownload.id.desc()))


def grants_of(document_id: int) -> list[DocumentGrant]:
    return list(db.session.scalars(select(DocumentGrant).where(DocumentGrant.document_id == document_id)
                                   .options(selectinload(DocumentGrant.client)).order_by(DocumentGrant.id)))


def grant(document: Document, client_id: int, user) -> bool:
    """Give the document to a client; False when it already had it. Notifies the client."""
    exists_ = db.session.scalar(select(DocumentGrant.id).where(DocumentGrant.document_id == document.id,
                                                               DocumentGrant.client_id == client_id))
    if exists_:
        return False
    db.session.add(DocumentGrant(document_id=document.id, client_id=client_id, granted_by_id=user.id))
    audit.record("document.grant", document, client_id=client_id)
    db.session.flush()
    if document.current is not None:
        post_document_notice(client_id, document.current, only_if_access=True)
    db.session.commit()
    return True


def revoke(document: Document, client_id: int) -> bool:
    result = db.session.execute(delete(DocumentGrant).where(DocumentGrant.document_id == document.id,
                                                            DocumentGrant.client_id == client_id))
    audit.record("document.revoke", document, client_id=client_id)
    db.session.commit()
    return bool(result.rowcount)


def permissions() -> dict[int, set[str]]:
    rows = db.session.execute(select(DocumentTypePermission.client_id, DocumentTypePermission.doc_type))
    found: dict[int, set[str]] = {}
    for client_id, doc_type in rows:
        found.setdefault(client_id, set()).add(doc_type)
    return found


def set_permission(client_id: int, doc_type: str, allowed: bool, user) -> None:
    if doc_type not in CONFIDENTIAL_TYPES:
        raise DocumentInvalid({"doc_type": _("This type of document needs no permission.")})
    current = db.session.scalar(select(DocumentTypePermission).where(
        DocumentTypePermission.client_id == client_id, DocumentTypePermission.doc_type == doc_type))
    if allowed and current is None:
        db.session.add(DocumentTypePermission(client_id=client_id, doc_type=doc_type, granted_by_id=user.id))
    elif not allowed and current is not None:
        db.session.delete(current)
    else:
        return
    audit.record("document.permission", f"client:{client_id}", client_id=client_id, doc_type=doc_type,
                 allowed=allowed)
    db.session.commit()
