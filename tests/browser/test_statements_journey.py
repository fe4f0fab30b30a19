"""Finance issues every statement of last month in the background, opens one, downloads its
PDF and sends it by e-mail."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

ADMIN = "admin@odm.example.com"


def test_issue_a_period_then_download_and_send(page, live_server, screenshot):
    last_month = (date.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    page.goto("/login")
    page.get_by_label("E-mail").fill(ADMIN)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))

    page.goto("/settlements/")
    page.get_by_role("link", name="Issue all statements of a period").click()
    page.get_by_label("First day of the period").fill(last_month.isoformat())
    screenshot("issue-period-form")
    page.get_by_role("button", name="Issue all statements").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+"))
    page.get_by_role("link", name="See the result").click(timeout=60_000)
    expect(page.locator("#results tbody tr")).to_have_count(4)
    screenshot("period-results")

    page.locator("#results tr[data-status=issued] a").first.click()
    expect(page.locator("#pdf-button")).to_be_visible()
    expect(page.locator("#xlsx-button")).to_be_visible()
    screenshot("settlement-detail")
    href = page.locator("#pdf-button").get_attribute("href")
    first = page.request.get(href)
    second = page.request.get(href)
    assert first.ok and first.body()[:5] == b"%PDF-" and first.body() == second.body()

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#send-button").click()
    expect(page.locator(".alert-success")).to_contain_text("has been sent to")
    screenshot("sent")
