"""Technical documents: after-sales staff publish a new version of a service manual; a client
administrator sees the notice in the navbar, opens it, and downloads a confidential schematic,
which comes stamped with the company's name."""
from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from portal.demo import DEMO_PASSWORD

from tests.browser.conftest import set_language

pytestmark = pytest.mark.browser

STAFF = "service@odm.example.com"
CLIENT_ADMIN = "admin@huaxia.example.cn"
MANUAL = "KTV-55A / KTV-65U service manual"
SCHEMATIC = "KTV-55A main board schematic"


def sign_in(page, email):
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    set_language(page, "en")


def test_publish_notify_and_stamped_download(page, live_server, screenshot, tmp_path):
    from tests.documents.conftest import pdf_bytes

    sign_in(page, STAFF)
    page.goto("/documents/")
    expect(page.locator("table")).to_contain_text(MANUAL)
    screenshot("staff-list")
    page.get_by_role("link", name=MANUAL).click()
    expect(page.locator("h1")).to_contain_text(MANUAL)
    manual = tmp_path / "KTV-55A service manual v3.pdf"
    manual.write_bytes(pdf_bytes("Third edition", pages=2))
    page.locator("#file").set_input_files(str(manual))
    page.locator("#release_notes").fill("Adds the wall-mount bracket.")
    page.get_by_role("button", name="Publish the new version").click()
    expect(page.locator(".alert-success")).to_contain_text("Version 3 was published")
    screenshot("staff-detail-after-publish")

    page.context.clear_cookies()
    sign_in(page, CLIENT_ADMIN)
    badge = page.locator("#notices-badge")
    expect(badge).to_contain_text(re.compile(r"\d"))
    badge.click()
    expect(page.locator("h1")).to_contain_text("Notices")
    expect(page.locator("main")).to_contain_text(f"Version 3 of {MANUAL}")
    screenshot("client-notices")
    page.get_by_role("button", name=re.compile("Version 3 of")).click()
    expect(page.locator("h1")).to_contain_text(MANUAL)
    expect(page.locator("main")).to_contain_text("Adds the wall-mount bracket.")

    page.goto("/documents/?type=schematic")
    page.get_by_role("link", name=SCHEMATIC).click()
    screenshot("client-schematic")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Download version 1")).click()
    download = info.value
    assert download.suggested_filename == "KTV-55A_MB_schematic.pdf"
    text = PdfReader(io.BytesIO(open(download.path(), "rb").read())).pages[0].extract_text()
    assert "华夏视界电子有限公司" in text and CLIENT_ADMIN in text
