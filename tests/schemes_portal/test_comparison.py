"""The side-by-side comparison: what each open offer would have settled over the client's
last twelve months, computed by the plugins on the client's real facts."""
from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from marshmallow import Schema

from contracts import SchemeInfo, TermsIncomplete, hookimpl, load_terms
from contracts.terms import tr
from portal.schemes.comparison import candidates_for, compare
from portal.settlements.facts import gather_facts

from .conftest import TODAY, add_contract, add_offer, buyout_shipments, discount_shipments

D = Decimal


def chart_of(page: str) -> dict:
    raw = re.search(r'data-chart="([^"]*)"', page).group(1)
    return json.loads(raw.replace("&#34;", '"').replace("&amp;", "&").replace("&#39;", "'"))


def test_buyout_and_discount_offers_on_the_domain_example(client, make, world, db, enable):
    enable()
    buyout_shipments(make, world)  # March 2025, CNY
    buyout = add_offer(db.session, world.acme, "buyout_rebate", {"rebate_rate": "1.5"})
    discount = add_offer(db.session, world.acme, "price_discount", {"discount_rate": "3"})
    client.login(world.acme_admin.email)
    page = client.get(f"/schemes/clients/{world.acme.id}/compare").get_data(as_text=True)
    chart = chart_of(page)
    assert len(chart["labels"]) == 12 and chart["labels"][0] == "Apr 2024" and chart["labels"][-1] == "Mar 2025"
    by_label = {d["label"]: d["data"] for d in chart["datasets"]}
    assert by_label[f"Offer {buyout.id} · Buyout with rebate (CNY)"] == [0.0] * 11 + [32594.55]
    assert by_label[f"Offer {discount.id} · Price discount (CNY)"][-1] == pytest.approx(65189.10)
    assert "CN¥32,594.55" in page  # March and the total, through the money filter
    assert page.count('class="num fw-semibold js-total"') == 2
    assert "Choose</button>" in page


def test_the_figures_are_the_plugins_results_on_the_same_facts(app, make, world, db, enable):
    enable()
    discount_shipments(make, world)  # March 2025, USD
    offer = add_offer(db.session, world.globex, "price_discount", {"discount_rate": "3"})
    registry = app.extensions["schemes"]
    with app.test_request_context():
        result = compare(world.globex, candidates_for([offer]), TODAY, "en")
        run = result.runs[0]
        assert run.error is None and run.total == D("952.46")
        march = [amount for period, amount in run.periods if period.start == date(2025, 3, 1)]
        facts = gather_facts(world.globex.id, "USD", date(2024, 4, 1), date(2025, 3, 1), date(2025, 3, 31))
        info = registry.info("price_discount")
        direct = registry.pm.hook.portal_settle(scheme_key="price_discount",
                                                terms=load_terms(info, offer.terms), facts=facts)
        assert march == [direct.total] == [D("952.46")]
        assert [line.amount for line in direct.lines] == [D("899.96"), D("52.50")]


def test_a_quarterly_offer_compares_the_last_four_quarters(app, make, world, db, enable):
    enable()
    buyout_shipments(make, world)
    buyout_shipments(make, world, day=date(2024, 11, 3))
    monthly = add_offer(db.session, world.acme, "buyout_rebate", {"rebate_rate": "1.5"})
    quarterly = add_offer(db.session, world.acme, "buyout_rebate", {"rebate_rate": "2"}, period_kind="quarter")
    with app.test_request_context():
        result = compare(world.acme, candidates_for([monthly, quarterly]), TODAY, "en")
    assert result.kind == "quarter" and [b.start for b in result.buckets] == [
        date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1)]
    first, second = result.runs
    assert len(first.periods) == 12 and len(second.periods) == 4
    assert first.buckets == [D(0), D(0), D("32594.55"), D("32594.55")]
    assert second.total == D("86918.80")  # 2 % of (1,813,000 + 359,970) twice


def test_the_current_contract_is_compared_too(client, make, world, db, enable):
    enable()
    buyout_shipments(make, world)
    add_contract(db.session, world.acme, "price_discount", {"discount_rate": "3"})
    add_offer(db.session, world.acme)
    client.login(world.finance.email)
    page = client.get(f"/schemes/clients/{world.acme.id}/compare").get_data(as_text=True)
    assert 'id="run-current"' in page and "CN¥65,189.10" in page


def test_a_currency_mismatch_is_shown_for_that_offer_only(client, make, world, db, enable):
    enable()
    buyout_shipments(make, world)  # in CNY
    in_usd = add_offer(db.session, world.acme, "buyout_rebate", currency="USD")
    add_offer(db.session, world.acme, "price_discount")
    client.login(world.acme_admin.email)
    response = client.get(f"/schemes/clients/{world.acme.id}/compare")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    row = re.search(rf'<tr id="run-{in_usd.id}">.*?</tr>', page, re.S).group(0)
    assert "js-scheme-error" in row and "is in CNY but this offer is in USD" in row
    assert "Shipment SH-A-2025-03-10/" in row
    assert "CN¥65,189.10" in page  # the other offer still settles


class _Terms(Schema):
    pass


def _info(key):
    text = tr(zh_Hans=key, zh_Hant_HK=key, en=key, fr=key, es=key)
    return SchemeInfo(key=key, names=text, explanations=text, terms_schema=_Terms, messages={}, version="1")


class FailingScheme:
    def __init__(self, key, error):
        self.key, self.error = key, error

    @hookimpl
    def portal_scheme_info(self):
        return _info(self.key)

    @hookimpl
    def portal_settle(self, scheme_key, terms, facts):
        if scheme_key != self.key:
            return None
        raise self.error


@pytest.fixture
def failing_schemes(app):
    registry = app.extensions["schemes"]
    plugins = [FailingScheme("no_prices", TermsIncomplete("no_prices", "no agreed price for part MB-9")),
               FailingScheme("crashing", ZeroDivisionError("division by zero"))]
    for plugin in plugins:
        registry.pm.register(plugin, name=plugin.key)
        registry.infos[plugin.key] = _info(plugin.key)
    yield
    for plugin in plugins:
        registry.pm.unregister(plugin)
        registry.infos.pop(plugin.key)


def test_plugin_errors_are_shown_per_scheme_not_a_500(client, make, world, db, enable, failing_schemes):
    enable()
    buyout_shipments(make, world)
    add_offer(db.session, world.acme, "no_prices", {})
    add_offer(db.session, world.acme, "crashing", {})
    add_offer(db.session, world.acme, "buyout_rebate")
    client.login(world.acme_admin.email)
    response = client.get(f"/schemes/clients/{world.acme.id}/compare")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The terms do not cover your figures: no agreed price for part MB-9" in page
    assert "The scheme failed: ZeroDivisionError: division by zero" in page
    assert page.count("js-scheme-error") == 2 and "CN¥32,594.55" in page


def test_parts_ratio_without_part_issues_settles_nothing(app, make, world, db, enable):
    enable()
    buyout_shipments(make, world)
    offer = add_offer(db.session, world.acme, "parts_ratio")
    with app.test_request_context():
        run = compare(world.acme, candidates_for([offer]), TODAY, "en").runs[0]
    assert run.error is None and run.total == D(0)


def test_nothing_to_compare(client, world, db):
    client.login(world.acme_admin.email)
    page = client.get(f"/schemes/clients/{world.acme.id}/compare").get_data(as_text=True)
    assert "There is no open offer to compare." in page and "comparison-chart" not in page
