"""Each role's main job, in Simplified Chinese and in English (the user picks the language with
the navbar switcher first): a client administrator compares the scheme offers, chooses one and
files a repair return; the after-sales team adjudicates claims; finance computes a draft
statement, issues it and downloads its PDF.

Selectors are ids and form field names, so that the same journey runs in both languages; the
texts checked are the data (numbers, codes), never translated words.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD, DEMO_SERIAL_EXAMPLES

from .conftest import set_language

pytestmark = pytest.mark.browser

FINANCE = "finance@odm.example.com"
# Client administrators with two open offers each (portal/demo/offers.py).
CLIENT_ADMINS = {"zh_Hans": ("admin@huaxia.example.cn", "HUAXIA"), "en": ("admin@lumiere.example.fr", "LUMIERE")}
# HUAXIA's buyout-with-rebate contract starts four months ago (portal/demo/offers.py); the
# statements journey issues last month, these journeys two months before it.
MONTHS_BACK = {"en": 3, "zh_Hans": 2}


def sign_in_as(page, email: str, locale: str) -> None:
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/login"))
    set_language(page, locale)
    expect(page.locator("html")).to_have_attribute("lang", locale.replace("_", "-"))


def month_start(back: int) -> date:
    today = date.today()
    month = today.month - 1 - back
    return date(today.year + month // 12, month % 12 + 1, 1)


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_finance_issues_a_statement_and_downloads_its_pdf(page, live_server, screenshot, locale):
    sign_in_as(page, FINANCE, locale)
    page.goto("/settlements/compute")
    client = page.locator("#choose-client option").filter(has_text="HUAXIA").get_attribute("value")
    with page.expect_navigation():
        page.locator("#choose-client").select_option(client)
    period = month_start(MONTHS_BACK[locale]).isoformat()
    page.locator("select[name=period_start]").select_option(period)
    screenshot("compute")
    page.locator("form[method=post] button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(r"/settlements/\d+$"))
    expect(page.locator("#total")).not_to_have_text(re.compile(r"^\D*0\.00\s*$"))  # shipments earn a rebate
    screenshot("draft")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("form[action$='/issue'] button").click()
    number = page.locator("#number")
    expect(number).to_have_text(re.compile(r"\S+-\d{4}-\d+"))
    screenshot("issued")
    pdf = page.request.get(page.locator("#pdf-button").get_attribute("href"))
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"
    assert "pdf" in pdf.headers["content-type"]
    assert number.inner_text().strip() in _pdf_text(pdf.body())


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_client_admin_chooses_a_scheme_and_files_an_rma(page, live_server, screenshot, locale):
    email, client = CLIENT_ADMINS[locale]
    sign_in_as(page, email, locale)
    page.goto("/schemes/mine")
    screenshot("offers")
    page.locator("a[href$='/compare']").first.click()
    runs = page.locator("tr[id^=run-]")
    offers = page.locator("tr[id^=run-]:not(#run-current)")
    expect(offers.first).to_be_visible()
    assert offers.count() >= 2, "two offers compared at least"
    expect(page.locator("#comparison-chart")).to_be_visible()
    screenshot("comparison")
    chosen = runs.filter(has=page.locator("form[action$='/choose']")).last
    offer_id = chosen.get_attribute("id").removeprefix("run-")
    page.once("dialog", lambda dialog: dialog.accept())
    chosen.locator("form[action$='/choose'] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(f"#offer-{offer_id}")).to_have_class(re.compile(r"border-primary"))
    expect(page.locator(f"#offer-{offer_id} form[action$='/choose']")).to_have_count(0)
    screenshot("chosen")

    page.goto("/rma/new")
    serial = DEMO_SERIAL_EXAMPLES[client]
    page.locator("#serials").fill(serial)
    page.locator("#fault_description").fill("No picture; the backlight is on." if locale == "en" else "开机无图像，背光正常。")
    screenshot("rma-form")
    page.locator("#submit-rma").click()
    expect(page).to_have_url(re.compile(r"/rma/\d+$"))
    expect(page.locator("#rma-lines")).to_contain_text(serial)
    screenshot("rma-requested")


# The team's queue holds the claims in review. The demo's one is adjudicated by the claims
# journey; here VISTAMAR answers one of its rejections (the claim goes back to review), then the
# team opens it from the queue: adjusts it in English, rejects it again in Simplified Chinese.
TEAM = {"zh_Hans": "service@odm.example.com", "en": "admin@odm.example.com"}


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_team_adjudicates_a_claim_from_the_queue(page, live_server, screenshot, locale):
    sign_in_as(page, "admin@vistamar.example.mx", "es")
    page.goto("/claims/?status=rejected")
    links = [link.get_attribute("href") for link in page.locator("#claims tbody tr td:first-child a").all()]
    for href in links:  # the first rejection not answered yet (each is answered once)
        page.goto(href)
        if page.locator("#answer").count():
            break
    page.locator("#answer [name=answer]").fill("Adjuntamos la factura de la placa; no es una repetición.")
    page.locator("#answer button[type=submit]").click()
    expect(page.locator(".badge.text-bg-info")).to_be_visible()  # back in review
    claim_path = re.sub(r"^https?://[^/]+", "", page.url)
    page.context.clear_cookies()

    sign_in_as(page, TEAM[locale], locale)
    page.goto("/claims/")
    page.locator("form[role=search] select[name=status]").select_option("review")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.locator("#claims tbody tr").first).to_be_visible()
    screenshot("queue-in-review")
    page.locator(f"#claims a[href='{claim_path}']").first.click()
    expect(page.locator("#decide")).to_be_visible()
    expect(page.locator("#amounts")).to_be_visible()
    screenshot("claim-in-review")
    comment = "Only the labour is compensated." if locale == "en" else "重复维修，不予补偿。"
    page.locator("#decide [name=comment]").fill(comment)
    if locale == "en":
        page.locator("#decide [name=amount]").fill("10.00")
        page.locator("#decide button[value=adjust]").click()
        expect(page.locator("#adjusted")).to_contain_text("10.00")
        expect(page.locator(".badge.text-bg-success")).to_be_visible()
    else:
        page.locator("#decide button[value=reject]").click()
        expect(page.locator(".badge.text-bg-danger")).to_be_visible()
    expect(page.locator("#decide")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(comment)
    screenshot("claim-decided")
