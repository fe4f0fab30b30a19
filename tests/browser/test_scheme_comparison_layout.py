"""The scheme comparison table in Simplified Chinese, on a phone and on a desktop: the period
headers are formatted for the locale (2025年3月, not "3月 2025"), the table scrolls inside its
own box on a narrow screen and the page itself never scrolls sideways."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

from .conftest import set_language

pytestmark = pytest.mark.browser

HUAXIA_ADMIN = "admin@huaxia.example.cn"  # two open offers in the demo (portal/demo/offers.py)


def page_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0 when nothing sticks out)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [390, 1280])
def test_comparison_table_fits_in_chinese(page, live_server, screenshot, width):
    page.goto("/login")
    page.locator("input[name=email]").fill(HUAXIA_ADMIN)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page).not_to_have_url(re.compile(r"/login"))
    set_language(page, "zh_Hans")  # an earlier journey may have left the user in another language
    page.set_viewport_size({"width": width, "height": 900})  # narrow: the switcher hides in the collapsed navbar
    page.goto("/schemes/mine")
    page.locator("a[href$='/compare']").first.click()

    expect(page.locator("tr[id^=run-]").first).to_be_visible()
    screenshot(f"zh_Hans-{width}px")
    table = page.locator("#comparison-table")
    headers = table.locator("th.js-period")
    expect(headers).not_to_have_count(0)
    for text in headers.all_inner_texts():
        assert re.fullmatch(r"\d{4}年(\d{1,2}月|第[1-4]季度)", text.strip()), text
    # one line per period header: a wrapped header is taller than the offer's header
    heights = {round(box["height"]) for box in (h.bounding_box() for h in headers.all())}
    assert len(heights) == 1
    assert table.locator("xpath=..").get_attribute("class") == "table-responsive"
    assert page_overflow(page) <= 0
