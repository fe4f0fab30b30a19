"""Contract changes and scheme switches leave entries in the audit log."""
from __future__ import annotations

from sqlalchemy import select

from portal.audit import AuditEntry
from portal.schemes.offers import choose_offer, confirm_offer, create_offer, decline_offer, withdraw_offer

from .conftest import VALID_TERMS, add_offer


def entries(db, prefix: str):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action.like(f"{prefix}%"))
                              .order_by(AuditEntry.id)).all()


def test_offer_choice_confirmation_are_recorded(app, db, world, enable):
    enable("buyout_rebate")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        offer = create_offer(world.acme, "buyout_rebate", VALID_TERMS["buyout_rebate"], None, "month", world.finance)
        choose_offer(offer, world.acme_admin)
        contract = confirm_offer(offer, world.finance)
    logged = [(e.action, e.user_email, e.client_id, e.target) for e in entries(db, "contract.")]
    assert logged == [
        ("contract.offer", world.finance.email, world.acme.id, f"scheme_offer:{offer.id}"),
        ("contract.choose", world.acme_admin.email, world.acme.id, f"scheme_offer:{offer.id}"),
        ("contract.confirm", world.finance.email, world.acme.id, f"contract:{contract.id}"),
    ]
    assert entries(db, "contract.confirm")[0].details["starts_on"] == contract.starts_on.isoformat()


def test_decline_and_withdraw_are_recorded(app, db, world, enable):
    enable("buyout_rebate")
    chosen = add_offer(db.session, world.acme, status="chosen")
    open_one = add_offer(db.session, world.globex, "buyout_rebate")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        decline_offer(chosen, world.finance, "The rate is too high")
        withdraw_offer(open_one, world.finance)
    logged = {e.action: e for e in entries(db, "contract.")}
    assert logged["contract.decline"].details["reason"] == "The rate is too high"
    assert logged["contract.withdraw"].client_id == world.globex.id


def test_choosing_the_same_offer_twice_records_once(app, db, world, enable):
    enable("buyout_rebate")
    offer = add_offer(db.session, world.acme)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        choose_offer(offer, world.acme_admin)
        choose_offer(offer, world.acme_admin)
    assert len(entries(db, "contract.choose")) == 1


def test_enabling_and_disabling_a_scheme_is_recorded(client, db, world):
    client.login(world.admin.email)
    client.post("/schemes/admin/price_discount", data={"enabled": "1"})
    client.post("/schemes/admin/price_discount", data={"enabled": "0"})
    logged = [(e.action, e.target, e.user_email) for e in entries(db, "scheme.")]
    assert logged == [("scheme.enable", "scheme:price_discount", world.admin.email),
                      ("scheme.disable", "scheme:price_discount", world.admin.email)]
