"""The look-up follows the client's contract in force on the unit's ship date: under buyout with
rebate or price discount the client carries the warranty itself ("client_warranty"), on the
page, in the API and in the downloads; under the other schemes, or for a unit shipped before
such a contract started, the ODM's warranty applies as usual."""
import csv
import html
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest

from portal.schemes.models import Contract
from portal.tenancy import set_tenant
from portal.warranty import services
from portal.warranty.schemas import LookupResponseSchema, WarrantyResultSchema, dump_lookup, dump_result

from .conftest import api_token

ON = date(2025, 6, 1)  # every unit below is well inside the domestic 12 months on this day


def add_contract(session, client, scheme_key, starts_on, ends_on=None):
    session.add(Contract(client_id=client.id, scheme_key=scheme_key, terms={}, currency="CNY", period_kind="month",
                         starts_on=starts_on, ends_on=ends_on))


@pytest.fixture
def contracted(make, fleet):
    """MINE takes a buyout from 1 April 2025 (SN-A1..3 were shipped on 1 March, before it; SN-BUY1
    and SN-BUY2 on 10 May, under it); DISC is under price discount, RATIO under spare-parts ratio,
    COMP under repair-fee compensation."""
    session = make.session
    add_contract(session, fleet.mine, "buyout_rebate", date(2025, 4, 1))
    make.shipment(client=fleet.mine, ship_date=date(2025, 5, 10), number="SH-MINE-2", lines=[
        dict(model=fleet.model, quantity=2, unit_price=Decimal("1850.00"), serials=["SN-BUY1", "SN-BUY2"])])
    for code, scheme in (("DISC", "price_discount"), ("RATIO", "parts_ratio"), ("COMP", "repair_compensation")):
        client = make.client(code=code, name=f"{code} Ltd")
        add_contract(session, client, scheme, date(2025, 1, 1))
        make.shipment(client=client, ship_date=date(2025, 2, 1), number=f"SH-{code}", lines=[
            dict(model=fleet.model, quantity=1, unit_price=Decimal("1850.00"), serials=[f"SN-{code}"])])
    session.flush()
    return fleet


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


# --- the rule --------------------------------------------------------------------------

def contract(scheme_key, starts_on, ends_on=None):
    return Contract(client_id=1, scheme_key=scheme_key, terms={}, currency="CNY", period_kind="month",
                    starts_on=starts_on, ends_on=ends_on)


def test_the_contract_on_the_ship_date_decides():
    history = [contract("parts_ratio", date(2025, 1, 1)),  # newest first, as contract_histories gives them
               contract("buyout_rebate", date(2024, 1, 1), date(2024, 12, 31))]
    carrier = services.warranty_carrier
    assert carrier(history, date(2023, 12, 31)) == services.WarrantyCarrier(None, False)  # before any contract
    assert carrier(history, date(2024, 1, 1)) == services.WarrantyCarrier("buyout_rebate", True)
    assert carrier(history, date(2024, 12, 31)) == services.WarrantyCarrier("buyout_rebate", True)
    assert carrier(history, date(2025, 1, 1)) == services.WarrantyCarrier("parts_ratio", False)
    assert carrier([], date(2025, 1, 1)) == services.WarrantyCarrier(None, False)


@pytest.mark.parametrize("scheme, by_client", [
    ("buyout_rebate", True), ("price_discount", True), ("parts_ratio", False), ("repair_compensation", False),
])
def test_who_carries_the_warranty_by_scheme(scheme, by_client):
    assert services.warranty_carrier([contract(scheme, date(2025, 1, 1))], date(2025, 2, 1)).by_client is by_client


# --- the look-up -----------------------------------------------------------------------

def test_lookup_statuses_follow_the_contracts(app, contracted):
    with app.test_request_context():
        results = {r.serial: r for r in services.lookup(
            ["SN-A1", "SN-BUY1", "SN-DISC", "SN-RATIO", "SN-COMP", "NOPE"], on=ON)}
    before, buyout, discount = results["SN-A1"], results["SN-BUY1"], results["SN-DISC"]
    assert before.status == "in" and before.scheme_key is None and not before.client_warranty
    assert len(before.categories) == 6  # shipped before the buyout started: the ODM's warranty
    for unit, scheme in ((buyout, "buyout_rebate"), (discount, "price_discount")):
        assert unit.status == "client_warranty" and unit.client_warranty and unit.scheme_key == scheme
        assert unit.categories == () and not unit.in_warranty and unit.category("unit") is None
        assert unit.found and unit.model_code == "KTV-55A"
    for serial, scheme in (("SN-RATIO", "parts_ratio"), ("SN-COMP", "repair_compensation")):
        assert results[serial].status == "in" and results[serial].scheme_key == scheme
        assert not results[serial].client_warranty and len(results[serial].categories) == 6
    assert services.summarise(list(results.values())) == services.Summary(
        total=6, found=5, not_found=1, in_warranty=3, parts_only=0, out_of_warranty=0, client_warranty=2)


def test_a_client_user_still_sees_only_its_own_serials(app, contracted):
    with app.test_request_context():
        set_tenant(contracted.mine.id)
        results = services.lookup(["SN-BUY1", "SN-DISC", "SN-RATIO"], on=ON)
    assert [r.status for r in results] == ["client_warranty", "not_found", "not_found"]
    assert results[1] == services.WarrantyResult(serial="SN-DISC", found=False, on=ON)


def test_contracts_are_loaded_once_whatever_the_number_of_serials(app, make, contracted, many_serials,
                                                                   count_statements):
    def statements_for(serials):
        with app.test_request_context():
            count_statements.statements.clear()
            results = services.lookup(serials, on=ON)
        return results, list(count_statements.statements)

    buyer = make.client(code="BULK")
    add_contract(make.session, buyer, "buyout_rebate", date(2020, 1, 1))
    serials = many_serials(buyer, 2500)
    others = ["SN-A1", "SN-DISC", "SN-RATIO", "SN-COMP"]  # four more clients, three more contracts
    few, few_statements = statements_for(serials[:10] + others)
    many, many_statements = statements_for(serials + others)
    assert {r.status for r in many[:2500]} == {"client_warranty"} and many[-1].status == "in"
    contract_queries = [s for s in many_statements if "FROM contract" in s]
    assert len(contract_queries) == 1  # one query for the five clients' contracts
    assert len(few_statements) == 2 and len(many_statements) == 4  # + the serial chunks of 1,000


# --- the pages -------------------------------------------------------------------------

def test_card_of_a_unit_under_the_clients_own_warranty(client, make, contracted):
    client.login(make.user(role="staff").email)
    card = text_of(client.get("/warranty?serial=SN-BUY1&on=2025-06-01")).split('id="result"', 1)[1]
    assert "Client's own warranty" in card and "border-info" in text_of(client.get("/warranty?serial=SN-BUY1"))
    assert "Warranty scheme" in card and "Buyout with rebate" in card
    assert ("Shipped under Buyout with rebate: the client carries the warranty itself, and the ODM repairs the unit "
            "only against a charge.") in card
    assert "Covered until" not in card and "In warranty" not in card


def test_card_of_a_unit_shipped_before_the_buyout(client, make, contracted):
    client.login(make.user(role="staff").email)
    card = text_of(client.get("/warranty?serial=SN-A1&on=2025-06-01")).split('id="result"', 1)[1]
    assert "In warranty" in card and "Covered until" in card
    assert "Client's own warranty" not in card and "Warranty scheme" not in card


def test_card_names_other_schemes_and_keeps_the_odm_warranty(client, make, contracted):
    client.login(make.user(role="staff").email)
    card = text_of(client.get("/warranty?serial=SN-RATIO&on=2025-06-01")).split('id="result"', 1)[1]
    assert "Spare-parts ratio" in card and "In warranty" in card and "Covered until" in card
    assert "Client's own warranty" not in card


def test_the_scheme_name_is_in_the_users_language(client, make, contracted):
    client.login(make.user(role="client_user", client=contracted.mine, locale="fr").email)
    card = text_of(client.get("/warranty?serial=SN-BUY1&on=2025-06-01")).split('id="result"', 1)[1]
    assert "Rachat de garantie avec ristourne" in card and "Buyout with rebate" not in card


def test_bulk_summary_and_preview(client, make, contracted):
    client.login(make.user(role="staff").email)
    response = client.post("/warranty/bulk", data={"serials": "SN-A1 SN-BUY1 SN-DISC SN-RATIO", "on": "2025-06-01"})
    page = response.get_data(as_text=True)
    summary = dict(re.findall(r'data-summary="(\w+)">([^<]+)<', page))
    assert summary["client_warranty"] == "2" and summary["in_warranty"] == "2"
    preview = text_of(response).split('id="preview"', 1)[1]
    assert preview.count("Client's own warranty") == 2
    assert 'data-scheme="buyout_rebate">Shipped under Buyout with rebate:' in preview
    assert 'data-scheme="price_discount">Shipped under Price discount:' in preview


def test_bulk_summary_hides_an_empty_client_warranty_count(client, make, contracted):
    client.login(make.user(role="staff").email)
    page = client.post("/warranty/bulk", data={"serials": "SN-A1 SN-RATIO"}).get_data(as_text=True)
    assert 'data-summary="client_warranty"' not in page and 'data-summary="in_warranty"' in page


def test_download_csv(client, make, contracted):
    client.login(make.user(role="client_user", client=contracted.mine).email)
    serials = json.dumps(["SN-BUY1", "SN-A1", "SN-DISC"])
    response = client.post("/warranty/download", data={"serials": serials, "on": "2025-06-01", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, buyout, before, theirs = rows
    assert header[7] == "Status on Jun 1, 2025" and header[-1] == "Warranty scheme" and len(header) == 21
    assert buyout[:2] == ["SN-BUY1", "Yes"] and buyout[7] == "Client's own warranty"
    assert set(buyout[8:20]) == {""} and buyout[20] == "Buyout with rebate"
    assert before[7] == "In warranty" and before[8] == "2026-02-28" and before[20] == ""
    assert theirs[:2] == ["SN-DISC", "No"] and theirs[20] == ""  # another client's: not found


def test_download_xlsx_names_every_contracts_scheme(client, make, contracted):
    from openpyxl import load_workbook

    client.login(make.user(role="staff").email)
    serials = json.dumps(["SN-DISC", "SN-COMP"])
    response = client.post("/warranty/download", data={"serials": serials, "on": "2025-06-01", "format": "xlsx"})
    rows = [list(r) for r in load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0].iter_rows(
        values_only=True)]
    assert rows[1][9] == "Client's own warranty" and rows[1][22] == "Price discount"
    assert rows[2][9] == "In warranty" and rows[2][22] == "Repair-fee compensation"


# --- the API ---------------------------------------------------------------------------

def test_api_one_serial_under_the_clients_own_warranty(client, make, contracted):
    headers = api_token(client, make.user(role="client_user", client=contracted.mine))
    body = client.get("/api/v1/warranty/SN-BUY1?on=2025-06-01", headers=headers).get_json()
    assert body["status"] == "client_warranty" and body["found"] is True and body["categories"] == []
    assert body["scheme_key"] == "buyout_rebate" and body["scheme_name"] == "Buyout with rebate"
    assert body["grace_days"] is None and body["ship_date"] == "2025-05-10"
    before = client.get("/api/v1/warranty/SN-A1?on=2025-06-01", headers=headers).get_json()
    assert before["status"] == "in" and before["scheme_key"] is None and before["scheme_name"] is None
    assert client.get("/api/v1/warranty/SN-DISC", headers=headers).status_code == 404  # tenancy unchanged


def test_api_scheme_name_in_the_users_language(client, make, contracted):
    headers = api_token(client, make.user(role="staff", locale="zh_Hans"))
    body = client.get("/api/v1/warranty/SN-DISC?on=2025-06-01", headers=headers).get_json()
    assert body["status"] == "client_warranty" and body["scheme_name"] == "售价折扣"


def test_api_bulk(client, make, contracted):
    headers = api_token(client, make.user(role="staff"))
    body = client.post("/api/v1/warranty/lookup", json={"serials": ["SN-BUY1", "SN-A1", "SN-DISC", "SN-COMP"],
                                                        "on": "2025-06-01"}, headers=headers).get_json()
    assert [(r["status"], r["scheme_key"]) for r in body["results"]] == [
        ("client_warranty", "buyout_rebate"), ("in", None), ("client_warranty", "price_discount"),
        ("in", "repair_compensation")]
    assert body["summary"]["client_warranty"] == 2 and body["summary"]["in_warranty"] == 2


def test_the_fast_dump_agrees_with_the_schema_for_contracts(app, contracted):
    with app.test_request_context():
        results = services.lookup(["SN-BUY1", "SN-A1", "SN-DISC", "SN-RATIO", "NOPE"], on=ON)
        for result in results:
            assert dump_result(result) == WarrantyResultSchema().dump(result)
        expected = LookupResponseSchema().dump({"on": ON, "summary": services.summarise(results), "results": results})
        assert dump_lookup(results, ON) == expected
