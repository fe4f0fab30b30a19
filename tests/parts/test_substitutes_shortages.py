"""Substitutes (one way or both, with their repair instruction) and the shortage sequence."""
from __future__ import annotations

from datetime import date

import pytest

from portal.parts.models import Shortage
from portal.parts.orders import LineSpec, create_order, ship_order
from portal.parts.shortages import record_step
from portal.parts.substitutes import add_substitute, instruction_link, propose_substitute, replacements

from .conftest import receive


def test_one_way_and_both_ways(world, make):
    rev_b = make.part(number="MB-55A-02", category="main_board")
    rev_c = make.part(number="MB-55A-03", category="main_board")
    add_substitute("MB-55A-01", "MB-55A-02", instruction="Flash firmware 2.1 first.")
    add_substitute("MB-55A-03", "MB-55A-01", both_ways=True, instruction_url="https://docs.example/si/3")
    assert [part.number for _rule, part in replacements(world.board.id)] == ["MB-55A-02", "MB-55A-03"]
    assert replacements(rev_b.id) == []  # one way only
    assert [part.number for _rule, part in replacements(rev_c.id)] == ["MB-55A-01"]
    receive(world, rev_c, 2)
    proposed = propose_substitute(world.board.id)
    assert (proposed.part_id, proposed.substitute_id) == (rev_c.id, world.board.id)  # the one in stock
    assert instruction_link(proposed) == "https://docs.example/si/3"


def test_document_reference_links_to_the_document(world, db):
    from portal.documents.models import Document

    document = Document(title="SI MB-55A", doc_type="substitute_instruction", language="en")
    db.session.add(document)
    db.session.flush()
    rule = add_substitute("MB-55A-01", "PW-55A-01", document_id=document.id)
    assert instruction_link(rule) == f"/documents/{document.id}"
    with pytest.raises(ValueError, match="no document number"):
        add_substitute("PW-55A-01", "MB-55A-01", document_id=document.id + 999)


@pytest.mark.parametrize("a, b, kw, message", [
    ("MB-55A-01", "NOPE", {"instruction": "x"}, "Unknown part number NOPE"),
    ("MB-55A-01", "MB-55A-01", {"instruction": "x"}, "cannot substitute for itself"),
    ("MB-55A-01", "PW-55A-01", {}, "repair instruction"),
    ("MB-55A-01", "PW-55A-01", {"instruction_url": "javascript:alert(1)"}, "must start with"),
])
def test_bad_substitutes_are_refused(world, a, b, kw, message):
    with pytest.raises(ValueError, match=message):
        add_substitute(a, b, **kw)


def test_linking_the_same_pair_twice_is_refused(world):
    add_substitute("MB-55A-01", "PW-55A-01", instruction="x")
    with pytest.raises(ValueError, match="already linked"):
        add_substitute("PW-55A-01", "MB-55A-01", instruction="y")


@pytest.fixture
def shortage(world, db):
    order = create_order(world.acme.id, [LineSpec(2, part_number="MB-55A-01")], on=date(2025, 3, 1))
    ship_order(order, world.factory.id)
    return db.session.query(Shortage).one()


def test_shortage_follows_the_sequence_each_step_dated(shortage, world):
    assert shortage.next_step == "substitute"
    with pytest.raises(ValueError, match="the next one is substitute"):
        record_step(shortage, "purchase", "resolved")
    record_step(shortage, "substitute", "not_possible", note="none approved", day=date(2025, 3, 2))
    record_step(shortage, "purchase", "not_possible", note="end of life at supplier", day=date(2025, 3, 9))
    assert shortage.next_step == "client_return"
    with pytest.raises(ValueError, match="before the previous one"):
        record_step(shortage, "client_return", "resolved", day=date(2025, 3, 1))
    record_step(shortage, "client_return", "not_possible", day=date(2025, 3, 10))
    record_step(shortage, "settle", "not_possible", note="三包 refund agreed", day=date(2025, 3, 20))
    assert shortage.closed and shortage.next_step is None
    assert [(s.step, s.day) for s in shortage.steps] == [
        ("substitute", date(2025, 3, 2)), ("purchase", date(2025, 3, 9)), ("client_return", date(2025, 3, 10)),
        ("settle", date(2025, 3, 20))]
    with pytest.raises(ValueError, match="closed"):
        record_step(shortage, "settle", "resolved")


def test_a_resolved_step_closes_the_shortage(shortage):
    record_step(shortage, "substitute", "resolved", day=date(2025, 3, 2))
    assert shortage.closed and shortage.next_step is None
