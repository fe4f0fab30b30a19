"""The administrator's operations pages in the browser: background work and the audit log."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD

from tests.browser.conftest import open_menu

pytestmark = pytest.mark.browser

ADMIN = "admin@odm.example.com"


def add_jobs(app):
    from portal.extensions import db
    from portal.jobs import Job

    with app.app_context():
        db.session.add_all([
            Job(name="parts.forecast", status="running", done=120, total=400, message="Forecasting parts"),
            Job(name="jobs.canary", status="done", done=1, total=1),
            Job(name="parts.forecast", status="failed", message="The work stopped with an error: no stock location",
                error="Traceback (most recent call last): ..."),
        ])
        db.session.commit()


def test_background_work_and_audit_log(page, live_server, screenshot):
    add_jobs(live_server.app)
    page.goto("/login")
    page.get_by_label("E-mail").fill(ADMIN)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))

    open_menu(page, "Background work")
    expect(page.get_by_role("heading", name="Background work")).to_be_visible()
    expect(page.get_by_text("30 %")).to_be_visible()
    screenshot("jobs")
    page.get_by_role("link", name="Spare-parts forecast").first.click()
    expect(page.get_by_text("no stock location")).to_be_visible()
    page.get_by_text("Technical details").click()
    screenshot("failed-job")

    open_menu(page, "Audit log")
    expect(page.get_by_role("cell", name="Sign-in refused: wrong e-mail or password")).to_be_visible()
    screenshot("audit")
    page.get_by_label("Action").select_option("auth.sign_in")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("cell", name=ADMIN).first).to_be_visible()
    expect(page.get_by_role("cell", name="Sign-in refused: wrong e-mail or password")).to_have_count(0)
    screenshot("audit-filtered")
