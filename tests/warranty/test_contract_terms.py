"""Warranty months and grace days come from the client's contract in force on the unit's ship
date (DOMAIN.md: months per part category from the ship date plus the contract's grace days;
categories the contract is silent on keep the 三包 defaults), on the page, in the API and in
the downloads, and the repair-fee compensation claims agree with the look-up to the day."""
import csv
import html
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from marshmallow import ValidationError
from sqlalchemy import select, update

from contracts import ClaimFact, ClaimHistory, ShippedUnit, dump_terms, load_terms
from contracts.domain import DOMESTIC_WARRANTY_MONTHS
from portal.schemes.models import Contract
from portal.schemes.registry import current_schemes
from portal.shipments.models import Serial, Shipment, ShipmentLine
from portal.warranty import services

from .conftest import api_token

COMPENSATION = "repair_compensation"
TERMS = {"labour_fees": {"L1": "40", "L2": "80", "L3": "120"}, "handling_fee": "5",
         "warranty_months": {"panel": 24}, "grace_days": 30}
STARTS = date(2025, 4, 1)
UNDER = date(2025, 5, 10)  # SN-C1: + 30 grace days = 9 June 2025, when its months start to run
BEFORE = date(2025, 3, 15)  # SN-C0: shipped before the contract started, 三包 from the ship date

# SN-C1's last covered days: 9 June 2025 + n months - 1 day
UNIT_END, PANEL_END, BOARD_END = date(2026, 6, 8), date(2027, 6, 8), date(2028, 6, 8)


def stored(app, key, raw):
    """Terms as an offer stores them (portal.schemes.offers: dump of the scheme's load)."""
    with app.app_context():
        info = current_schemes().info(key)
        return dump_terms(info, load_terms(info, raw))


@pytest.fixture
def comp(app, make, fleet):
    """COMP under repair-fee compensation from 1 April 2025 (panel 24 months, 30 grace days)."""
    client = make.client(code="COMP", name="Comp Ltd")
    make.session.add(Contract(client_id=client.id, scheme_key=COMPENSATION, terms=stored(app, COMPENSATION, TERMS),
                              currency="CNY", period_kind="month", starts_on=STARTS))
    for number, day, serial in (("SH-C0", BEFORE, "SN-C0"), ("SH-C1", UNDER, "SN-C1")):
        make.shipment(client=client, ship_date=day, number=number, lines=[
            dict(model=fleet.model, quantity=1, unit_price=Decimal("1850.00"), serials=[serial])])
    make.session.flush()
    return client


def ends(result):
    return {c.category: c.ends_on for c in result.categories}


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# --- the terms of one contract ---------------------------------------------------------

def contract(key, terms):
    return Contract(client_id=1, scheme_key=key, terms=terms, currency="CNY", period_kind="month", starts_on=STARTS)


def test_terms_of_a_compensation_contract(app):
    with app.app_context():
        months, grace = services.warranty_terms_for(contract(COMPENSATION, stored(app, COMPENSATION, TERMS)))
    assert months == {**DOMESTIC_WARRANTY_MONTHS, "panel": 24} and grace == 30


@pytest.mark.parametrize("key, terms", [
    (COMPENSATION, {"labour_fees": {"L1": "40"}}),  # silent on both (and incomplete elsewhere: not our concern)
    (COMPENSATION, {"warranty_months": None, "grace_days": None}),
    ("parts_ratio", {"category_ratios": {"main_board": "1"}, "grace_days": 30}),  # a scheme without such terms
    ("no_longer_installed", {"warranty_months": {"panel": 24}, "grace_days": 30}),
])
def test_silent_contracts_keep_the_three_guarantees(app, key, terms):
    with app.app_context():
        assert services.warranty_terms_for(contract(key, terms)) == (DOMESTIC_WARRANTY_MONTHS, 0)
        assert services.warranty_terms_for(None) == (DOMESTIC_WARRANTY_MONTHS, 0)


def test_stored_terms_are_loaded_by_the_schemes_fields(app):
    with app.app_context():
        as_strings = contract(COMPENSATION, {"warranty_months": {"panel": "24"}, "grace_days": "30"})
        assert services.warranty_terms_for(as_strings) == ({**DOMESTIC_WARRANTY_MONTHS, "panel": 24}, 30)
        for bad in ({"warranty_months": {"panel": "two years"}}, {"warranty_months": {"screen": 24}},
                    {"grace_days": 1.5}):
            with pytest.raises(ValidationError):  # never a warranty the contract does not give
                services.warranty_terms_for(contract(COMPENSATION, bad))


# --- the look-up -----------------------------------------------------------------------

def test_lookup_follows_the_contract_on_the_ship_date(app, comp):
    with app.test_request_context():
        under, before = services.lookup(["SN-C1", "SN-C0"], on=PANEL_END)
    assert under.grace_days == 30 and under.scheme_key == COMPENSATION
    assert {c.category: c.months for c in under.categories} == {**DOMESTIC_WARRANTY_MONTHS, "panel": 24}
    assert ends(under) == {"unit": UNIT_END, "main_board": BOARD_END, "power_board": UNIT_END,
                           "panel": PANEL_END, "remote": UNIT_END, "accessory": UNIT_END}
    assert under.status == "parts" and under.category("panel").in_warranty
    # shipped before the contract: 三包 from the ship date, no grace
    assert before.grace_days == 0 and before.scheme_key is None
    assert ends(before) == {"unit": date(2026, 3, 14), "main_board": date(2028, 3, 14),
                            "power_board": date(2026, 3, 14), "panel": date(2028, 3, 14),
                            "remote": date(2026, 3, 14), "accessory": date(2026, 3, 14)}
    with app.test_request_context():
        day_after = services.lookup(["SN-C1"], on=date(2027, 6, 9))[0]
    assert not day_after.category("panel").in_warranty and day_after.category("main_board").in_warranty


def test_card_shows_the_contracts_months_and_grace_days(client, make, comp):
    client.login(make.user(role="client_user", client=comp).email)
    card = text_of(client.get("/warranty?serial=SN-C1&on=2027-06-08")).split('id="result"', 1)[1]
    assert re.search(r"Grace days</dt>\s*<dd[^>]*>30</dd>", card)
    rows = re.findall(r'<th scope="row" class="fw-normal">([^<]+)</th>\s*<td class="num">(\d+)</td>\s*'
                      r'<td>([^<]+)</td>\s*<td><span class="badge text-bg-(\w+)">', card)
    assert rows == [
        ("Whole unit", "12", "Jun 8, 2026", "danger"),
        ("Main board", "36", "Jun 8, 2028", "success"),
        ("Power board", "12", "Jun 8, 2026", "danger"),
        ("Panel", "24", "Jun 8, 2027", "success"),
        ("Remote control", "12", "Jun 8, 2026", "danger"),
        ("Accessories", "12", "Jun 8, 2026", "danger"),
    ]
    before = text_of(client.get("/warranty?serial=SN-C0&on=2027-06-08")).split('id="result"', 1)[1]
    assert "Grace days" not in before and "Mar 14, 2028" in before


def test_api_gives_the_contracts_terms(client, make, comp):
    headers = api_token(client, make.user(role="client_user", client=comp))
    body = client.get("/api/v1/warranty/SN-C1?on=2027-06-08", headers=headers).get_json()
    assert body["grace_days"] == 30 and body["status"] == "parts"
    assert body["categories"][3] == {"category": "panel", "months": 24, "ends_on": "2027-06-08", "in_warranty": True}
    assert body["categories"][1] == {"category": "main_board", "months": 36, "ends_on": "2028-06-08",
                                     "in_warranty": True}
    bulk = client.post("/api/v1/warranty/lookup", json={"serials": ["SN-C1", "SN-C0"], "on": "2027-06-09"},
                       headers=headers).get_json()["results"]
    assert [(r["grace_days"], r["categories"][3]["ends_on"], r["categories"][3]["in_warranty"]) for r in bulk] == [
        (30, "2027-06-08", False), (0, "2028-03-14", True)]


def test_download_gives_the_contracts_end_dates(client, make, comp):
    client.login(make.user(role="client_user", client=comp).email)
    response = client.post("/warranty/download", data={"serials": json.dumps(["SN-C1", "SN-C0"]),
                                                       "on": "2027-06-08", "format": "csv"})
    header, under, before = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert header[14] == "Panel: covered until" and header[8] == "Whole unit: covered until"
    assert (under[8], under[14], under[15]) == ("2026-06-08", "2027-06-08", "In warranty")
    assert (before[8], before[14]) == ("2026-03-14", "2028-03-14")


def test_bulk_lookup_queries_stay_constant(app, make, comp, many_serials, count_statements):
    def statements_for(serials):
        with app.test_request_context():
            count_statements.statements.clear()
            results = services.lookup(serials, on=PANEL_END)
        return results, list(count_statements.statements)

    serials = many_serials(comp, 2500)
    bulk = make.session.scalars(select(ShipmentLine.shipment_id).join(Serial).where(Serial.serial == serials[0])).one()
    make.session.execute(update(Shipment).where(Shipment.id == bulk).values(ship_date=UNDER))  # under the contract
    few, few_statements = statements_for(serials[:10] + ["SN-C0", "SN-C1", "SN-A1"])
    many, many_statements = statements_for(serials + ["SN-C0", "SN-C1", "SN-A1"])
    assert {r.grace_days for r in many[:2500]} == {30} and many[-2].grace_days == 30 and many[-3].grace_days == 0
    assert len(few_statements) == 2 and len(many_statements) == 4  # serial chunks of 1,000 + the contracts


# --- the claims agree ------------------------------------------------------------------

def claim_on(repair_date, category):
    return ClaimFact("CL-1", "SN-C1", "KTV-55A", "ST-01", repair_date, repair_date, None, "normal_failure", "L1",
                     category, (), Decimal("40"), Decimal("0"), Decimal("5"), "CNY")


@pytest.mark.parametrize("category, last_day", [("panel", PANEL_END), ("unit", UNIT_END)])
def test_claims_and_the_look_up_agree_on_the_boundary(app, comp, category, last_day):
    """The scheme's adjudication (plugins/compensation_rules.py, through the registry as the
    portal calls it) and the look-up decide the same unit on its last covered day and the next."""
    history = ClaimHistory(shipped_units={"SN-C1": ShippedUnit("KTV-55A", UNDER)})
    with app.test_request_context():
        terms = services.contract_histories([comp.id])[comp.id][0].terms
        for day in (last_day, date.fromordinal(last_day.toordinal() + 1)):
            decision = current_schemes().adjudicate(COMPENSATION, terms, claim_on(day, category), history)
            claim_covered = "out_of_warranty" not in decision.reasons
            looked_up = services.lookup(["SN-C1"], on=day)[0].category(category).in_warranty
            assert claim_covered is looked_up is (day == last_day), (category, day)
