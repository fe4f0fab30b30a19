"""Spare parts in the browser: a client orders "the main board of batch X" and sees its order
and its entitlement; staff ship it from after-sales stock, and look at a part's demand chart."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.demo import DEMO_PASSWORD

from .conftest import ARTIFACTS

pytestmark = pytest.mark.browser

STAFF = "admin@odm.example.com"  # English
CLIENT = "admin@lumiere.example.fr"


def sign_in(page, email):
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def prepare(app):
    """A spare-parts-ratio contract for LUMIERE (the demo has no contracts), stock of the main
    board of one of its batches, and a year of issue history."""
    from portal.catalogue.models import Batch, BatchMaterial
    from portal.clients.models import Client
    from portal.extensions import db
    from portal.parts.models import StockLocation
    from portal.parts.stock import MoveRequest, move
    from portal.schemes.models import Contract
    from portal.shipments.models import Shipment, ShipmentLine

    with app.test_request_context():
        client = db.session.scalar(select(Client).where(Client.code == "LUMIERE"))
        start = date(date.today().year - 2, 1, 1)
        db.session.add(Contract(client_id=client.id, scheme_key="parts_ratio", currency=client.currency,
                                period_kind="month", starts_on=start,
                                terms={"category_ratios": {"main_board": "0.5", "power_board": "0.5"},
                                       "category_prices": {"main_board": "180.00", "power_board": "45.00"}}))
        batch = db.session.scalar(select(Batch).join(ShipmentLine, ShipmentLine.batch_id == Batch.id)
                                  .join(Shipment).where(Shipment.client_id == client.id).limit(1))
        board = next(m.part for m in batch.materials if m.category == "main_board")
        factory = db.session.scalar(select(StockLocation).where(StockLocation.code == "AS-FACTORY"))
        move(MoveRequest("receipt", board.id, 40, "purchase", to_location_id=factory.id))
        today = date.today()
        for back in range(1, 13):
            day = today.replace(day=10) - timedelta(days=30 * back)
            if back % 3:
                move(MoveRequest("issue", board.id, back % 4 + 1, "history", from_location_id=factory.id,
                                 client_id=client.id, model_id=batch.model_id, day=day))
        db.session.commit()
        assert db.session.scalar(select(BatchMaterial.id).where(BatchMaterial.part_id == board.id))
        return batch.code, board.number, board.id


def test_spare_parts_journey(page, live_server, screenshot, browser):
    batch_code, board_number, board_id = prepare(live_server.app)

    sign_in(page, CLIENT)
    page.goto("/parts/orders/new")
    page.locator("input[name='lines-0-batch_code']").fill(batch_code)
    page.locator("select[name='lines-0-category']").select_option("main_board")
    page.locator("input[name='lines-0-quantity']").fill("2")
    page.locator("input[name='lines-1-part_number']").fill("NO-SUCH-PART")
    page.locator("input[name='lines-1-quantity']").fill("1")
    page.locator("input[name=submit]").click()  # the client reads French
    expect(page.locator(".alert-danger")).to_contain_text("NO-SUCH-PART")
    screenshot("order-refused-keeps-input")
    page.locator("input[name='lines-1-part_number']").fill("")
    page.locator("input[name='lines-1-quantity']").fill("")
    page.locator("input[name=submit]").click()  # the client reads French
    expect(page.locator("h1")).to_contain_text("SPO-")
    expect(page.locator("table")).to_contain_text(board_number)
    screenshot("client-order")
    order_url = page.url
    page.goto("/parts/ledger")
    expect(page.locator("table")).to_contain_text("KM-")
    screenshot("client-ledger")
    assert page.goto("/parts/stock").status == 403

    staff = browser.new_context(base_url=live_server.url, locale="en-US", viewport={"width": 1366, "height": 900})
    staff_page = staff.new_page()
    try:
        sign_in(staff_page, STAFF)
        staff_page.goto(order_url)
        staff_page.get_by_role("button", name="Ship what is in stock").click()
        expect(staff_page.locator(".alert")).to_contain_text("2 parts issued")
        staff_page.screenshot(path=str(ARTIFACTS / "test_spare_parts_journey-staff-order.png"),
                              full_page=True)
        staff_page.goto("/parts/stock?q=" + board_number)
        expect(staff_page.locator("table")).to_contain_text("AS-FACTORY")
        staff_page.screenshot(path=str(ARTIFACTS / "test_spare_parts_journey-staff-stock.png"),
                              full_page=True)
        staff_page.goto(f"/parts/forecast/{board_id}")
        expect(staff_page.locator("canvas#forecast-chart")).to_be_visible()
        staff_page.wait_for_function("() => Chart.getChart('forecast-chart') !== undefined")
        staff_page.wait_for_timeout(600)  # the chart's animation
        staff_page.screenshot(path=str(ARTIFACTS / "test_spare_parts_journey-staff-forecast.png"),
                              full_page=True)
    finally:
        staff.close()
