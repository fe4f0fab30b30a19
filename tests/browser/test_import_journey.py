"""The after-sales team imports a shipment file in the background: a file with a bad row
is refused on its job page with the row, column and reason; the corrected file is imported."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

from tests.browser.conftest import set_language

pytestmark = pytest.mark.browser

STAFF = "service@odm.example.com"
HEADER = "shipment_no,client_code,ship_date,model_code,batch_code,quantity,unit_price,currency,serials\n"


def upload(page, name: str, text: str) -> None:
    page.goto("/shipments/import")
    page.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()})
    page.locator("form[enctype='multipart/form-data'] [type=submit]").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+"))


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_staff_imports_shipments_in_the_background(page, screenshot, locale):
    page.goto("/login")
    page.get_by_label("E-mail").fill(STAFF)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))
    page.wait_for_load_state()
    saved = page.locator("#language-select").input_value()
    set_language(page, locale)
    try:
        import_journey(page, screenshot, locale)
    finally:  # the live server is shared: give Li Na her language back
        set_language(page, saved)


def import_journey(page, screenshot, locale):
    number = f"SH-BROWSER-{locale}"
    good = f"{number},HUAXIA,2026-01-05,KTV-55A,,2,1850.00,CNY,{number}-1 {number}-2\n"
    bad = f"{number}-X,HUAXIA,2026-13-40,KTV-55A,,0,1850.00,CNY,\n"
    upload(page, "bad.csv", HEADER + good + bad)
    errors = page.locator("table").filter(has_text="ship_date")
    expect(errors).to_be_visible(timeout=30_000)
    expect(errors.locator("tbody tr").filter(has_text="3").first).to_be_visible()
    screenshot("refused")

    upload(page, "good.csv", HEADER + good)
    expect(page.locator(".progress-bar.bg-success")).to_be_visible(timeout=30_000)
    page.locator("a[href='/shipments/']").last.click()
    page.locator("#f-q, input[name=q]").first.fill(number)
    page.locator("input[name=q]").press("Enter")
    expect(page.get_by_role("link", name=number, exact=True)).to_be_visible()
    screenshot("imported")
