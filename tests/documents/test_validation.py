"""Every rejected upload, checked by content and name, and the accepted formats."""
from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from portal.documents.models import Document, DocumentVersion
from portal.documents.services import DocumentInvalid
from portal.documents.validation import UploadRejected, check_upload, content_disposition

from .conftest import FIRMWARE, JPEG, PNG, docx_bytes, pdf_bytes, xlsx_bytes, zip_bytes

MAX = 10_000_000


def check(data: bytes, name: str, doc_type: str = "service_manual", max_bytes: int = MAX):
    return check_upload(io.BytesIO(data), name, doc_type, max_bytes)


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "../manual.pdf", "/etc/passwd", "/tmp/manual.pdf", "C:\\Users\\a\\manual.pdf",
    "..\\..\\manual.pdf", "manual\x00.pdf", "manual.pdf\x00.exe", "man\nual.pdf", "C:manual.pdf",
    "manual.pdf:stream", ".htaccess", "..", "", "   ", None, "a" * 197 + ".pdf",
])
def test_bad_names_are_refused(app, name):
    with app.test_request_context(), pytest.raises(UploadRejected):
        check(pdf_bytes(), name)


def test_empty_and_oversize_files_are_refused(app):
    with app.test_request_context():
        with pytest.raises(UploadRejected, match="empty"):
            check(b"", "manual.pdf")
        with pytest.raises(UploadRejected, match="too large"):
            check(pdf_bytes(), "manual.pdf", max_bytes=100)


@pytest.mark.parametrize("data,name,doc_type", [
    (b"MZ\x90\x00" + b"\x00" * 200, "manual.pdf", "service_manual"),  # a Windows program renamed .pdf
    (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "manual.pdf", "service_manual"),
    (b"<html><body>hi</body></html>", "board.png", "substitute_instruction"),
    (PNG, "schematic.png", "schematic"),  # confidential types are PDF only (stamped on download)
    (b"MZ\x90\x00" + b"\x00" * 200, "firmware.bin", "board_software"),  # an .exe renamed .bin
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "firmware.bin", "board_software"),
    (b"#!/bin/sh\nrm -rf /\n", "firmware.bin", "board_software"),
    (b"  <svg onload='x'></svg>", "firmware.bin", "board_software"),
    (b"<?xml version='1.0'?><a/>", "firmware.bin", "board_software"),
    (pdf_bytes(), "firmware.bin", "board_software"),  # a known format disguised as firmware
    (docx_bytes(), "bom.xlsx", "bom"),  # a Word file renamed .xlsx
    (PNG, "manual.pdf", "service_manual"),
    (b"PK\x03\x04 not really a zip", "training.zip", "training"),
    (zip_bytes({"../../evil.sh": b"x"}), "firmware.zip", "board_software"),
    (zip_bytes({"/etc/cron.d/x": b"x"}), "firmware.zip", "board_software"),
    (zip_bytes({"[Content_Types].xml": b"<T/>", "word/document.xml": b"<d/>", "word/vbaProject.bin": b"x"}),
     "manual.docx", "service_manual"),  # macros
    (pdf_bytes(), "manual.exe", "service_manual"),
    (pdf_bytes(), "manual", "service_manual"),
    (FIRMWARE, "manual.bin", "service_manual"),  # firmware is for board software only
    (pdf_bytes(), "firmware.pdf", "board_software"),
    (JPEG, "bom.jpg", "bom"),
])
def test_disguised_or_unsuitable_content_is_refused(app, data, name, doc_type):
    with app.test_request_context(), pytest.raises(UploadRejected):
        check(data, name, doc_type)


def test_an_unreadable_or_encrypted_pdf_cannot_be_a_schematic(app):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    with app.test_request_context():
        with pytest.raises(UploadRejected, match="password"):
            check(encrypted.getvalue(), "schematic.pdf", "schematic")
        with pytest.raises(UploadRejected):
            check(b"%PDF-1.7 nothing else", "schematic.pdf", "schematic")
        assert check(b"%PDF-1.7 nothing else", "manual.pdf").file_format == "pdf"  # not stamped: not parsed


@pytest.mark.parametrize("data,name,doc_type,fmt", [
    (pdf_bytes(), "Manual KTV-55A.PDF", "service_manual", "pdf"),
    (docx_bytes(), "manual.docx", "service_manual", "docx"),
    (xlsx_bytes(), "BOM 2025.xlsx", "bom", "xlsx"),
    (PNG, "board.png", "training", "png"),
    (JPEG, "board.jpeg", "substitute_instruction", "jpeg"),
    (FIRMWARE, "MB-55A v1.2.bin", "board_software", "bin"),
    (zip_bytes({"fw/main.bin": FIRMWARE}), "firmware.zip", "board_software", "zip"),
    (pdf_bytes(), "维修手册.pdf", "service_manual", "pdf"),
])
def test_accepted_files(app, data, name, doc_type, fmt):
    with app.test_request_context():
        checked = check(data, name, doc_type)
    assert checked.file_format == fmt and checked.size == len(data) and checked.stream.tell() == 0


def test_a_rejected_upload_writes_nothing(app, db, publish, isolated_files):
    before = db.session.scalar(select(func.count(Document.id)))
    with app.test_request_context(), pytest.raises(DocumentInvalid) as info:
        publish(data=b"MZ" + b"\x00" * 100, filename="manual.pdf")
    assert "file" in info.value.errors
    db.session.rollback()
    assert db.session.scalar(select(func.count(Document.id))) == before
    assert db.session.scalar(select(func.count(DocumentVersion.id))) == 0
    assert not (isolated_files / "storage").exists() or not any((isolated_files / "storage").rglob("*"))


def test_content_disposition_is_safe_and_keeps_the_name():
    header = content_disposition("维修手册 KTV-55A.pdf")
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''" in header
    assert unquote(header.split("filename*=UTF-8''")[1]) == "维修手册 KTV-55A.pdf"
    assert header.encode("latin-1")  # only ASCII in the header
    assert content_disposition("手册.pdf").startswith('attachment; filename="document.pdf"')
    quoted = content_disposition('a"b\\c;.pdf')
    ascii_part = quoted.split('filename="')[1].split('"')[0]
    assert '"' not in ascii_part and "\\" not in ascii_part and ";" not in ascii_part
