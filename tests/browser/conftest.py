"""Browser journeys: the portal served over HTTP from a background thread, on its own SQLite
file with the demo data, driven by Debian's Chromium through Playwright.

The live server does not use the suite's `app`/`db` fixtures (a SAVEPOINT-wrapped connection
cannot be shared with a server thread), so it works the same whether DATABASE_URL is set or
not. Its database lives for the whole run: a journey that changes something (a user's
language...) leaves it changed for the journeys after it.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from portal import create_app
from portal.demo import load_demo

CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright never downloads a browser here
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


class RequestLog(WSGIRequestHandler):
    """Logs the pages a journey asked for, not every stylesheet and script."""

    def log_request(self, code="-", size="-"):
        if not self.path.startswith("/static/"):
            super().log_request(code, size)


@dataclass
class LiveServer:
    url: str
    app: Flask


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("live-server")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'portal.db'}",
            "SECRET_KEY": "browser-journeys",
            "STORAGE_DIR": str(directory / "storage"),
            "OUTBOX_DIR": str(directory / "outbox"),
        }
    )
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        load_demo()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=RequestLog)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser profile (no cookies) on the live server, with an English browser."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def screenshot(page, request):
    """screenshot("step") saves tests/artifacts/<test>-<nn>-<step>.png (the whole page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    test = re.sub(r"[^\w-]+", "_", request.node.name)
    taken = []

    def take(step: str) -> Path:
        taken.append(step)
        path = ARTIFACTS / f"{test}-{len(taken):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def open_menu(page, name: str) -> None:
    """Follow a menu entry by its label, opening its dropdown group first when it is in one."""
    from playwright.sync_api import expect

    page.wait_for_load_state()
    label = re.compile(rf"^\s*{re.escape(name)}\s*$")
    nav = page.locator("#mainnav")
    item = nav.locator("a.nav-link, a.dropdown-item").filter(has_text=label)
    expect(item).to_have_count(1)  # waits until the page with the menu is there
    if not item.is_visible():
        # a closed dropdown's items are hidden: open the group that holds this entry
        inner = page.locator("a.dropdown-item").filter(has_text=label)
        nav.locator(".dropdown").filter(has=inner).locator(".dropdown-toggle").click()
    item.click()


def set_language(page, locale: str) -> None:
    """Switch the signed-in user's language with the navbar switcher (no-op when already set:
    the live server is shared, so an earlier test may have left the user in that language)."""
    page.wait_for_load_state()  # the switcher's script is bound once the page has loaded
    select = page.locator("#language-select")
    if select.input_value() != locale:
        with page.expect_navigation():
            select.select_option(locale)
