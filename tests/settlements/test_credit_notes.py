"""Credit notes: the only correction of an issued settlement."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from portal.settlements.engine import compute_draft
from portal.settlements.errors import InvalidInput, SettlementError
from portal.settlements.issuing import CreditLineInput, create_credit_note, issue
from portal.settlements.models import Settlement

from .conftest import MARCH, D, buyout_shipments

NOW = datetime(2025, 4, 3, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def issued(db, make, world):
    buyout_shipments(make, world)
    return issue(compute_draft(world.acme.id, MARCH).id, world.finance.id, now=NOW)


def documents(db) -> int:
    return db.session.scalar(select(func.count(Settlement.id)))


def test_reverse_the_whole_settlement(db, world, issued):
    note = create_credit_note(issued.id, world.finance.id, reason="Prices were wrong", reverse_all=True, now=NOW)
    assert (note.kind, note.status, note.number) == ("credit_note", "issued", "CN-2025-00001")
    assert note.total == -issued.total == D("-32594.55")
    assert note.corrects_id == issued.id and note.reason == "Prices were wrong"
    assert (note.client_id, note.currency, note.period_start, note.scheme_key) == (
        issued.client_id, "CNY", MARCH, "buyout_rebate")
    mirrored = [(l.section, l.direction, l.amount, l.description_key, l.params, l.reference) for l in note.lines]
    original = [(l.section, "debit", l.amount, l.description_key, l.params, l.reference) for l in issued.lines]
    assert mirrored == original
    assert note.prev_hash == issued.hash


def test_typed_lines_are_rounded_to_the_currency(db, world, issued):
    note = create_credit_note(issued.id, world.finance.id, reason="Goodwill", now=NOW, lines=[
        CreditLineInput("Late delivery", "credit", "100.005"),
        CreditLineInput("Freight charged back", "debit", D("30")),
    ])
    assert [(l.section, l.direction, l.amount, l.params) for l in note.lines] == [
        ("correction", "credit", D("100.01"), {"text": "Late delivery"}),
        ("correction", "debit", D("30.00"), {"text": "Freight charged back"}),
    ]
    assert note.total == D("70.01")


def test_jpy_rounds_to_whole_units(db, make, world):
    from .conftest import add_contract

    client = make.client(code="NIPPON", currency="JPY")
    add_contract(db.session, client, "price_discount", {"discount_rate": "10"})
    make.shipment(client=client, ship_date=MARCH, lines=[dict(model=world.tv55, quantity=3, unit_price=D("999.00"))])
    doc = issue(compute_draft(client.id, MARCH).id, world.finance.id, now=NOW)
    assert doc.total == D("300")
    note = create_credit_note(doc.id, world.finance.id, reason="x", lines=[CreditLineInput("a", "debit", "10.5")])
    assert note.lines[0].amount == D("11")


@pytest.mark.parametrize("kwargs, field", [
    (dict(reason="", reverse_all=True), "reason"),
    (dict(reason="   ", reverse_all=True), "reason"),
    (dict(reason="x" * 2001, reverse_all=True), "reason"),
    (dict(reason="ok"), "lines"),
    (dict(reason="ok", reverse_all=True, lines=[CreditLineInput("a", "credit", "1")]), "lines"),
])
def test_bad_input_writes_nothing(db, world, issued, kwargs, field):
    before = documents(db)
    with pytest.raises(InvalidInput) as caught:
        create_credit_note(issued.id, world.finance.id, **kwargs)
    assert field in caught.value.errors
    assert documents(db) == before


@pytest.mark.parametrize("line, field, message", [
    (CreditLineInput("", "credit", "1"), "description", "Describe the line."),
    (CreditLineInput("x" * 201, "credit", "1"), "description", "At most 200 characters."),
    (CreditLineInput("a", "both", "1"), "direction", "Choose who owes the amount."),
    (CreditLineInput("a", None, "1"), "direction", "Choose who owes the amount."),
    (CreditLineInput("a", "credit", ""), "amount", "Enter the amount."),
    (CreditLineInput("a", "credit", "abc"), "amount", "Enter the amount as a decimal number."),
    (CreditLineInput("a", "credit", "NaN"), "amount", "Enter the amount as a decimal number."),
    (CreditLineInput("a", "credit", 1.5), "amount", "Enter the amount as a decimal number."),
    (CreditLineInput("a", "credit", "-5"), "amount", "The amount must be above zero."),
    (CreditLineInput("a", "credit", "0.004"), "amount", "The amount must be above zero."),
    (CreditLineInput("a", "credit", "1e15"), "amount", "The amount is too large."),
])
def test_each_bad_line_is_named(db, world, issued, line, field, message):
    before = documents(db)
    with pytest.raises(InvalidInput) as caught:
        create_credit_note(issued.id, world.finance.id, reason="r", lines=[CreditLineInput("ok", "credit", "1"), line])
    assert caught.value.errors["lines"] == {1: {field: [message]}}
    assert documents(db) == before


def test_a_draft_cannot_be_credited(db, make, world):
    buyout_shipments(make, world)
    draft = compute_draft(world.acme.id, MARCH)
    with pytest.raises(SettlementError) as caught:
        create_credit_note(draft.id, world.finance.id, reason="r", reverse_all=True)
    assert caught.value.status == 409 and "Only an issued settlement" in caught.value.message


def test_a_credit_note_is_not_credited(db, world, issued):
    note = create_credit_note(issued.id, world.finance.id, reason="r", reverse_all=True)
    with pytest.raises(SettlementError) as caught:
        create_credit_note(note.id, world.finance.id, reason="r", reverse_all=True)
    assert caught.value.status == 409
    with pytest.raises(SettlementError) as caught:
        create_credit_note(999_999, world.finance.id, reason="r", reverse_all=True)
    assert caught.value.status == 404


def test_several_credit_notes_number_on(db, world, issued):
    first = create_credit_note(issued.id, world.finance.id, reason="a", lines=[CreditLineInput("a", "credit", "1")],
                               now=NOW)
    second = create_credit_note(issued.id, world.finance.id, reason="b", lines=[CreditLineInput("b", "debit", "2")],
                                now=NOW)
    assert (first.number, second.number) == ("CN-2025-00001", "CN-2025-00002")
    assert second.prev_hash == first.hash
