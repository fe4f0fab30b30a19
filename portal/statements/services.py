"""Stored statement files, and sending a statement by e-mail.

An issued settlement's PDF and XLSX are rendered once, at the first request for them (a
download, the e-mail, or the period job), stored through ``portal.storage`` under their
sha256, and recorded in ``statement_file``; every later download serves those bytes, so a
document never changes once a client has seen it. A draft is rendered afresh each time (a
preview, marked DRAFT) and never stored.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit import record
from ..db import utcnow
from ..extensions import db
from ..outbox import send_mail
from ..settlements.models import Settlement
from ..storage import storage
from .content import in_client_language
from .models import StatementFile

MIMETYPES = {"pdf": "application/pdf",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass
class Rendered:
    data: bytes
    sha256: str
    filename: str
    mimetype: str


class StatementError(Exception):
    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.message, self.status = message, status


def render(settlement: Settlement, kind: str) -> bytes:
    if kind == "pdf":
        from .pdf import render_pdf

        return render_pdf(settlement)
    from .xlsx import render_xlsx

    return render_xlsx(settlement)


def filename(settlement: Settlement, kind: str) -> str:
    name = settlement.number or f"DRAFT-{settlement.id}"
    return f"{settlement.client.code}_{name}.{kind}"


def stored_file(settlement_id: int, kind: str) -> StatementFile | None:
    return db.session.scalar(select(StatementFile).where(StatementFile.settlement_id == settlement_id,
                                                         StatementFile.kind == kind))


def ensure_stored(settlement: Settlement, kind: str) -> StatementFile:
    """The stored file of an issued document, rendering and storing it the first time.
    Two first requests at once: one row wins (unique settlement/kind), the other uses it."""
    if settlement.status != "issued":
        raise StatementError(_("Only an issued document is stored; a draft is previewed."))
    found = stored_file(settlement.id, kind)
    if found is not None:
        return found
    data = render(settlement, kind)
    key = storage().put(data)
    row = StatementFile(settlement_id=settlement.id, client_id=settlement.client_id, kind=kind, storage_key=key,
                        sha256=hashlib.sha256(data).hexdigest(), size=len(data), locale=settlement.client.locale,
                        rendered_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        found = stored_file(settlement.id, kind)
        if found is None:
            raise
        return found
    return row


def statement_file(settlement: Settlement, kind: str) -> Rendered:
    """The bytes to send: the stored file of an issued document, a fresh preview of a draft."""
    if settlement.status == "issued":
        row = ensure_stored(settlement, kind)
        data = storage().read(row.storage_key)
        return Rendered(data, row.sha256, filename(settlement, kind), MIMETYPES[kind])
    data = render(settlement, kind)
    return Rendered(data, hashlib.sha256(data).hexdigest(), filename(settlement, kind), MIMETYPES[kind])


def send_statement(settlement: Settlement) -> str:
    """E-mail the stored PDF to the client's contact address, in the client's language.
    Returns where it went (see portal.outbox.send_mail). The caller commits."""
    client = settlement.client
    if settlement.status != "issued":
        raise StatementError(_("Only an issued document can be sent."))
    if not client.contact_email:
        raise StatementError(_("The client %(code)s has no contact e-mail address; add one on the client's page.",
                               code=client.code), status=422)
    pdf = statement_file(settlement, "pdf")
    with in_client_language(settlement):
        from .content import statement

        doc = statement(settlement, client.locale, blocks=False)
        subject = _("%(title)s %(number)s, %(period)s", title=doc.title, number=settlement.number, period=doc.period)
        body = _("Dear %(name)s,\n\nPlease find attached %(title)s %(number)s for the period %(period)s.\n"
                 "Total: %(total)s. %(note)s\n\nYou can also download it from the portal.\n\n%(odm)s",
                 name=client.contact_name or client.name, title=doc.title, number=settlement.number,
                 period=doc.period, total=doc.total_text, note=doc.total_note, odm=_odm_name())
    where = send_mail(client.contact_email, subject, body, attachments=[(pdf.filename, pdf.data, pdf.mimetype)])
    record("statement.send", settlement, number=settlement.number, to=client.contact_email, sha256=pdf.sha256)
    return where


def _odm_name() -> str:
    from flask import current_app

    return current_app.config["ODM_NAME"]
