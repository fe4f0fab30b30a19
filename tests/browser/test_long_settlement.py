"""Finance reads a settlement of thousands of lines: a summary of its sections, then one page
of lines per section, paged in place."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

FINANCE = "finance@odm.example.com"


def _long_draft(app) -> int:
    """A draft of 2,500 rebate lines and 3 corrections for the first demo client with a contract."""
    from portal.extensions import db
    from portal.schemes.models import Contract
    from portal.settlements.models import Settlement, SettlementLine

    with app.app_context():
        contract = db.session.scalars(select(Contract).where(Contract.scheme_key == "buyout_rebate")
                                      .order_by(Contract.id)).first()
        doc = Settlement(client_id=contract.client_id, kind="settlement", status="draft", contract_id=contract.id,
                         scheme_key=contract.scheme_key, currency=contract.currency,
                         period_start=date(2020, 1, 1), period_end=date(2020, 1, 31), total=Decimal("2498.50"))
        db.session.add(doc)
        db.session.flush()
        lines = [SettlementLine(settlement_id=doc.id, client_id=doc.client_id, currency=doc.currency, position=n,
                                section="rebate", direction="credit", amount=Decimal("1.00"),
                                description_key="rebate_model", reference=f"SN{n:06d}",
                                params={"model": f"M-{n:04d}", "quantity": 1, "base": {"decimal": "66.67"},
                                        "rate": {"decimal": "1.5"}})
                 for n in range(1, 2501)]
        lines += [SettlementLine(settlement_id=doc.id, client_id=doc.client_id, currency=doc.currency,
                                 position=2500 + n, section="correction", direction="debit", amount=Decimal("0.50"),
                                 description_key="correction_line", params={"text": f"Late return {n}"})
                  for n in range(1, 4)]
        db.session.add_all(lines)
        db.session.commit()
        return doc.id


def test_finance_pages_through_a_long_settlement(page, live_server, screenshot):
    settlement_id = _long_draft(live_server.app)
    page.goto("/login")
    page.get_by_label("E-mail").fill(FINANCE)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))

    page.goto(f"/settlements/{settlement_id}")
    summary = page.locator("#sections tbody tr")
    expect(summary).to_have_count(2)
    expect(summary.first).to_contain_text("2,500")
    expect(page.get_by_text("SN000100", exact=True)).to_be_visible()
    expect(page.get_by_text("SN000101", exact=True)).to_have_count(0)
    expect(page.get_by_text("Late return 3")).to_be_visible()
    screenshot("first-page")

    page.locator(".pagination").first.get_by_role("link", name="2", exact=True).click()
    expect(page).to_have_url(re.compile(r"section=rebate.*page=2.*#section-rebate"))
    expect(page.get_by_text("SN000101", exact=True)).to_be_visible()
    expect(page.get_by_text("SN000001", exact=True)).to_have_count(0)
    expect(page.get_by_text("Late return 1")).to_be_visible()  # the other section stays whole
    screenshot("second-page")
