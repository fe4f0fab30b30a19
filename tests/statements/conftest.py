"""Set-up for the statement tests: the settlement tests' clients and shipments, issued
settlements, and readers of PDFs (poppler's pdftotext and pdffonts)."""
from __future__ import annotations

import subprocess
from datetime import date

import pytest

from portal.settlements.engine import compute_draft
from portal.settlements.issuing import issue
from tests.clients.support import api, fast_password_hashing  # noqa: F401  (fixtures)
from tests.settlements.conftest import (  # noqa: F401  (fixtures)
    add_contract,
    bad_scheme,
    buyout_shipments,
    discount_shipments,
    request_context,
    world,
)

MARCH = date(2025, 3, 1)


@pytest.fixture(autouse=True)
def storage_dir(app, tmp_path):
    """Each test stores its files in its own folder."""
    app.config["STORAGE_DIR"] = str(tmp_path / "storage")
    app.config["OUTBOX_DIR"] = str(tmp_path / "outbox")
    app.extensions.pop("storage", None)
    yield tmp_path
    app.extensions.pop("storage", None)
    app.config.pop("STORAGE_DIR", None)
    app.config.pop("OUTBOX_DIR", None)


def issued(db, client, user, period=MARCH):
    draft = compute_draft(client.id, period)
    return issue(draft.id, user.id)


def pdf_text(data: bytes, tmp_path, name="doc.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return spaces(out)


def spaces(text: str) -> str:
    """pdftotext gives plain spaces for no-break ones (French, Spanish amounts)."""
    return text.replace("\xa0", " ").replace("\u202f", " ")


def pdf_fonts(data: bytes, tmp_path, name="fonts.pdf") -> list[list[str]]:
    path = tmp_path / name
    path.write_bytes(data)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]
