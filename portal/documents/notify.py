"""Telling clients about a published version: a notice in the portal (in the same transaction
as the version) and, after the commit, an e-mail to each client's contact address and its
active users, sent by a background job ("documents.notify_mail") in the client's language."""
from __future__ import annotations

from flask import has_request_context, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.models import User
from ..clients.models import Client
from ..extensions import db
from ..jobs import enqueue, job
from ..labels import label
from ..notices.services import post_notice
from ..outbox import send_mail
from .access import access_condition, clients_with_access
from .models import Document, DocumentVersion


def _notice_args(version: DocumentVersion) -> tuple[str, dict, str]:
    document = version.document
    key = "documents.new_document" if version.number == 1 else "documents.new_version"
    params = {"title": document.title, "version": version.number,
              "type": {"label": "doc_type", "code": document.doc_type}}
    return key, params, f"/documents/{document.id}"


def notify_clients(version: DocumentVersion) -> int:
    """Post a notice to every client that may see the document; returns how many."""
    key, params, link = _notice_args(version)
    client_ids = list(db.session.scalars(clients_with_access(version.document_id).with_only_columns(Client.id)))
    for client_id in client_ids:
        post_notice(client_id, key, params, link)
    return len(client_ids)


def post_document_notice(client_id: int, version: DocumentVersion, only_if_access: bool = True) -> bool:
    if only_if_access:
        allowed = db.session.scalar(select(Document.id).where(Document.id == version.document_id,
                                                              access_condition(client_id)))
        if allowed is None:
            return False
    key, params, link = _notice_args(version)
    post_notice(client_id, key, params, link)
    return True


def send_notice_mail(version: DocumentVersion) -> None:
    base = request.url_root.rstrip("/") if has_request_context() else ""
    enqueue("documents.notify_mail", version_id=version.id, base_url=base)


def recipients(client: Client) -> list[str]:
    emails = [client.contact_email] if client.contact_email else []
    emails += db.session.scalars(select(User.email).where(User.client_id == client.id, User.active)
                                 .order_by(User.email))
    return list(dict.fromkeys(e for e in emails if e))


def mail_text(client: Client, version: DocumentVersion, base_url: str) -> tuple[str, str]:
    document = version.document
    with force_locale(client.locale):
        kind = label("doc_type", document.doc_type)
        subject = _("New technical document version: %(title)s (version %(version)s)",
                    title=document.title, version=version.number)
        lines = [
            _("Dear %(client)s,", client=client.name), "",
            _("Version %(version)s of the %(type)s \"%(title)s\" is now available in the after-sales portal.",
              version=version.number, type=kind, title=document.title),
        ]
        if version.release_notes:
            lines += ["", _("Release notes:"), version.release_notes]
        lines += ["", _("Open it here: %(url)s", url=f"{base_url}/documents/{document.id}"), "",
                  _("This message was sent by the after-sales portal.")]
    return subject, "\n".join(lines)


@job("documents.notify_mail")
def notify_mail(ctx, version_id: int, base_url: str = "") -> dict:
    version = db.session.get(DocumentVersion, version_id)
    if version is None:
        return {"sent": 0}
    clients = list(db.session.scalars(clients_with_access(version.document_id)))
    sent = 0
    for i, client in enumerate(clients):
        to = recipients(client)
        if to:
            subject, body = mail_text(client, version, base_url)
            send_mail(to, subject, body)
            sent += 1
        ctx.progress(i + 1, len(clients), client.code)
    return {"sent": sent}
