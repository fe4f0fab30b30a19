"""Offers through the pages: made by administrators and finance with terms validated by the
scheme's schema, chosen by the client administrator, confirmed or declined by the ODM."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.schemes.models import Contract, Offer

from .conftest import add_contract, add_offer

VALID_FORMS = {
    "buyout_rebate": {"t.rebate_rate": "1.5", "t.spare_parts_allowance": "2"},
    "price_discount": {"t.discount_rate": "3"},
    "parts_ratio": {"t.category_ratios.main_board": "1", "t.model_ratios.0.key": "KTV-55A",
                    "t.model_ratios.0.value.panel": "0.5", "t.part_prices.0.key": "MB-55A",
                    "t.part_prices.0.value": "310.00", "t.category_prices.remote": "12"},
    "repair_compensation": {"t.labour_fees.L1": "40", "t.labour_fees.L2": "80", "t.labour_fees.L3": "120",
                            "t.handling_fee": "5", "t.cap_per_claim": "300",
                            "t.excluded_fault_causes.__present": "1", "t.excluded_fault_causes": "human_damage",
                            "t.submission_window_days": "60", "t.grace_days": "0"},
}
STORED = {
    "buyout_rebate": {"rebate_rate": "1.5", "spare_parts_allowance": "2"},
    "price_discount": {"discount_rate": "3"},
    "parts_ratio": {"category_ratios": {"main_board": "1"}, "model_ratios": {"KTV-55A": {"panel": "0.5"}},
                    "part_prices": {"MB-55A": "310.00"}, "category_prices": {"remote": "12"}},
}


def offers(db) -> int:
    return db.session.scalar(select(func.count(Offer.id)))


def post_offer(client, world, key, data, currency="CNY", period_kind="month"):
    return client.post(f"/schemes/clients/{world.acme.id}/offers/new",
                       data={"scheme_key": key, "currency": currency, "period_kind": period_kind, **data})


@pytest.mark.parametrize("key", list(VALID_FORMS))
def test_finance_offers_each_built_in_scheme_without_typing_json(client, world, db, enable, key):
    enable()
    client.login(world.finance.email)
    page = client.get(f"/schemes/clients/{world.acme.id}/offers/new?scheme={key}").get_data(as_text=True)
    assert 'name="t.' in page and "textarea" not in page  # inputs, no JSON box
    response = post_offer(client, world, key, VALID_FORMS[key])
    assert response.status_code == 302, response.get_data(as_text=True)
    offer = db.session.scalars(select(Offer)).one()
    assert (offer.scheme_key, offer.currency, offer.period_kind, offer.status) == (key, "CNY", "month", "offered")
    assert offer.offered_by_id == world.finance.id
    if key in STORED:
        assert offer.terms == STORED[key]
    else:
        assert offer.terms["excluded_fault_causes"] == ["human_damage"]
        assert offer.terms["labour_fees"] == {"L1": "40", "L2": "80", "L3": "120"}


def test_the_form_offers_only_enabled_schemes_and_defaults_to_the_clients_currency(client, world, db, enable):
    enable("price_discount")
    client.login(world.admin.email)
    page = client.get(f"/schemes/clients/{world.globex.id}/offers/new").get_data(as_text=True)
    assert 'value="price_discount"' in page and 'value="buyout_rebate"' not in page
    page = client.get(f"/schemes/clients/{world.globex.id}/offers/new?scheme=price_discount").get_data(as_text=True)
    assert '<option selected value="USD">' in page or 'value="USD" selected' in page
    assert "Discount rate (%)" in page


@pytest.mark.parametrize("key, data, message, kept", [
    ("buyout_rebate", {}, "This field is required.", None),
    ("buyout_rebate", {"t.rebate_rate": "abc"}, "Enter a number.", 'value="abc"'),
    ("buyout_rebate", {"t.rebate_rate": "101"}, "Enter a value above 0 and at most 100.", 'value="101"'),
    ("repair_compensation", {**VALID_FORMS["repair_compensation"], "t.grace_days": "1.5"},
     "Enter a whole number.", 'value="1.5"'),
    ("repair_compensation", {**VALID_FORMS["repair_compensation"], "t.labour_fees.L3": ""},
     "Give a labour fee for L3.", 'value="80"'),
    ("parts_ratio", {"t.category_ratios.main_board": "1"},
     "Give an agreed price per part number or per category.", None),
    ("parts_ratio", {**VALID_FORMS["parts_ratio"], "t.part_prices.1.key": "", "t.part_prices.1.value": "9"},
     "Fill in this column for the row.", 'value="9"'),
])
def test_invalid_terms_are_shown_and_nothing_is_written(client, world, db, enable, key, data, message, kept):
    enable()
    client.login(world.finance.email)
    response = post_offer(client, world, key, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and ("is-invalid" in page or "border-danger" in page)
    if kept:
        assert kept in page
    assert offers(db) == 0


def test_bad_currency_or_period(client, world, db, enable):
    enable("buyout_rebate")
    client.login(world.admin.email)
    response = post_offer(client, world, "buyout_rebate", {"t.rebate_rate": "1"}, currency="XXX", period_kind="week")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose one of the listed currencies." in page and "Choose a month or a quarter." in page
    assert offers(db) == 0


def test_a_disabled_scheme_cannot_be_offered(client, world, db, enable):
    enable("price_discount")
    client.login(world.admin.email)
    response = post_offer(client, world, "buyout_rebate", {"t.rebate_rate": "1"})
    assert "not enabled" in response.get_data(as_text=True)
    assert offers(db) == 0


@pytest.mark.parametrize("role", ["staff", "quality", "client_admin", "client_user"])
def test_only_admin_and_finance_make_offers(client, make, world, db, enable, role):
    enable()
    user = make.user(role=role, client=world.acme if role.startswith("client") else None)
    client.login(user.email)
    assert client.get(f"/schemes/clients/{world.acme.id}/offers/new").status_code == 403
    assert post_offer(client, world, "buyout_rebate", {"t.rebate_rate": "1"}).status_code == 403
    assert offers(db) == 0


def test_choose_confirm_makes_a_contract_from_the_next_month(client, world, db, enable, sign_in):
    enable()
    old = add_contract(db.session, world.acme, starts_on=date(2025, 1, 1))
    chosen = add_offer(db.session, world.acme, "price_discount")
    other = add_offer(db.session, world.acme, "parts_ratio")
    client.login(world.acme_admin.email)
    page = client.get(f"/schemes/clients/{world.acme.id}").get_data(as_text=True)
    assert "Choose this offer" in page and "Price discount" in page
    assert "in lieu of warranty service" in page or "Instead of warranty service" in page  # the explanation
    assert client.post(f"/schemes/offers/{chosen.id}/choose").status_code == 302
    db.session.refresh(chosen)
    assert chosen.status == "chosen" and chosen.chosen_by_id == world.acme_admin.id

    sign_in(world.finance)
    assert "Choices awaiting confirmation" in client.get("/schemes/contracts").get_data(as_text=True)
    client.post(f"/schemes/offers/{chosen.id}/confirm")
    contract = db.session.scalars(select(Contract).where(Contract.offer_id == chosen.id)).one()
    assert (contract.scheme_key, contract.starts_on, contract.ends_on) == ("price_discount", date(2025, 5, 1), None)
    assert contract.terms == {"discount_rate": "3"} and contract.confirmed_by_id == world.finance.id
    db.session.refresh(old), db.session.refresh(chosen), db.session.refresh(other)
    assert old.ends_on == date(2025, 4, 30)
    assert chosen.status == "confirmed" and other.status == "withdrawn"

    sign_in(world.acme_user)
    page = client.get("/schemes/mine").get_data(as_text=True)
    assert "Contract history" in page and "Price discount" in page and "Buyout with rebate" in page
    assert "Choose this offer" not in page


def test_a_quarterly_offer_starts_on_the_next_quarter(client, world, db, enable):
    enable()
    offer = add_offer(db.session, world.acme, period_kind="quarter", status="chosen")
    client.login(world.admin.email)
    client.post(f"/schemes/offers/{offer.id}/confirm")
    assert db.session.scalars(select(Contract)).one().starts_on == date(2025, 7, 1)


def test_choosing_another_offer_puts_the_first_back(client, world, db, enable):
    enable()
    first = add_offer(db.session, world.acme, status="chosen")
    second = add_offer(db.session, world.acme, "price_discount")
    client.login(world.acme_admin.email)
    client.post(f"/schemes/offers/{second.id}/choose")
    db.session.refresh(first), db.session.refresh(second)
    assert (first.status, second.status) == ("offered", "chosen")


def test_decline_with_a_reason(client, world, db, enable, sign_in):
    enable()
    offer = add_offer(db.session, world.acme, status="chosen")
    client.login(world.finance.email)
    response = client.post(f"/schemes/offers/{offer.id}/decline", data={"reason": "  "})
    assert response.status_code == 422 and "Give the reason the client will read." in response.get_data(as_text=True)
    db.session.refresh(offer)
    assert offer.status == "chosen"
    client.post(f"/schemes/offers/{offer.id}/decline", data={"reason": "Rate too high for this volume."})
    db.session.refresh(offer)
    assert (offer.status, offer.note, offer.decided_by_id) == ("declined", "Rate too high for this volume.",
                                                               world.finance.id)
    assert db.session.scalar(select(func.count(Contract.id))) == 0
    sign_in(world.acme_admin)
    assert "Rate too high for this volume." in client.get(f"/schemes/clients/{world.acme.id}").get_data(as_text=True)


def test_only_a_chosen_offer_is_confirmed_or_declined(client, world, db, enable):
    enable()
    offer = add_offer(db.session, world.acme)
    client.login(world.admin.email)
    page = client.post(f"/schemes/offers/{offer.id}/confirm", follow_redirects=True).get_data(as_text=True)
    assert "Only an offer the client has chosen can be confirmed." in page
    assert db.session.scalar(select(func.count(Contract.id))) == 0


def test_an_offer_of_a_scheme_disabled_since_cannot_be_chosen(client, world, db, enable):
    enable("price_discount")
    offer = add_offer(db.session, world.acme, "buyout_rebate")
    client.login(world.acme_admin.email)
    page = client.post(f"/schemes/offers/{offer.id}/choose", follow_redirects=True).get_data(as_text=True)
    assert "not enabled" in page
    db.session.refresh(offer)
    assert offer.status == "offered"


def test_withdraw(client, world, db, enable):
    offer = add_offer(db.session, world.acme)
    client.login(world.finance.email)
    client.post(f"/schemes/offers/{offer.id}/withdraw")
    db.session.refresh(offer)
    assert offer.status == "withdrawn"


def test_roles_on_decisions(client, world, db, enable, sign_in):
    enable()
    offer = add_offer(db.session, world.acme)
    client.login(world.acme_user.email)
    assert client.post(f"/schemes/offers/{offer.id}/choose").status_code == 403
    assert "Choose this offer" not in client.get(f"/schemes/clients/{world.acme.id}").get_data(as_text=True)
    assert client.get(f"/schemes/clients/{world.acme.id}/compare").status_code == 403
    offer.status = "chosen"
    db.session.flush()
    for user in (world.acme_admin, world.staff):
        sign_in(user)
        assert client.post(f"/schemes/offers/{offer.id}/confirm").status_code == 403
        assert client.post(f"/schemes/offers/{offer.id}/decline", data={"reason": "x"}).status_code == 403
        assert client.post(f"/schemes/offers/{offer.id}/withdraw").status_code == 403
    db.session.refresh(offer)
    assert offer.status == "chosen"


def test_another_clients_offers_and_contracts_are_not_found(client, world, db, enable):
    enable()
    offer = add_offer(db.session, world.acme)
    add_contract(db.session, world.acme)
    client.login(world.globex_admin.email)
    assert client.get(f"/schemes/clients/{world.acme.id}").status_code == 404
    assert client.get(f"/schemes/clients/{world.acme.id}/compare").status_code == 404
    assert client.post(f"/schemes/offers/{offer.id}/choose").status_code == 404
    db.session.refresh(offer)
    assert offer.status == "offered"
    page = client.get("/schemes/mine").get_data(as_text=True)
    assert "Globex Overseas" in page and "Acme" not in page


def test_staff_pages_list_contracts(client, world, db):
    add_contract(db.session, world.acme)
    add_contract(db.session, world.globex, "price_discount")
    client.login(world.staff.email)
    page = client.get("/schemes/contracts").get_data(as_text=True)
    assert "ACME" in page and "GLOBEX" in page
    page = client.get(f"/schemes/contracts?client={world.globex.id}").get_data(as_text=True)
    assert "GLOBEX</a>" in page and "ACME</a>" not in page
    assert "New offer" not in client.get(f"/schemes/clients/{world.acme.id}").get_data(as_text=True)


def test_menu_entries(client, world, db, sign_in):
    sign_in(world.acme_user)
    assert "/schemes/mine" in client.get("/").get_data(as_text=True)
    sign_in(world.finance)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/schemes/contracts"' in page and "/schemes/admin" not in page
    sign_in(world.admin)
    assert "/schemes/admin" in client.get("/").get_data(as_text=True)
