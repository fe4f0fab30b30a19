"""Checking an uploaded file by its content, not only by its name (docs/documents.md).

Accepted formats, recognised from their first bytes and, for ZIP-based ones, their entries:
  pdf  (.pdf)                  starts with "%PDF-"
  docx/xlsx/pptx               a ZIP with [Content_Types].xml and word/ xl/ ppt/ main part;
                               macros (vbaProject.bin) refused
  zip  (.zip)                  any other ZIP; entries with absolute or ".." paths refused
  png  (.png), jpeg (.jpg .jpeg)
  bin  (.bin)                  board software only: opaque firmware, refused when it is in
                               fact an executable, a script, HTML/XML/SVG or another known format
The name's extension must agree with the content, and the format must be allowed for the
document's type (TYPE_FORMATS). The original name is kept as metadata only: names with a
path, a drive, NUL or control characters are refused; storage uses the content's sha256.
"""
from __future__ import annotations

import io
import re
import unicodedata
import urllib.parse
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _

from .models import CONFIDENTIAL_TYPES

EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".pptx": "pptx", ".zip": "zip",
              ".png": "png", ".jpg": "jpeg", ".jpeg": "jpeg", ".bin": "bin"}
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "zip": "application/zip", "png": "image/png", "jpeg": "image/jpeg", "bin": "application/octet-stream",
}
_OFFICE = ("pdf", "docx", "xlsx", "pptx", "png", "jpeg")
TYPE_FORMATS = {
    "service_manual": ("pdf", "docx"),
    "schematic": ("pdf",),  # confidential: PDF only, so that every download can be stamped
    "bom": ("xlsx", "pdf"),
    "batch_materials": ("xlsx", "pdf"),
    "substitute_instruction": ("pdf", "docx", "png", "jpeg"),
    "training": _OFFICE + ("zip",),
    "board_software": ("bin", "zip"),
}
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
# First bytes of content never accepted as opaque firmware (.bin).
FORBIDDEN_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
                        b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"%PDF-", b"PK\x03\x04", b"PK\x05\x06",
                        b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")
MARKUP = re.compile(rb"^\s*(<\?xml|<!doctype|<html|<script|<svg|<body|<head|<iframe)", re.IGNORECASE)
_BAD_NAME_CHARS = re.compile(r"[\x00-\x1f\x7f/\\:]")


class UploadRejected(ValueError):
    """The file is refused; the message says why, in the user's language."""


@dataclass(frozen=True)
class CheckedFile:
    stream: BinaryIO  # positioned at 0
    size: int
    filename: str
    file_format: str

    @property
    def mimetype(self) -> str:
        return MIMETYPES[self.file_format]


def check_filename(raw: str | None) -> str:
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        raise UploadRejected(_("Choose a file to upload."))
    if _BAD_NAME_CHARS.search(name) or name.startswith("."):
        raise UploadRejected(_("The file name must be a plain name, without folders or special characters."))
    if len(name) > 200:
        raise UploadRejected(_("The file name is too long (200 characters at most)."))
    return name


def detect_format(stream: BinaryIO) -> str | None:
    """The format the content is, from its bytes; None when it is something not accepted."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(stream)
    if head.startswith(FORBIDDEN_SIGNATURES) or MARKUP.match(stream.read(512)):
        stream.seek(0)
        return None
    stream.seek(0)
    return "bin"


def _zip_format(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        stream.seek(0)
    if not names or any(_unsafe_member(n) for n in names):
        return None
    if "[Content_Types].xml" in names:
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            return None
        for fmt, part in OFFICE_PARTS.items():
            if part in names:
                return fmt
    return "zip"


def _unsafe_member(name: str) -> bool:
    return name.startswith(("/", "\\")) or ".." in re.split(r"[/\\]", name) or ":" in name or "\x00" in name


def check_upload(stream: BinaryIO, filename: str | None, doc_type: str, max_bytes: int) -> CheckedFile:
    """Check a seekable binary stream named `filename` for a document of `doc_type`."""
    name = check_filename(filename)
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise UploadRejected(_("The file is empty."))
    if size > max_bytes:
        raise UploadRejected(_("The file is too large: %(size)s bytes, %(max)s at most.", size=size, max=max_bytes))
    extension = ("." + name.rsplit(".", 1)[1].lower()) if "." in name else ""
    claimed = EXTENSIONS.get(extension)
    allowed = TYPE_FORMATS.get(doc_type, ())
    if claimed is None or claimed not in allowed:
        raise UploadRejected(_("This type of document accepts only: %(formats)s.",
                               formats=", ".join(sorted(e for e, f in EXTENSIONS.items() if f in allowed))))
    actual = detect_format(stream)
    if actual != claimed:
        raise UploadRejected(_("The file's content is not what its name says (%(ext)s); it was refused.",
                               ext=extension))
    if actual == "pdf" and doc_type in CONFIDENTIAL_TYPES:
        _check_stampable(stream)
    return CheckedFile(stream=stream, size=size, filename=name, file_format=actual)


def _check_stampable(stream: BinaryIO) -> None:
    """A confidential PDF is stamped on download, so it must open and not be encrypted."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(stream)
        broken = reader.is_encrypted or len(reader.pages) == 0
    except (PyPdfError, ValueError, KeyError, TypeError, OSError):
        broken = True
    finally:
        stream.seek(0)
    if broken:
        raise UploadRejected(_("This PDF cannot be read or is password-protected; a confidential document "
                               "must be stampable."))


def content_disposition(filename: str, fallback: str = "document") -> str:
    """`attachment` with an ASCII `filename` and the exact name as RFC 5987 `filename*`."""
    name = "".join(ch for ch in filename if ch.isprintable()) or fallback
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._ ()-]", "_", ascii_name).strip(" ._")
    stem, dot, ext = name.rpartition(".")
    if not ascii_name or not ascii_name.replace("_", "").rpartition(".")[0].strip():
        ascii_name = fallback + (("." + re.sub(r"[^A-Za-z0-9]", "", ext)) if dot else "")
    quoted = urllib.parse.quote(name, safe="")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quoted}"
