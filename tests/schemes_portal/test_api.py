"""/api/v1/schemes, /api/v1/offers, /api/v1/contracts."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.schemes.models import Contract, Offer

from .conftest import VALID_TERMS, add_contract, add_offer


def offers(db) -> int:
    return db.session.scalar(select(func.count(Offer.id)))


def test_schemes_lists_the_enabled_ones_with_their_terms_schema(api, world, make, db, enable):
    enable("buyout_rebate", "repair_compensation")
    body = api.get("/api/v1/schemes", world.acme_user).get_json()
    assert [s["key"] for s in body] == ["buyout_rebate", "repair_compensation"]
    buyout = body[0]
    assert buyout["name"] == "Buyout with rebate" and buyout["version"] == "1.0"
    terms = buyout["terms_schema"]
    assert terms["required"] == ["rebate_rate"] and terms["additionalProperties"] is False
    rate = terms["properties"]["rebate_rate"]
    assert rate["title"] == "Rebate rate (%)" and rate["exclusiveMinimum"] == 0 and rate["maximum"] == 100
    compensation = body[1]["terms_schema"]["properties"]
    assert compensation["labour_fees"]["propertyNames"] == {"enum": ["L1", "L2", "L3"]}
    assert compensation["submission_window_days"]["default"] == 60
    assert body[1]["handles_claims"] is True


def test_schemes_in_the_requested_or_the_users_language(api, make, world, db, enable):
    enable("buyout_rebate")
    body = api.get("/api/v1/schemes?locale=zh_Hant_HK", world.admin).get_json()
    assert body[0]["name"] == "買斷式貨款回贈"
    assert body[0]["terms_schema"]["properties"]["rebate_rate"]["title"] == "回贈比率（%）"
    french = make.user(role="finance", locale="fr")
    assert api.get("/api/v1/schemes", french).get_json()[0]["name"] == "Rachat de garantie avec ristourne"
    assert api.get("/api/v1/schemes?locale=xx", french).status_code == 422


def test_a_token_is_needed(client, db):
    assert client.get("/api/v1/schemes").status_code == 401
    assert client.post("/api/v1/offers", json={}).status_code == 401


def test_finance_makes_an_offer(api, world, db, enable):
    enable()
    response = api.post("/api/v1/offers", world.finance, json={
        "client_id": world.acme.id, "scheme_key": "parts_ratio", "period_kind": "quarter",
        "terms": {"category_ratios": {"main_board": 1}, "part_prices": {"MB-1": 310.5}}})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["currency"] == "CNY" and body["status"] == "offered" and body["client_code"] == "ACME"
    assert body["terms"] == {"category_ratios": {"main_board": "1"}, "model_ratios": {},
                             "part_prices": {"MB-1": "310.5"}, "category_prices": {}}


@pytest.mark.parametrize("key, terms, path, message", [
    ("buyout_rebate", {}, ["rebate_rate"], "This field is required."),
    ("buyout_rebate", {"rebate_rate": "0"}, ["rebate_rate"], "Enter a value above 0 and at most 100."),
    ("buyout_rebate", {"rebate_rate": "NaN"}, ["rebate_rate"], "Enter a number."),
    ("buyout_rebate", {"rebate_rate": "1", "rebate": "2"}, ["rebate"], "Unknown field."),
    ("parts_ratio", {"category_ratios": {"panel": "200"}, "category_prices": {"panel": "1"}},
     ["category_ratios", "panel", "value"], "Enter a value from 0 to 100."),
    ("parts_ratio", {"category_ratios": {"screen": "1"}, "category_prices": {"panel": "1"}},
     ["category_ratios", "screen", "key"],
     "Choose one of: Whole unit, Main board, Power board, Panel, Remote control, Accessories."),
    ("parts_ratio", {"category_ratios": {"panel": "1"}}, ["category_prices"],
     "Give an agreed price per part number or per category."),
    ("repair_compensation", {**VALID_TERMS["repair_compensation"], "submission_window_days": 60.5},
     ["submission_window_days"], "Enter a whole number."),
    ("repair_compensation", {**VALID_TERMS["repair_compensation"], "excluded_fault_causes": ["aliens"]},
     ["excluded_fault_causes", "0"], None),
])
def test_invalid_terms_answer_422_field_by_field(api, world, db, enable, key, terms, path, message):
    enable()
    response = api.post("/api/v1/offers", world.admin, json={
        "client_id": world.acme.id, "scheme_key": key, "period_kind": "month", "terms": terms})
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]["terms"]
    for step in path:
        errors = errors[step]
    assert errors == [message] if message else errors[0].startswith("Choose one of: Normal electrical")
    assert offers(db) == 0


@pytest.mark.parametrize("data, field", [
    ({"scheme_key": "nope"}, "scheme_key"),
    ({"scheme_key": "price_discount"}, "scheme_key"),  # installed, not enabled
    ({"currency": "XXX"}, "currency"),
    ({"client_id": 999999}, "client_id"),
    ({"period_kind": "week"}, "period_kind"),
    ({"terms": ["not", "an", "object"]}, "terms"),
])
def test_invalid_offers(api, world, db, enable, data, field):
    enable("buyout_rebate")
    payload = {"client_id": world.acme.id, "scheme_key": "buyout_rebate", "period_kind": "month",
               "terms": {"rebate_rate": "1"}, **data}
    response = api.post("/api/v1/offers", world.admin, json=payload)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    assert offers(db) == 0


@pytest.mark.parametrize("role", ["staff", "quality", "client_admin", "client_user"])
def test_only_admin_and_finance_make_offers(api, make, world, db, enable, role):
    enable()
    user = make.user(role=role, client=world.acme if role.startswith("client") else None)
    response = api.post("/api/v1/offers", user, json={
        "client_id": world.acme.id, "scheme_key": "buyout_rebate", "period_kind": "month",
        "terms": {"rebate_rate": "1"}})
    assert response.status_code == 403
    assert offers(db) == 0


def test_choose_confirm_through_the_api(api, world, db, enable):
    enable()
    old = add_contract(db.session, world.acme, starts_on=date(2024, 1, 1))
    offer = add_offer(db.session, world.acme, "price_discount")
    assert api.post(f"/api/v1/offers/{offer.id}/choose", world.acme_user).status_code == 403
    assert api.post(f"/api/v1/offers/{offer.id}/choose", world.globex_admin).status_code == 404
    response = api.post(f"/api/v1/offers/{offer.id}/choose", world.acme_admin)
    assert response.status_code == 200 and response.get_json()["status"] == "chosen"
    assert api.post(f"/api/v1/offers/{offer.id}/confirm", world.staff).status_code == 403
    assert api.post(f"/api/v1/offers/{offer.id}/confirm", world.acme_admin).status_code == 403
    response = api.post(f"/api/v1/offers/{offer.id}/confirm", world.finance)
    assert response.status_code == 201
    body = response.get_json()
    assert body["starts_on"] == "2025-05-01" and body["ends_on"] is None and body["offer_id"] == offer.id
    db.session.refresh(old)
    assert old.ends_on == date(2025, 4, 30)
    again = api.post(f"/api/v1/offers/{offer.id}/confirm", world.finance)
    assert again.status_code == 409
    assert db.session.scalar(select(func.count(Contract.id))) == 2


def test_decline_through_the_api(api, world, db, enable):
    enable()
    offer = add_offer(db.session, world.acme, status="chosen")
    response = api.post(f"/api/v1/offers/{offer.id}/decline", world.admin, json={"reason": " "})
    assert response.status_code == 422 and "reason" in response.get_json()["errors"]["json"]
    response = api.post(f"/api/v1/offers/{offer.id}/decline", world.admin, json={"reason": "Volume too low."})
    assert response.status_code == 200
    assert response.get_json()["status"] == "declined" and response.get_json()["reason"] == "Volume too low."
    assert api.post(f"/api/v1/offers/{offer.id}/decline", world.admin,
                    json={"reason": "again"}).status_code == 409


def test_offers_are_listed_by_tenant(api, world, db):
    mine = add_offer(db.session, world.acme)
    theirs = add_offer(db.session, world.globex, "price_discount")
    body = api.get("/api/v1/offers", world.acme_admin).get_json()
    assert [o["id"] for o in body] == [mine.id]
    assert api.get(f"/api/v1/offers/{theirs.id}", world.acme_admin).status_code == 404
    assert api.get("/api/v1/offers", world.acme_user).status_code == 403
    assert {o["id"] for o in api.get("/api/v1/offers", world.staff).get_json()} == {mine.id, theirs.id}
    body = api.get(f"/api/v1/offers?client_id={world.globex.id}&status=offered", world.finance).get_json()
    assert [o["id"] for o in body] == [theirs.id]


def test_contracts_are_listed_by_tenant(api, world, db):
    mine = add_contract(db.session, world.acme)
    theirs = add_contract(db.session, world.globex, "price_discount")
    body = api.get("/api/v1/contracts", world.acme_user).get_json()
    assert [c["id"] for c in body] == [mine.id]
    assert body[0]["terms"] == {"rebate_rate": "1.5"} and body[0]["starts_on"] == "2025-01-01"
    assert api.get(f"/api/v1/contracts?client_id={world.globex.id}", world.acme_user).get_json() == []
    body = api.get(f"/api/v1/contracts?client_id={world.globex.id}", world.finance).get_json()
    assert [c["id"] for c in body] == [theirs.id]
