"""Demo schemes: HUAXIA buys out with a rebate (CNY, monthly, from four months ago), so finance
has months with shipments to settle; HUAXIA and LUMIERE each have two open offers to compare
and choose from (their client administrators' job)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..auth.models import User
from ..extensions import db
from ..schemes.models import Contract, SchemeSetting
from ..schemes.offers import create_offer

OFFERS = {
    "HUAXIA": [("price_discount", {"discount_rate": "3"}), ("buyout_rebate", {"rebate_rate": "2"})],
    "LUMIERE": [("price_discount", {"discount_rate": "2"}), ("buyout_rebate", {"rebate_rate": "1.5"})],
}


def create_offers(today: date, clients: dict) -> int:
    """Add HUAXIA's contract and the open offers; returns the number of offers."""
    month = today.month - 1 - 4
    start = date(today.year + month // 12, month % 12 + 1, 1)
    huaxia = clients["HUAXIA"]
    db.session.add(Contract(client_id=huaxia.id, scheme_key="buyout_rebate", terms={"rebate_rate": "1.5"},
                            currency=huaxia.currency, period_kind="month", starts_on=start))
    manager = db.session.scalar(select(User).where(User.email == "admin@odm.example.com"))
    for key in sorted({key for offers in OFFERS.values() for key, _terms in offers}):
        if db.session.get(SchemeSetting, key) is None:  # an administrator enabled the schemes offered
            db.session.add(SchemeSetting(key=key, enabled=True, updated_by_id=manager.id))
    db.session.flush()
    count = 0
    for code, offers in OFFERS.items():
        for scheme_key, terms in offers:
            create_offer(clients[code], scheme_key, terms, None, "month", manager)
            count += 1
    return count
