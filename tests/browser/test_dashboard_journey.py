"""The service dashboard in two languages: the team (Chinese) and an administrator (English)
see the KPIs and both charts drawn; a client sees its own figures; quality opens the demo's
early warning with its evidence."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def charts_drawn(page) -> bool:
    return page.evaluate("""() => ['pareto-chart', 'trend-chart', 'batch-chart'].every(
        (id) => window.Chart && Chart.getChart(document.getElementById(id)) !== undefined)""")


def test_dashboard_in_chinese_and_english(page, live_server, screenshot):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, "quality@odm.example.com")  # zh_Hans
    page.goto("/dashboard/")
    expect(page.locator('[data-kpi="complaint_rate"]')).to_be_visible()
    assert charts_drawn(page)
    screenshot("team-zh")
    page.goto("/early-warnings/")
    page.locator("tbody tr a").first.click()
    expect(page.locator("body")).to_contain_text("EW-")
    screenshot("warning-zh")
    page.context.clear_cookies()
    sign_in(page, "admin@odm.example.com")  # English
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", name="Service dashboard")).to_be_visible()
    expect(page.get_by_text("Top fault causes").first).to_be_visible()
    assert charts_drawn(page)
    screenshot("team-en")
    page.context.clear_cookies()
    sign_in(page, "admin@huaxia.example.cn")  # a client, zh_Hans
    page.goto("/dashboard/")
    expect(page.locator("#client")).to_have_count(0)  # no client filter: its own figures only
    assert charts_drawn(page)
    screenshot("client-zh")
    assert not errors, errors
