"""Claim attachments: PDF, JPEG or PNG recognised by their content (not their name), within
a size limit, under a safe name; stored through portal.storage."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from flask import current_app
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from ..extensions import db
from ..storage import TooLarge, storage
from .models import Claim, ClaimAttachment

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
# content type -> (magic bytes, extensions a name may carry)
KINDS = {
    "application/pdf": (b"%PDF-", (".pdf",)),
    "image/jpeg": (b"\xff\xd8\xff", (".jpg", ".jpeg")),
    "image/png": (b"\x89PNG\r\n\x1a\n", (".png",)),
}


class AttachmentInvalid(ValueError):
    pass


@dataclass
class Upload:
    filename: str
    stream: object  # binary file object


def max_bytes() -> int:
    return current_app.config.get("CLAIM_ATTACHMENT_MAX_BYTES", MAX_BYTES)


def sniff(head: bytes) -> str | None:
    for content_type, (magic, _ext) in KINDS.items():
        if head.startswith(magic):
            return content_type
    return None


def safe_name(filename: str, content_type: str) -> str:
    """A name safe to show and to send back: no path, plain characters, the right extension."""
    name = secure_filename(PurePath((filename or "").replace("\\", "/")).name)[:150]
    extensions = KINDS[content_type][1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if not name.lower().endswith(extensions):
        name = f"{stem or 'attachment'}{extensions[0]}"
    return name or f"attachment{extensions[0]}"


def check_uploads(uploads: list[Upload]) -> list[str]:
    """Errors for the uploads as a whole and each file (type by content, size, name)."""
    errors = []
    uploads = [u for u in uploads if u.filename]
    if len(uploads) > MAX_FILES:
        errors.append(_("At most %(n)s attachments per claim.", n=MAX_FILES))
    limit = max_bytes()
    for upload in uploads:
        head = upload.stream.read(8)
        upload.stream.seek(0, 2)
        size = upload.stream.tell()
        upload.stream.seek(0)
        name = upload.filename[:80]
        if sniff(head) is None:
            errors.append(_("%(name)s is not a PDF, JPEG or PNG file.", name=name))
        elif size > limit:
            errors.append(_("%(name)s is larger than %(mb)s MB.", name=name, mb=limit // (1024 * 1024)))
        elif size == 0:
            errors.append(_("%(name)s is empty.", name=name))
    return errors


def store_uploads(claim: Claim, uploads: list[Upload]) -> list[ClaimAttachment]:
    """Store checked uploads and attach them to ``claim`` (call check_uploads first)."""
    stored = []
    for upload in uploads:
        if not upload.filename:
            continue
        content_type = sniff(upload.stream.read(8))
        upload.stream.seek(0)
        try:
            key = storage().put(upload.stream, max_bytes=max_bytes())
        except TooLarge:
            raise AttachmentInvalid(_("%(name)s is too large.", name=upload.filename[:80])) from None
        size = storage().size(key)
        attachment = ClaimAttachment(claim_id=claim.id, client_id=claim.client_id, content_type=content_type,
                                     filename=safe_name(upload.filename, content_type), size=size, storage_key=key)
        db.session.add(attachment)
        stored.append(attachment)
    return stored
