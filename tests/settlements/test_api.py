"""The settlements API: reading by role and tenant, drafts, issuing, credit notes, errors."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.settlements.engine import compute_draft
from portal.settlements.issuing import issue
from portal.settlements.models import Settlement

from .conftest import MARCH, add_contract, buyout_shipments, discount_shipments

BASE = "/api/v1/settlements"


def documents(db) -> int:
    return db.session.scalar(select(func.count(Settlement.id)))


@pytest.fixture
def docs(db, make, world):
    """ACME: March issued, February draft. GLOBEX: March issued."""
    buyout_shipments(make, world)
    discount_shipments(make, world)
    acme = issue(compute_draft(world.acme.id, MARCH).id, world.finance.id)
    globex = issue(compute_draft(world.globex.id, MARCH).id, world.finance.id)
    draft = compute_draft(world.acme.id, date(2025, 2, 1))
    return acme, globex, draft


def test_a_token_is_required(client, docs):
    assert client.get(f"{BASE}/").status_code == 401
    assert client.post(f"{BASE}/drafts", json={}).status_code == 401


def test_finance_lists_everything(api, world, docs):
    response = api.get(f"{BASE}/", world.finance)
    assert response.status_code == 200
    rows = response.get_json()
    assert {r["id"] for r in rows} == {d.id for d in docs}
    acme = next(r for r in rows if r["id"] == docs[0].id)
    assert acme["total"] == "32594.55" and acme["client_code"] == "ACME" and acme["number"] == docs[0].number
    assert [r["id"] for r in api.get(f"{BASE}/?status=draft", world.finance).get_json()] == [docs[2].id]
    assert [r["id"] for r in api.get(f"{BASE}/?client_id={world.globex.id}", world.admin).get_json()] == [docs[1].id]
    assert len(api.get(f"{BASE}/?period=2025-03-31", world.finance).get_json()) == 2
    assert api.get(f"{BASE}/?kind=credit_note", world.finance).get_json() == []
    assert api.get(f"{BASE}/?status=lost", world.finance).status_code == 422
    assert api.get(f"{BASE}/?period=soon", world.finance).status_code == 422
    assert api.get(f"{BASE}/", world.staff).status_code == 403


def test_clients_read_their_own_issued_documents(api, world, docs):
    acme, globex, draft = docs
    rows = api.get(f"{BASE}/", world.acme_user).get_json()
    assert [r["id"] for r in rows] == [acme.id]
    assert api.get(f"{BASE}/?status=draft", world.acme_user).get_json() == []
    assert api.get(f"{BASE}/?client_id={world.globex.id}", world.acme_user).get_json() == [rows[0]]
    assert api.get(f"{BASE}/{acme.id}", world.acme_user).status_code == 200
    assert api.get(f"{BASE}/{draft.id}", world.acme_user).status_code == 404
    assert api.get(f"{BASE}/{globex.id}", world.acme_user).status_code == 404
    assert api.get(f"{BASE}/{acme.id}", world.globex_user).status_code == 404


def test_detail_in_the_readers_language(api, client, world, docs):
    body = api.get(f"{BASE}/{docs[0].id}", world.finance).get_json()
    assert body["hash"] == docs[0].hash and body["prev_hash"] == docs[0].prev_hash
    assert body["scheme_name"] == "Buyout with rebate"
    line = body["lines"][1]
    assert line["description"] == "KTV-55A: 980 units net, goods value 1,813,000.00, rebate 1.5 %"
    assert line["params"] == {"model": "KTV-55A", "quantity": 980, "base": "1813000.00", "rate": "1.5"}
    assert (line["amount"], line["direction"], line["section_title"]) == ("27195.00", "credit", "Rebate on goods")
    chinese = api.get(f"{BASE}/{docs[0].id}", world.acme_user).get_json()  # zh_Hans user
    assert chinese["lines"][1]["description"] == "KTV-55A：净出货 980 台，货款 1,813,000.00，返点 1.5%"


@pytest.mark.parametrize("method, path", [
    ("post", "/drafts"), ("post", "/{id}/issue"), ("post", "/{id}/credit-notes")])
def test_only_finance_and_admin_write(api, world, docs, db, method, path):
    before = documents(db)
    for user in (world.acme_admin, world.acme_user, world.staff):
        response = getattr(api, method)(BASE + path.format(id=docs[2].id), user, json={})
        assert response.status_code == 403
    assert documents(db) == before


def test_compute_issue_and_credit(api, world, db, make):
    buyout_shipments(make, world)
    response = api.post(f"{BASE}/drafts", world.finance, json={"client_id": world.acme.id,
                                                                "period_start": "2025-03-01"})
    assert response.status_code == 201, response.get_json()
    draft = response.get_json()
    assert draft["status"] == "draft" and draft["total"] == "32594.55" and draft["number"] is None
    again = api.post(f"{BASE}/drafts", world.admin, json={"client_id": world.acme.id, "period_start": "2025-03-01"})
    assert again.get_json()["id"] == draft["id"]

    issued = api.post(f"{BASE}/{draft['id']}/issue", world.finance)
    assert issued.status_code == 200
    body = issued.get_json()
    assert body["status"] == "issued" and body["number"].startswith("ST-") and len(body["hash"]) == 64
    assert api.post(f"{BASE}/{draft['id']}/issue", world.finance).status_code == 409
    assert api.post(f"{BASE}/999999/issue", world.finance).status_code == 404
    refused = api.post(f"{BASE}/drafts", world.finance, json={"client_id": world.acme.id, "period_start": "2025-03-01"})
    assert refused.status_code == 409 and body["number"] in refused.get_json()["message"]

    note = api.post(f"{BASE}/{draft['id']}/credit-notes", world.finance, json={"reason": "Wrong", "reverse_all": True})
    assert note.status_code == 201, note.get_json()
    note = note.get_json()
    assert note["kind"] == "credit_note" and note["total"] == "-32594.55" and note["corrects_number"] == body["number"]
    partial = api.post(f"{BASE}/{draft['id']}/credit-notes", world.finance, json={
        "reason": "Goodwill", "lines": [{"description": "Late", "direction": "credit", "amount": "10.005"}]})
    assert partial.status_code == 201 and partial.get_json()["total"] == "10.01"
    assert partial.get_json()["lines"][0]["description"] == "Late"
    assert api.post(f"{BASE}/{note['id']}/credit-notes", world.finance,
                    json={"reason": "x", "reverse_all": True}).status_code == 409


@pytest.mark.parametrize("payload, field", [
    ({}, "client_id"),
    ({"client_id": "one", "period_start": "2025-03-01"}, "client_id"),
    ({"client_id": 1, "period_start": "March"}, "period_start"),
    ({"client_id": 999999, "period_start": "2025-03-01"}, "client_id"),
    ({"client_id": "{acme}", "period_start": "2025-03-02"}, "period_start"),
    ({"client_id": "{acme}", "period_start": "2019-01-01"}, "period_start"),
    ({"client_id": "{acme}", "period_start": "2025-03-01", "extra": 1}, "extra"),
])
def test_draft_bad_input(api, world, db, payload, field):
    payload = {k: (world.acme.id if v == "{acme}" else v) for k, v in payload.items()}
    response = api.post(f"{BASE}/drafts", world.finance, json=payload)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"]
    assert documents(db) == 0


def test_a_failing_scheme_answers_422_with_its_key(api, world, db, make, bad_scheme):
    key = bad_scheme("raising")
    victim = make.client(code="VICTIM")
    add_contract(db.session, victim, key, {})
    response = api.post(f"{BASE}/drafts", world.finance, json={"client_id": victim.id, "period_start": "2025-03-01"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["errors"]["scheme"]["key"] == key
    assert "ZeroDivisionError" in body["errors"]["scheme"]["message"] and key in body["message"]
    assert documents(db) == 0


def test_a_currency_mismatch_names_the_fact(api, world, db, make):
    make.shipment(client=world.globex, ship_date=date(2025, 3, 3), number="SH-CNY", lines=[
        dict(model=world.tv55, quantity=1, unit_price=5, currency="CNY")])
    response = api.post(f"{BASE}/drafts", world.finance, json={"client_id": world.globex.id,
                                                                "period_start": "2025-03-01"})
    assert response.status_code == 422
    assert "Shipment SH-CNY/" in response.get_json()["errors"]["json"]["period_start"][0]
    assert documents(db) == 0


@pytest.mark.parametrize("payload, path", [
    ({"reverse_all": True}, ("reason",)),
    ({"reason": "", "reverse_all": True}, ("reason",)),
    ({"reason": "x"}, ("lines",)),
    ({"reason": "x", "reverse_all": True, "lines": [{"description": "a", "direction": "credit", "amount": "1"}]},
     ("lines",)),
    ({"reason": "x", "lines": [{"description": "a", "direction": "sideways", "amount": "1"}]},
     ("lines", "0", "direction")),
    ({"reason": "x", "lines": [{"description": "a", "direction": "credit", "amount": "abc"}]},
     ("lines", "0", "amount")),
    ({"reason": "x", "lines": [{"description": "a", "direction": "credit", "amount": "-3"}]},
     ("lines", "0", "amount")),
    ({"reason": "x", "lines": [{"description": "a", "direction": "credit", "amount": "NaN"}]},
     ("lines", "0", "amount")),
    ({"reason": "x", "lines": [{"direction": "credit", "amount": "3"}]}, ("lines", "0", "description")),
])
def test_credit_note_bad_input(api, world, db, docs, payload, path):
    before = documents(db)
    response = api.post(f"{BASE}/{docs[0].id}/credit-notes", world.finance, json=payload)
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]["json"]
    for key in path:
        errors = errors[key]
    assert errors
    assert documents(db) == before


def test_credit_a_draft_is_refused(api, world, db, docs):
    response = api.post(f"{BASE}/{docs[2].id}/credit-notes", world.finance, json={"reason": "x", "reverse_all": True})
    assert response.status_code == 409
    assert api.post(f"{BASE}/999999/credit-notes", world.finance,
                    json={"reason": "x", "reverse_all": True}).status_code == 404


def test_openapi_describes_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/settlements/", "/api/v1/settlements/drafts", "/api/v1/settlements/{settlement_id}/issue",
                 "/api/v1/settlements/{settlement_id}/credit-notes"):
        assert path in spec["paths"]
