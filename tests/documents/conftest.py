"""Fixtures of the documents tests: storage and outbox in a temporary folder, sample files
(built in memory), and `publish(...)` to create a document through the services."""
from __future__ import annotations

import io
from decimal import Decimal
import zipfile
from functools import lru_cache

import pytest

from portal.i18n import LOCALE_NAMES
from portal.storage import LocalStorage


@lru_cache(maxsize=None)
def pdf_bytes(text: str = "Service manual", pages: int = 2) -> bytes:
    from weasyprint import HTML

    body = "".join(f"<p style='break-after: page'>{text} page {n + 1}</p>" for n in range(pages))
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
FIRMWARE = bytes(range(7, 250)) * 4


@pytest.fixture(autouse=True)
def isolated_files(app, tmp_path, monkeypatch):
    """Each test stores files and mail in its own folders."""
    monkeypatch.setitem(app.extensions, "storage", LocalStorage(tmp_path / "storage"))
    monkeypatch.setitem(app.config, "OUTBOX_DIR", str(tmp_path / "outbox"))
    return tmp_path


@pytest.fixture
def staff(make):
    return make.user(role="staff")


@pytest.fixture
def publish(db, staff, make):
    """publish(models=[...], doc_type=..., data=bytes, filename=...) -> DocumentVersion."""
    from portal.documents import services

    def _publish(models=(), doc_type="service_manual", data=None, filename="manual.pdf", title="Service manual",
                 batches=(), language="en", release_notes="", document=None, user=None):
        stream = io.BytesIO(pdf_bytes() if data is None else data)
        if document is not None:
            return services.add_version(document, stream, filename, user or staff, max_bytes=10**7,
                                        release_notes=release_notes)
        models = list(models) or [make.model()]
        return services.create_document(
            {"title": title, "doc_type": doc_type, "language": language, "model_ids": [m.id for m in models],
             "batch_ids": [b.id for b in batches]},
            stream, filename, user or staff, locales=LOCALE_NAMES, max_bytes=10**7, release_notes=release_notes)

    return _publish


def buyer(make, model, batch=None, **client_kw):
    """A client that bought `model` (optionally of `batch`), and a user of it."""
    client = make.client(**client_kw)
    line = {"model": model, "quantity": 10, "unit_price": Decimal("100.00")}
    if batch is not None:
        line["batch"] = batch
    make.shipment(client=client, lines=[line])
    return client, make.user(role="client_user", client=client)
