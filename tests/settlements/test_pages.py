"""Settlement pages: who may see and do what, the draft review, issuing, credit notes, and
bad input on every form."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.settlements.engine import compute_draft
from portal.settlements.issuing import issue
from portal.settlements.models import Settlement

from .conftest import MARCH, D, buyout_shipments, discount_shipments


def page_of(response) -> str:
    return response.get_data(as_text=True)


def settlements(db) -> int:
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


# --- who may see what ----------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("get", "/settlements/"), ("get", "/settlements/compute"), ("post", "/settlements/compute"),
    ("get", "/settlements/{id}"), ("post", "/settlements/{id}/recompute"), ("post", "/settlements/{id}/issue"),
    ("get", "/settlements/{id}/credit-note"), ("post", "/settlements/{id}/credit-note"),
])
def test_anonymous_users_are_sent_to_sign_in(client, docs, method, path):
    response = getattr(client, method)(path.format(id=docs[2].id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/settlements/", "/settlements/compute", "/settlements/{id}",
                                  "/settlements/{id}/credit-note"])
def test_staff_without_finance_role_are_refused(client, world, docs, path):
    client.login(world.staff.email)
    assert client.get(path.format(id=docs[0].id)).status_code == 403


def test_finance_sees_everything_with_totals(client, world, docs):
    client.login(world.finance.email)
    page = page_of(client.get("/settlements/"))
    assert docs[0].number in page and docs[1].number in page and f"Draft #{docs[2].id}" in page
    assert "CN¥32,594.55" in page and "$952.46" in page
    assert 'href="/settlements/compute"' in page
    assert '<i class="bi bi-receipt"></i> Settlements' in page  # the menu entry


def test_list_filters(client, world, docs):
    client.login(world.admin.email)
    page = page_of(client.get(f"/settlements/?client={world.globex.id}"))
    assert docs[1].number in page and docs[0].number not in page
    page = page_of(client.get("/settlements/?status=draft"))
    assert f"Draft #{docs[2].id}" in page and docs[0].number not in page
    page = page_of(client.get("/settlements/?period=2025-02-14"))
    assert f"Draft #{docs[2].id}" in page and docs[0].number not in page
    page = page_of(client.get("/settlements/?kind=credit_note"))
    assert "No settlement matches these filters." in page
    response = client.get("/settlements/?period=not-a-date&status=bogus&kind=bogus&client=x")
    assert response.status_code == 200 and docs[0].number in page_of(response)
    assert "is-invalid" in page_of(response)


def test_the_list_is_paginated(client, world, docs, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    client.login(world.finance.email)
    page = page_of(client.get("/settlements/"))
    assert "3 in all" in page and "page=2" in page


def test_a_client_sees_only_its_own_issued_documents(client, world, docs):
    acme, globex, draft = docs
    client.login(world.acme_admin.email)
    page = page_of(client.get("/settlements/"))
    assert acme.number in page and globex.number not in page and "Draft" not in page
    assert 'href="/settlements/compute"' not in page
    assert page_of(client.get("/settlements/?status=draft")).count(acme.number) == 1  # status is not theirs
    assert client.get(f"/settlements/{acme.id}").status_code == 200
    assert client.get(f"/settlements/{draft.id}").status_code == 404  # their own draft
    assert client.get(f"/settlements/{globex.id}").status_code == 404  # another client's
    assert client.get("/settlements/999999").status_code == 404


@pytest.mark.parametrize("method, path", [
    ("get", "/settlements/compute"), ("post", "/settlements/compute"), ("post", "/settlements/{id}/recompute"),
    ("post", "/settlements/{id}/issue"), ("get", "/settlements/{id}/credit-note"),
    ("post", "/settlements/{id}/credit-note"),
])
def test_clients_cannot_change_anything(client, world, docs, method, path, db):
    client.login(world.acme_user.email)
    before = settlements(db)
    response = getattr(client, method)(path.format(id=docs[2].id))
    assert response.status_code == 403
    assert settlements(db) == before


def test_a_client_reads_its_settlement_in_its_language(client, world, docs):
    client.login(world.acme_user.email)  # zh_Hans
    page = page_of(client.get(f"/settlements/{docs[0].id}"))
    assert "KTV-55A：净出货 980 台，货款 1,813,000.00，返点 1.5%" in page
    assert "货款返点" in page  # the section's title, from the scheme
    assert docs[0].hash in page and "Recompute" not in page and "重新计算" not in page


# --- the draft review ----------------------------------------------------------------------

def test_draft_review_page(client, world, db, make):
    buyout_shipments(make, world)
    draft = compute_draft(world.acme.id, MARCH)
    client.login(world.finance.email)
    page = page_of(client.get(f"/settlements/{draft.id}"))
    assert "KTV-55A: 980 units net, goods value 1,813,000.00, rebate 1.5 %" in page
    assert "KTV-43B: 300 units net, goods value 359,970.00, rebate 1.5 %" in page
    assert "Subtotal: Rebate on goods" in page and "CN¥32,594.55" in page
    assert 'data-confirm="Issue this settlement?' in page
    assert f'action="/settlements/{draft.id}/recompute"' in page and "Create credit note" not in page
    assert "<script>" not in page.replace('<script src=', '')


def test_ledger_and_rejected_claims_are_shown(client, world, db):
    from portal.schemes.models import Contract

    contract = db.session.scalars(select(Contract).where(Contract.client_id == world.acme.id)).one()
    doc = Settlement(client_id=world.acme.id, kind="settlement", status="draft", contract_id=contract.id,
                     scheme_key="repair_compensation", currency="CNY", period_start=date(2025, 5, 1),
                     period_end=date(2025, 5, 31), total=D("0"),
                     ledger=[{"model_code": "KTV-55A", "category": "main_board", "accrued": 2, "used": 2,
                              "remaining": 0, "free_in_period": 2, "charged_in_period": 1}],
                     rejected_claims=[{"reference": "CL-2", "serial": "SN-9", "reasons": ["repeat_within_30_days"]}])
    db.session.add(doc)
    db.session.flush()
    client.login(world.finance.email)
    page = page_of(client.get(f"/settlements/{doc.id}"))
    assert 'id="ledger"' in page and "Main board" in page
    assert "CL-2" in page and "Repeat repair within 30 days of an accepted claim on the same serial" in page
    assert "No line: nothing to settle in this period." in page


# --- computing -----------------------------------------------------------------------------

def test_compute_page_offers_the_contracts_periods(client, world, db):
    client.login(world.finance.email)
    assert "Choose a client" in page_of(client.get("/settlements/compute"))
    page = page_of(client.get(f"/settlements/compute?client_id={world.acme.id}"))
    assert '<option value="2025-03-01">' in page and '<option value="2025-01-01">' in page
    assert '<option value="2024-12-01">' not in page
    page = page_of(client.get("/settlements/compute?client_id=abc"))
    assert "2025-03-01" not in page


def test_compute_a_draft(client, world, db, make):
    buyout_shipments(make, world)
    client.login(world.finance.email)
    response = client.post("/settlements/compute", data={"client_id": world.acme.id, "period_start": "2025-03-01"})
    assert response.status_code == 302
    draft = db.session.scalars(select(Settlement)).one()
    assert response.headers["Location"].endswith(f"/settlements/{draft.id}")
    assert draft.total == D("32594.55")
    page = page_of(client.get(f"/settlements/compute?client_id={world.acme.id}"))
    assert "(draft)" in page


@pytest.mark.parametrize("data, message", [
    ({"client_id": "", "period_start": "2025-03-01"}, "Choose a client."),
    ({"client_id": "999999", "period_start": "2025-03-01"}, "Choose a client."),
    ({"period_start": "2025-03-01"}, "Choose a client."),
    ({"client_id": "{acme}", "period_start": ""}, "Choose a period."),
    ({"client_id": "{acme}", "period_start": "March"}, "Choose a period."),
    ({"client_id": "{acme}", "period_start": "2025-03-02"}, "a period starts on 2025-03-01, not on 2025-03-02"),
    ({"client_id": "{acme}", "period_start": "2019-01-01"}, "has no contract in force on 2019-01-01"),
])
def test_compute_bad_input(client, world, db, data, message):
    client.login(world.finance.email)
    data = {k: v.format(acme=world.acme.id) for k, v in data.items()}
    response = client.post("/settlements/compute", data=data)
    assert response.status_code == 422
    assert message in page_of(response)
    assert settlements(db) == 0


def test_compute_with_a_failing_scheme(client, world, db, make, bad_scheme):
    key = bad_scheme("raising")
    from .conftest import add_contract

    victim = make.client(code="VICTIM")
    add_contract(db.session, victim, key, {})
    client.login(world.finance.email)
    response = client.post("/settlements/compute", data={"client_id": victim.id, "period_start": "2025-03-01"})
    page = page_of(response)
    assert response.status_code == 422
    assert f"The scheme {key} failed: it raised ZeroDivisionError: the rebate table divides by zero" in page
    assert "Nothing was written" in page
    assert settlements(db) == 0


def test_compute_with_a_currency_mismatch(client, world, db, make):
    make.shipment(client=world.acme, ship_date=date(2025, 3, 3), number="SH-EUR", lines=[
        dict(model=world.tv55, quantity=1, unit_price=D("10.00"), currency="EUR")])
    client.login(world.finance.email)
    response = client.post("/settlements/compute", data={"client_id": world.acme.id, "period_start": "2025-03-01"})
    assert response.status_code == 422
    assert re.search(r"Shipment SH-EUR/\d+ is in EUR but the contract is in CNY", page_of(response))
    assert settlements(db) == 0


def test_recompute_replaces_the_lines(client, world, db, make):
    buyout_shipments(make, world)
    draft = compute_draft(world.acme.id, MARCH)
    make.shipment(client=world.acme, ship_date=date(2025, 3, 31), lines=[
        dict(model=world.tv43, quantity=10, unit_price=D("100.00"))])
    client.login(world.finance.email)
    response = client.post(f"/settlements/{draft.id}/recompute")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Settlement, draft.id).total == D("32594.55") + D("15.00")
    assert settlements(db) == 1


def test_recompute_an_issued_settlement_is_refused(client, world, docs):
    client.login(world.finance.email)
    response = client.post(f"/settlements/{docs[0].id}/recompute")
    assert response.status_code == 409 and "Only a draft settlement can be recomputed." in page_of(response)
    assert client.post("/settlements/999999/recompute").status_code == 404


def test_recompute_with_a_failing_scheme_keeps_the_draft(client, world, db, make, bad_scheme):
    buyout_shipments(make, world)
    draft = compute_draft(world.acme.id, MARCH)
    key = bad_scheme("malformed")
    from portal.schemes.models import Contract

    contract = db.session.get(Contract, draft.contract_id)
    contract.scheme_key, contract.terms = key, {}
    db.session.flush()
    client.login(world.finance.email)
    response = client.post(f"/settlements/{draft.id}/recompute")
    page = page_of(response)
    assert response.status_code == 422 and f"The scheme {key} failed" in page and "malformed result" in page
    db.session.expire_all()
    kept = db.session.get(Settlement, draft.id)
    assert kept.total == D("32594.55") and len(kept.lines) == 2 and kept.scheme_key == "buyout_rebate"


# --- issuing -------------------------------------------------------------------------------

def test_issue_from_the_review_page(client, world, db, docs):
    draft = docs[2]
    client.login(world.finance.email)
    response = client.post(f"/settlements/{draft.id}/issue")
    assert response.status_code == 302
    page = page_of(client.get(f"/settlements/{draft.id}"))
    db.session.expire_all()
    issued = db.session.get(Settlement, draft.id)
    from portal.db import utcnow
    from portal.settlements.issuing import business_year

    year = business_year(utcnow())
    assert issued.status == "issued" and issued.number == f"ST-{year}-00003"  # after the fixture's two
    assert issued.number in page and issued.hash in page and "Create credit note" in page
    assert issued.issued_by_id == world.finance.id and world.finance.name in page


def test_issue_twice_is_refused(client, world, docs):
    client.login(world.finance.email)
    response = client.post(f"/settlements/{docs[0].id}/issue")
    assert response.status_code == 409 and "has already been issued" in page_of(response)
    assert client.post("/settlements/999999/issue").status_code == 404


# --- credit notes --------------------------------------------------------------------------

def test_credit_note_form_and_reverse_all(client, world, db, docs):
    acme = docs[0]
    client.login(world.finance.email)
    page = page_of(client.get(f"/settlements/{acme.id}/credit-note"))
    assert "Reverse the whole settlement" in page and "-CN¥32,594.55" in page
    response = client.post(f"/settlements/{acme.id}/credit-note", data={"reason": "Wrong rate", "mode": "reverse"})
    assert response.status_code == 302
    note = db.session.scalars(select(Settlement).where(Settlement.kind == "credit_note")).one()
    assert note.total == D("-32594.55") and note.corrects_id == acme.id
    page = page_of(client.get(f"/settlements/{note.id}"))
    assert acme.number in page and "Wrong rate" in page and "-CN¥32,594.55" in page
    assert note.number in page_of(client.get(f"/settlements/{acme.id}"))  # listed on the original


def test_credit_note_with_typed_lines(client, world, db, docs):
    client.login(world.finance.email)
    data = {"reason": "Goodwill", "mode": "lines",
            "lines-0-description": "Late delivery", "lines-0-direction": "credit", "lines-0-amount": "1,000.005",
            "lines-1-description": "", "lines-1-direction": "", "lines-1-amount": "",
            "lines-2-description": "Freight", "lines-2-direction": "debit", "lines-2-amount": "20"}
    response = client.post(f"/settlements/{docs[0].id}/credit-note", data=data)
    assert response.status_code == 302
    note = db.session.scalars(select(Settlement).where(Settlement.kind == "credit_note")).one()
    assert [(l.direction, l.amount) for l in note.lines] == [("credit", D("1000.01")), ("debit", D("20.00"))]
    page = page_of(client.get(f"/settlements/{note.id}"))
    assert "Late delivery" in page and "Corrections" in page


@pytest.mark.parametrize("data, message", [
    ({"reason": "", "mode": "reverse"}, "Give the reason for the credit note."),
    ({"reason": "x", "mode": "lines"}, "Enter at least one line, or reverse the whole settlement."),
    ({"reason": "x", "mode": "lines", "lines-0-description": "a", "lines-0-direction": "credit",
      "lines-0-amount": "abc"}, "Enter the amount as a decimal number."),
    ({"reason": "x", "mode": "lines", "lines-0-description": "a", "lines-0-direction": "",
      "lines-0-amount": "5"}, "Choose who owes the amount."),
    ({"reason": "x", "mode": "lines", "lines-0-description": "", "lines-0-direction": "debit",
      "lines-0-amount": "5"}, "Describe the line."),
    ({"reason": "x", "mode": "lines", "lines-0-description": "a", "lines-0-direction": "debit",
      "lines-0-amount": "-5"}, "The amount must be above zero."),
])
def test_credit_note_bad_input(client, world, db, docs, data, message):
    client.login(world.finance.email)
    before = settlements(db)
    response = client.post(f"/settlements/{docs[0].id}/credit-note", data=data)
    assert response.status_code == 422
    assert message in page_of(response)
    assert settlements(db) == before


def test_credit_note_add_line_button(client, world, docs):
    client.login(world.finance.email)
    response = client.post(f"/settlements/{docs[0].id}/credit-note",
                           data={"reason": "x", "add_line": "Add a line", "lines-0-description": "kept"})
    page = page_of(response)
    assert response.status_code == 200 and 'name="lines-3-amount"' in page and 'value="kept"' in page


def test_a_draft_or_credit_note_cannot_be_credited_from_the_page(client, world, db, docs):
    client.login(world.finance.email)
    response = client.get(f"/settlements/{docs[2].id}/credit-note")
    assert response.status_code == 302
    assert "Only an issued settlement" in page_of(client.get(response.headers["Location"]))
    before = settlements(db)
    client.post(f"/settlements/{docs[2].id}/credit-note", data={"reason": "x", "mode": "reverse"})
    assert settlements(db) == before


def test_issuing_needs_the_forms_csrf_token(app, client, world, db, docs, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    token = client.csrf_token("/login")
    assert client.post("/login", data={"email": world.finance.email, "password": "correct-horse-battery",
                                       "csrf_token": token}).status_code == 302
    assert client.post(f"/settlements/{docs[2].id}/issue").status_code == 400
    token = client.csrf_token(f"/settlements/{docs[2].id}")
    assert client.post(f"/settlements/{docs[2].id}/issue", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Settlement, docs[2].id).status == "issued"


# --- long documents ------------------------------------------------------------------------

def _long_draft(db, world, rebate_lines: int, corrections: int) -> Settlement:
    """A draft with many rebate lines (credits of 1.00) then a few correction lines (debits of 0.50)."""
    from portal.schemes.models import Contract
    from portal.settlements.models import SettlementLine

    contract = db.session.scalars(select(Contract).where(Contract.client_id == world.acme.id)).one()
    doc = Settlement(client_id=world.acme.id, kind="settlement", status="draft", contract_id=contract.id,
                     scheme_key="buyout_rebate", currency="CNY", period_start=date(2025, 6, 1),
                     period_end=date(2025, 6, 30), total=D(rebate_lines) - D("0.5") * corrections)
    db.session.add(doc)
    db.session.flush()
    rows = [dict(section="rebate", direction="credit", amount=D("1.00"), description_key="rebate_model",
                 params={"model": f"M-{n:04d}", "quantity": n, "base": {"decimal": "100.00"},
                         "rate": {"decimal": "1"}})
            for n in range(1, rebate_lines + 1)]
    rows += [dict(section="correction", direction="debit", amount=D("0.50"), description_key="correction_line",
                  params={"text": f"Fix {n}"}) for n in range(1, corrections + 1)]
    db.session.add_all(SettlementLine(settlement_id=doc.id, client_id=world.acme.id, currency="CNY", position=i,
                                      reference="", **row) for i, row in enumerate(rows, start=1))
    db.session.flush()
    return doc


def test_a_long_settlement_is_shown_a_page_of_lines_per_section(client, world, db):
    from portal.settlements.services import LINES_PER_PAGE

    doc = _long_draft(db, world, LINES_PER_PAGE + 30, 3)
    client.login(world.finance.email)
    page = page_of(client.get(f"/settlements/{doc.id}"))
    assert "M-0001:" in page and f"M-{LINES_PER_PAGE:04d}:" in page and f"M-{LINES_PER_PAGE + 1:04d}:" not in page
    assert "Fix 1" in page and "Fix 3" in page  # the other section, whole
    # The summary and the subtotals count every line, not just the page shown.
    assert 'id="sections"' in page and "CN¥130.00" in page and "-CN¥1.50" in page
    assert f'href="/settlements/{doc.id}?section=rebate&amp;page=2#section-rebate"' in page

    second = page_of(client.get(f"/settlements/{doc.id}?section=rebate&page=2"))
    assert f"M-{LINES_PER_PAGE + 1:04d}:" in second and f"M-{LINES_PER_PAGE + 30:04d}:" in second
    assert "M-0001:" not in second and "Fix 1" in second
    assert "CN¥130.00" in second  # the subtotal is still the section's


def test_the_settlement_page_costs_the_same_queries_whatever_its_length(client, world, db, count_queries):
    short = _long_draft(db, world, 5, 1)
    long = _long_draft(db, world, 400, 1)
    client.login(world.finance.email)
    client.get(f"/settlements/{short.id}")  # warm the session and caches
    with count_queries() as few:
        assert client.get(f"/settlements/{short.id}").status_code == 200
    with count_queries() as many:
        assert client.get(f"/settlements/{long.id}").status_code == 200
    assert many[0] == few[0]


def test_a_page_past_the_end_shows_no_line_but_keeps_the_subtotal(client, world, db):
    doc = _long_draft(db, world, 3, 0)
    client.login(world.finance.email)
    page = page_of(client.get(f"/settlements/{doc.id}?section=rebate&page=99"))
    assert "M-0001:" not in page and "CN¥3.00" in page
