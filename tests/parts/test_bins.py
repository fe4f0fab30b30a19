"""Editing where a part sits in a stock location (its bin): after-sales writers only, audit-
logged like the other stock changes, and the form keeps what was typed when it refuses it."""
from __future__ import annotations

from sqlalchemy import select

from portal.audit import AuditEntry
from portal.parts.models import StockBalance

from .conftest import receive


def bin_url(world) -> str:
    return f"/parts/stock/{world.factory.id}/{world.board.id}/bin"


def test_staff_sets_a_bin_and_the_change_is_audited(client, world, db):
    receive(world, world.board, 3)
    client.login(world.staff.email)
    assert 'href="' + bin_url(world) + '"' in client.get("/parts/stock").get_data(as_text=True)
    response = client.post(bin_url(world), data={"bin": "  A-03-2 "})
    assert response.status_code == 302 and "/parts/stock" in response.headers["Location"]
    balance = db.session.get(StockBalance, (world.factory.id, world.board.id))
    db.session.refresh(balance)
    assert balance.bin == "A-03-2" and balance.quantity == 3
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "stock.bin")).one()
    assert entry.user_id == world.staff.id
    assert entry.target == f"stock_balance:{world.factory.id}:{world.board.id}"
    assert entry.details == {"part_id": world.board.id, "location": "AS-SZ", "old_bin": "", "new_bin": "A-03-2"}
    assert "A-03-2" in client.get("/parts/stock").get_data(as_text=True)


def test_an_unchanged_bin_writes_no_audit_entry(client, world, db):
    receive(world, world.board, 1)
    client.login(world.staff.email)
    assert client.post(bin_url(world), data={"bin": ""}).status_code == 302
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "stock.bin")).all() == []


def test_a_too_long_bin_is_refused_and_kept(client, world, db):
    receive(world, world.board, 1)
    client.login(world.staff.email)
    typed = "SHELF-" + "9" * 30
    response = client.post(bin_url(world), data={"bin": typed})
    assert response.status_code == 422
    assert f'value="{typed}"' in response.get_data(as_text=True)
    assert db.session.get(StockBalance, (world.factory.id, world.board.id)).bin == ""


def test_no_bin_page_without_a_balance(client, world):
    client.login(world.staff.email)
    assert client.get(bin_url(world)).status_code == 404


def test_clients_and_quality_cannot_edit_a_bin(client, world):
    receive(world, world.board, 1)
    for user in (world.acme_user, world.quality):
        client.login(user.email)
        assert client.get(bin_url(world)).status_code == 403
        assert client.post(bin_url(world), data={"bin": "X"}).status_code == 403
    assert 'href="' + bin_url(world) + '"' not in client.get("/parts/stock").get_data(as_text=True)
