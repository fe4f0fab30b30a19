from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest

from portal.schemes.models import Contract


@dataclass
class World:
    acme: object
    other: object
    model: object
    batch: object
    board: object
    staff: object
    quality: object
    admin: object
    acme_user: object
    other_user: object


@pytest.fixture
def world(make, db) -> World:
    acme = make.client(currency="CNY")
    other = make.client(currency="USD")
    board = make.part(category="main_board", number="MB-777", description="Main board T.777")
    model = make.model(code="CPX-55")
    batch = make.batch(model=model, code="CPX-B1", materials=[board])
    db.session.add(Contract(client_id=acme.id, scheme_key="buyout_rebate", terms={"rebate_rate": "1.5"},
                            currency="CNY", period_kind="month", starts_on=date(2025, 1, 1)))
    db.session.flush()
    return World(acme, other, model, batch, board,
                 staff=make.user(role="staff", locale="en"), quality=make.user(role="quality", locale="en"),
                 admin=make.user(role="admin", locale="en"),
                 acme_user=make.user(role="client_user", client=acme, locale="en"),
                 other_user=make.user(role="client_user", client=other, locale="en"))


__all__ = ["World", "D"]
