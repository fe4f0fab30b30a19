"""Administrators enable and disable the installed schemes."""
from __future__ import annotations

import re

import pytest

from portal.schemes.models import SchemeSetting
from tests.factories import PASSWORD

from .conftest import BUILT_INS, add_contract


def test_admin_sees_every_installed_scheme_in_their_language(client, make, db):
    admin = make.user(role="admin", locale="fr")
    client.login(admin.email)
    page = client.get("/schemes/admin").get_data(as_text=True)
    for key in BUILT_INS:
        assert f'id="scheme-{key}"' in page
    assert "Rachat de garantie avec ristourne" in page  # buyout_rebate's French name
    assert "Remise sur le prix de vente" in page
    assert "Le client assure lui-même tout le service de garantie" in page  # its explanation
    assert "version 1.0" in page or "1.0" in page
    assert page.count('role="switch"') == 4
    assert not re.search(r'role="switch"[^>]*checked', page)  # all disabled at first


def test_enable_then_disable(client, world, db):
    client.login(world.admin.email)
    response = client.post("/schemes/admin/price_discount", data={"enabled": "1"})
    assert response.status_code == 302
    setting = db.session.get(SchemeSetting, "price_discount")
    assert setting.enabled and setting.updated_by_id == world.admin.id
    page = client.get("/schemes/admin").get_data(as_text=True)
    assert re.search(r'id="switch-price_discount" checked', page)
    assert "it can be offered to clients" in page
    client.post("/schemes/admin/price_discount", data={"enabled": "0"})
    db.session.refresh(setting)
    assert not setting.enabled


def test_disabling_leaves_contracts_alone_and_counts_them(client, world, db, enable):
    enable("buyout_rebate")
    contract = add_contract(db.session, world.acme)
    client.login(world.admin.email)
    assert "contracts in force: 1" in client.get("/schemes/admin").get_data(as_text=True)
    client.post("/schemes/admin/buyout_rebate", data={"enabled": "0"})
    db.session.refresh(contract)
    assert contract.ends_on is None and contract.scheme_key == "buyout_rebate"


def test_a_contract_of_an_uninstalled_scheme_is_flagged(client, world, db):
    add_contract(db.session, world.acme, "vanished_scheme", {"x": 1})
    client.login(world.admin.email)
    assert "vanished_scheme" in client.get("/schemes/admin").get_data(as_text=True)


@pytest.mark.parametrize("role", ["finance", "staff", "quality", "client_admin", "client_user"])
def test_only_admins(client, make, db, role):
    user = make.user(role=role)
    client.login(user.email)
    assert client.get("/schemes/admin").status_code == 403
    assert client.post("/schemes/admin/buyout_rebate", data={"enabled": "1"}).status_code == 403
    assert db.session.get(SchemeSetting, "buyout_rebate") is None


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get("/schemes/admin").status_code == 302


def test_bad_requests(client, world, db):
    client.login(world.admin.email)
    assert client.post("/schemes/admin/not_installed", data={"enabled": "1"}).status_code == 404
    assert client.post("/schemes/admin/buyout_rebate", data={"enabled": "maybe"}).status_code == 400
    assert db.session.get(SchemeSetting, "buyout_rebate") is None


def test_the_switch_needs_a_csrf_token(app, client, world, db, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    token = client.csrf_token("/login")
    client.post("/login", data={"email": world.admin.email, "password": PASSWORD, "csrf_token": token})
    assert client.post("/schemes/admin/buyout_rebate", data={"enabled": "1"}).status_code == 400
    assert db.session.get(SchemeSetting, "buyout_rebate") is None
    token = client.csrf_token("/schemes/admin")
    response = client.post("/schemes/admin/buyout_rebate", data={"enabled": "1", "csrf_token": token})
    assert response.status_code == 302
    assert db.session.get(SchemeSetting, "buyout_rebate").enabled
