"""A third-party scheme, through the portal: examples/tiered_rebate is installed into the
environment (offline, as tests/schemes does), a new app is created (a restart), and the
scheme appears disabled among the admin's schemes, is enabled, has its terms validated by
the offer form, and settles in the comparison — with no change to portal/, contracts/ or
plugins/."""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.schemes.models import Offer, SchemeSetting
from tests.conftest import IsolatedClient
from tests.schemes.test_scheme_third_party import example_source  # noqa: F401  (installs the package)

from .conftest import buyout_shipments

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def restarted(app, example_source):  # noqa: F811
    """The portal started again after the package was installed, on the same database."""
    fresh = create_app({key: app.config[key] for key in (
        "TESTING", "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "WTF_CSRF_ENABLED", "SERVER_NAME")})
    fresh.test_client_class = IsolatedClient
    return fresh


def test_the_installed_package_is_outside_the_portals_code(restarted):
    module = importlib.import_module("odm_tiered_rebate.scheme")
    path = Path(module.__file__).resolve()
    assert not any(path.is_relative_to(REPO / part) for part in ("portal", "contracts", "plugins"))


def test_a_third_party_scheme_through_the_portal(app, restarted, db, make, world):
    assert "tiered_rebate" in restarted.extensions["schemes"].infos
    assert "tiered_rebate" not in app.extensions["schemes"].infos  # found at start-up only
    web = restarted.test_client()
    web.login(world.admin.email)

    # listed among the installed schemes, disabled
    page = web.get("/schemes/admin").get_data(as_text=True)
    assert 'id="scheme-tiered_rebate"' in page and "Tiered rebate" in page
    assert 'id="switch-tiered_rebate" >' in page or 'id="switch-tiered_rebate">' in page
    new_offer = f"/schemes/clients/{world.acme.id}/offers/new"
    assert 'value="tiered_rebate"' not in web.get(new_offer).get_data(as_text=True)

    # enabled by the admin
    web.post("/schemes/admin/tiered_rebate", data={"enabled": "1"})
    assert db.session.get(SchemeSetting, "tiered_rebate").enabled
    page = web.get(f"{new_offer}?scheme=tiered_rebate").get_data(as_text=True)
    assert 'name="t.tiers.0.min_quantity"' in page and 'name="t.tiers.0.rate"' in page
    assert "From quantity" in page

    # its terms are validated by its own schema, through the form
    def offer(**rows):
        return web.post(new_offer, data={"scheme_key": "tiered_rebate", "currency": "CNY",
                                         "period_kind": "month", **rows})

    response = offer(**{"t.tiers.0.min_quantity": "0", "t.tiers.0.rate": "101"})
    assert response.status_code == 422
    assert "Enter a value above 0 and at most 100." in response.get_data(as_text=True)
    response = offer(**{"t.tiers.0.min_quantity": "1000", "t.tiers.0.rate": "1",
                        "t.tiers.1.min_quantity": "10", "t.tiers.1.rate": "2"})
    assert response.status_code == 422
    assert "Minimum quantities must rise from tier to tier." in response.get_data(as_text=True)
    response = offer(**{"t.tiers.0.min_quantity": "", "t.tiers.0.rate": ""})
    assert response.status_code == 422 and "This field is required." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Offer.id))) == 0
    response = offer(**{"t.tiers.0.min_quantity": "0", "t.tiers.0.rate": "1",
                        "t.tiers.1.min_quantity": "1000", "t.tiers.1.rate": "2"})
    assert response.status_code == 302
    stored = db.session.scalars(select(Offer)).one()
    assert stored.terms == {"tiers": [{"min_quantity": 0, "rate": "1"}, {"min_quantity": 1000, "rate": "2"}]}

    # it settles in the comparison, on the client's own shipments
    buyout_shipments(make, world)  # 1,280 units net in March 2025: the 2 % tier
    web.post("/logout")
    web.login(world.acme_admin.email)
    page = web.get(f"/schemes/clients/{world.acme.id}/compare").get_data(as_text=True)
    assert "Tiered rebate" in page and "js-scheme-error" not in page
    assert "CN¥43,459.40" in page  # 2 % of 1,813,000.00 + 359,970.00


def test_the_api_lists_it_with_its_terms_schema(restarted, db, world):
    from portal.auth.services import issue_token

    setting = SchemeSetting(key="tiered_rebate", enabled=True)
    db.session.add(setting)
    db.session.flush()
    token = issue_token(world.finance)
    body = restarted.test_client().get("/api/v1/schemes", headers={"Authorization": f"Bearer {token}"}).get_json()
    tiered = next(s for s in body if s["key"] == "tiered_rebate")
    items = tiered["terms_schema"]["properties"]["tiers"]["items"]
    assert items["required"] == ["min_quantity", "rate"] and items["properties"]["rate"]["maximum"] == 100
