"""A domestic client's user: signs in, gets the portal in Simplified Chinese, switches to
English with the navbar switcher, and looks up the warranty of the company's units."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_LEGACY_SERIALS, DEMO_PASSWORD, DEMO_SERIAL_EXAMPLES

from tests.browser.conftest import open_menu

pytestmark = pytest.mark.browser

EMAIL = "user@huaxia.example.cn"  # 张敏, client user of HUAXIA, language zh_Hans


def look_up(page, serial: str):
    form = page.locator("#single-form")
    form.get_by_label("Serial number", exact=True).fill(serial)
    form.get_by_role("button", name="Look up").click()
    result = page.locator("#result")
    expect(result).to_contain_text(serial)
    return result


def category_row(result, name: str):
    return result.locator("tbody tr").filter(has_text=name)


def test_domestic_client_user_journey(page, live_server, screenshot):
    # An English browser: the sign-in page is in English.
    page.goto("/login")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    screenshot("sign-in")
    page.get_by_role("button", name="Sign in").click()

    # Signed in: the user's saved language, Simplified Chinese, wins over the browser's.
    expect(page).to_have_url(f"{live_server.url}/")
    screenshot("home-zh-Hans")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("#language-select")).to_have_value("zh_Hans")
    expect(page.locator(".navbar")).to_contain_text("华夏视界电子有限公司")
    # Checked at the end, so that every step still runs and is photographed when it fails.
    chinese_brand = page.locator(".navbar-brand").inner_text()

    # The switcher in the navbar changes the language at once (and saves it for the user).
    page.wait_for_load_state()  # its script is bound once the page has loaded
    with page.expect_navigation():
        page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#language-select")).to_have_value("en")
    expect(page.locator(".navbar-brand")).to_have_text(re.compile(r"After-sales portal"))
    screenshot("home-en")

    open_menu(page, "Warranty look-up")
    expect(page).to_have_url(re.compile(r"/warranty$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Warranty look-up"))
    screenshot("warranty-page")

    # A unit shipped a few months ago, under HUAXIA's buyout contract: the model, its batch,
    # and the client's own warranty (the ODM repairs it only against a charge).
    result = look_up(page, DEMO_SERIAL_EXAMPLES["HUAXIA"])
    expect(result).to_contain_text("KTV-55A")
    expect(result).to_contain_text("KTV-55A-B04")
    expect(result).to_contain_text("Client's own warranty")
    expect(result).to_contain_text("the client carries the warranty itself")
    screenshot("warranty-client")

    # The discontinued model, shipped fourteen months ago: the whole unit and the power board
    # are out of warranty (12 months), the panel and the main board still in (36 months).
    result = look_up(page, DEMO_LEGACY_SERIALS["HUAXIA"])
    expect(result).to_contain_text("KTV-32H")
    expect(category_row(result, "Whole unit")).to_contain_text("Out of warranty")
    expect(category_row(result, "Power board")).to_contain_text("Out of warranty")
    expect(category_row(result, "Panel")).to_contain_text("In warranty")
    expect(category_row(result, "Main board")).to_contain_text("In warranty")
    screenshot("warranty-in-and-out")

    # Another client's unit is not there for this user.
    result = look_up(page, DEMO_SERIAL_EXAMPLES["PEARL"])
    expect(result).to_contain_text("Not found")
    expect(result).not_to_contain_text("KTV-65U")
    screenshot("warranty-other-client")

    # Waits for the zh_Hans catalogue: the brand "After-sales portal" in Simplified Chinese.
    assert "售后" in chinese_brand, f"the navbar brand was not translated: {chinese_brand!r}"
