"""Label sheets: read the PDF's text back (pdftotext) and count its pages."""
from __future__ import annotations

import subprocess

from pypdf import PdfReader
import io

from portal.parts.labels import render_sheet
from portal.parts.models import ClientPartNumber


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_sheet_carries_odm_and_client_numbers_in_the_clients_language(world, db):
    db.session.add(ClientPartNumber(client_id=world.acme.id, part_id=world.board.id, number="ACME-MB-7",
                                    description="主板 55A"))
    db.session.flush()
    pdf = render_sheet([world.board.id, world.power.id], layout="a4_2x5", code="code128", client=world.acme)
    text = pdf_text(pdf)
    assert "MB-55A-01" in text and "ACME-MB-7" in text and "主板 55A" in text
    assert "PW-55A-01" in text and "Power board 55A" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_layouts_paginate_and_qr_codes_render(world, db):
    pdf = render_sheet([world.board.id], layout="single_100x50", code="qr", copies=3)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3
    assert pdf_text(pdf).count("MB-55A-01") == 3
    pdf = render_sheet([world.board.id, world.power.id], layout="a4_3x8", copies=13)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2  # 26 labels, 24 a sheet
