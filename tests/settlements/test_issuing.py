"""Issuing: numbers without gaps per year and kind, the hash chain, verify-chain."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select, text

from portal.settlements.chain import GENESIS, chain_hash, document_content, verify_chain
from portal.settlements.engine import compute_draft
from portal.settlements.errors import SettlementError
from portal.settlements.issuing import create_credit_note, issue
from portal.settlements.models import ChainHead, DocumentCounter, Settlement

from .conftest import MARCH, bypass_triggers, buyout_shipments, discount_shipments

IN_2025 = datetime(2025, 4, 2, 3, 0, tzinfo=timezone.utc)


def head_hash(db) -> str:
    return db.session.scalar(select(ChainHead.last_hash).where(ChainHead.id == 1)) or GENESIS


def issued_count(db) -> int:
    return db.session.scalar(select(func.count(Settlement.id)).where(Settlement.status == "issued"))


@pytest.fixture
def drafts(db, make, world):
    """Drafts for March of ACME and GLOBEX, and February of ACME."""
    buyout_shipments(make, world)
    discount_shipments(make, world)
    return [compute_draft(world.acme.id, MARCH), compute_draft(world.globex.id, MARCH),
            compute_draft(world.acme.id, date(2025, 2, 1))]


def test_numbers_follow_each_other_per_year(db, world, drafts):
    numbers = [issue(d.id, world.finance.id, now=IN_2025).number for d in drafts]
    assert numbers == ["ST-2025-00001", "ST-2025-00002", "ST-2025-00003"]
    counter = db.session.get(DocumentCounter, ("ST", 2025))
    assert counter.last == 3


def test_a_new_year_restarts_at_one(db, world, drafts):
    assert issue(drafts[0].id, world.finance.id, now=IN_2025).number == "ST-2025-00001"
    # 17:00 UTC on 31 December is already 1 January in the portal's time zone (Asia/Shanghai)
    new_year = datetime(2025, 12, 31, 17, 0, tzinfo=timezone.utc)
    assert issue(drafts[1].id, world.finance.id, now=new_year).number == "ST-2026-00001"
    assert issue(drafts[2].id, world.finance.id, now=IN_2025).number == "ST-2025-00002"


def test_credit_notes_have_their_own_counter_in_the_same_chain(db, world, drafts):
    first = issue(drafts[0].id, world.finance.id, now=IN_2025)
    note = create_credit_note(first.id, world.finance.id, reason="Wrong price", reverse_all=True, now=IN_2025)
    second = issue(drafts[1].id, world.finance.id, now=IN_2025)
    assert (first.number, note.number, second.number) == ("ST-2025-00001", "CN-2025-00001", "ST-2025-00002")
    assert note.prev_hash == first.hash and second.prev_hash == note.hash
    assert head_hash(db) == second.hash


def test_issued_document_carries_its_hash(db, world, drafts):
    before = head_hash(db)
    doc = issue(drafts[0].id, world.finance.id, now=IN_2025)
    assert doc.status == "issued" and doc.issued_by_id == world.finance.id and doc.issued_at == IN_2025
    assert doc.prev_hash == before and len(doc.hash) == 64
    content = document_content(doc.id, doc.number)
    assert doc.hash == chain_hash(before, content)
    parsed = json.loads(content)
    assert parsed["number"] == "ST-2025-00001" and parsed["client"] == "ACME" and parsed["total"] == "32594.55"
    assert parsed["period"] == ["2025-03-01", "2025-03-31"] and parsed["scheme"] == "buyout_rebate"
    assert [line["amount"] for line in parsed["lines"]] == ["5399.55", "27195.00"]
    assert content == json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    head = db.session.get(ChainHead, 1)
    assert head.last_hash == doc.hash and head.last_document_id == doc.id


def test_issuing_twice_or_nothing(db, world, drafts):
    doc = issue(drafts[0].id, world.finance.id, now=IN_2025)
    with pytest.raises(SettlementError) as caught:
        issue(doc.id, world.finance.id)
    assert caught.value.status == 409 and "ST-2025-00001" in caught.value.message
    with pytest.raises(SettlementError) as caught:
        issue(999_999, world.finance.id)
    assert caught.value.status == 404
    assert db.session.get(DocumentCounter, ("ST", 2025)).last == 1  # the failures took no number


def test_a_second_draft_of_an_issued_period_is_not_issued(db, world, drafts):
    duplicate = Settlement(client_id=world.acme.id, kind="settlement", status="draft",
                           contract_id=drafts[0].contract_id, scheme_key="buyout_rebate", currency="CNY",
                           period_start=MARCH, period_end=date(2025, 3, 31), total=0, ledger=[],
                           rejected_claims=[])
    db.session.add(duplicate)
    db.session.flush()
    issue(drafts[0].id, world.finance.id, now=IN_2025)
    with pytest.raises(SettlementError) as caught:
        issue(duplicate.id, world.finance.id, now=IN_2025)
    assert caught.value.status == 409 and "already been issued as ST-2025-00001" in caught.value.message


def test_verify_chain_intact_then_tampered(app, db, world, drafts):
    docs = [issue(d.id, world.finance.id, now=IN_2025) for d in drafts]
    report = verify_chain()
    assert report.intact and report.count == issued_count(db)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["verify-chain"])
    assert result.exit_code == 0 and f"chain intact: {issued_count(db)} documents" in result.output

    connection = db.session.connection()
    bypass_triggers(connection)
    connection.execute(text("UPDATE settlement_line SET amount = 1.00 WHERE settlement_id = :id AND position = 1"),
                       {"id": docs[1].id})
    report = verify_chain()
    assert not report.intact and report.broken_number == docs[1].number
    assert "content does not match its hash" in report.problem
    result = runner.invoke(args=["verify-chain"])
    assert result.exit_code == 1
    assert f"chain broken at {docs[1].number}" in result.output


def test_verify_chain_finds_a_changed_link(db, world, drafts):
    docs = [issue(d.id, world.finance.id, now=IN_2025) for d in drafts]
    bypass_triggers(db.session.connection())
    db.session.connection().execute(text("UPDATE settlement SET prev_hash = :h WHERE id = :id"),
                                    {"h": "f" * 64, "id": docs[2].id})
    report = verify_chain()
    assert not report.intact and report.broken_number == docs[2].number
    assert "previous hash matches no document" in report.problem


def test_verify_chain_finds_a_changed_total(db, world, drafts):
    docs = [issue(d.id, world.finance.id, now=IN_2025) for d in drafts]
    bypass_triggers(db.session.connection())
    db.session.connection().execute(text("UPDATE settlement SET total = 0 WHERE id = :id"), {"id": docs[0].id})
    report = verify_chain()
    assert not report.intact and report.broken_number == docs[0].number


def test_verify_chain_finds_a_moved_head(db, world, drafts):
    issue(drafts[0].id, world.finance.id, now=IN_2025)
    db.session.connection().execute(text("UPDATE document_chain SET last_hash = :h"), {"h": "e" * 64})
    report = verify_chain()
    assert not report.intact and "chain head" in report.problem
