"""The after-sales team reviews the demo's repair claims: the queue filtered to claims in
review, one claim with its amounts side by side, an adjustment; then the client sees it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

from tests.browser.conftest import open_menu

pytestmark = pytest.mark.browser


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_team_reviews_and_client_sees_the_decision(page, live_server, screenshot):
    sign_in(page, "admin@odm.example.com")  # English
    open_menu(page, "Claims")
    expect(page.locator("#claims tbody tr")).to_have_count(5)
    screenshot("team-queue")
    page.get_by_label("Status").select_option("review")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#claims tbody tr")).to_have_count(1)
    page.locator("#claims tbody tr a").first.click()
    expect(page.locator("#amounts")).to_contain_text("160.00")
    expect(page.locator("#reasons")).to_contain_text("Above the review threshold")
    screenshot("claim-in-review")
    page.get_by_label("Adjusted amount").fill("120.00")
    page.get_by_label("Comment for the client").fill("Power board at the agreed price only.")
    page.get_by_role("button", name="Adjust and accept").click()
    expect(page.locator("#adjusted")).to_contain_text("120.00")
    screenshot("claim-adjusted")
    claim_url = page.url
    page.context.clear_cookies()  # signed out
    sign_in(page, "admin@vistamar.example.mx")  # Spanish
    page.goto(claim_url)
    expect(page.locator("#adjusted")).to_contain_text("120")
    screenshot("client-sees-decision")
    page.goto("/claims/")
    expect(page.locator("#claims tbody tr")).to_have_count(5)
    screenshot("client-list")
