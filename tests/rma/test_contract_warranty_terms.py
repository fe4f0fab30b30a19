"""An RMA line takes the months and grace days of the contract in force on the unit's ship date,
as the warranty look-up does: a repair-fee compensation contract with 30 grace days keeps a unit
in warranty a month longer than 三包; a unit shipped before the contract keeps 三包."""
from __future__ import annotations

from datetime import date

import pytest

from contracts import dump_terms, load_terms
from portal.rma.requests import RmaRequest, create_rma
from portal.schemes.models import Contract
from portal.schemes.registry import current_schemes
from portal.warranty.services import lookup

from .conftest import D

TERMS = {"labour_fees": {"L1": "40", "L2": "80", "L3": "120"}, "handling_fee": "5",
         "warranty_months": {"panel": 24, "main_board": 18}, "grace_days": 30}
UNDER = date(2025, 5, 10)  # C-1, C-2: + 30 days = 9 June 2025, the months run from there
BEFORE = date(2025, 3, 15)  # C-0: before the contract started, 三包 from the ship date


@pytest.fixture
def comp(db, make, world):
    client = make.client(code="COMP", name="Comp Ltd", currency="CNY")
    info = current_schemes().info("repair_compensation")
    db.session.add(Contract(client_id=client.id, scheme_key="repair_compensation",
                            terms=dump_terms(info, load_terms(info, TERMS)), currency="CNY", period_kind="month",
                            starts_on=date(2025, 4, 1)))
    for day, serials in ((BEFORE, ["C-0"]), (UNDER, ["C-1", "C-2"])):
        make.shipment(client=client, ship_date=day, lines=[
            dict(model=world.tv, quantity=len(serials), unit_price=D("1000"), serials=serials)])
    db.session.flush()
    return client


def file_on(world, client, serials, kind, on):
    spec = RmaRequest(client_id=client.id, kind=kind, destination="board_repair" if kind != "unit" else "unit_repair",
                      serials=serials, fault_description="No picture")
    return create_rma(spec, user=world.staff, on=on)


@pytest.mark.parametrize("kind, last_day", [
    ("unit", date(2026, 6, 8)),  # 12 months from 9 June 2025 (三包 alone: 9 May 2026)
    ("main_board", date(2026, 12, 8)),  # the contract's 18 months (三包: 36)
])
def test_rma_lines_and_the_look_up_agree_on_the_contracts_terms(world, comp, kind, last_day):
    day_after = date.fromordinal(last_day.toordinal() + 1)
    for on, covered in ((last_day, True), (day_after, False)):
        line = file_on(world, comp, ["C-1"], kind, on).lines[0]
        assert (line.in_warranty, line.warranty_ends_on) == (covered, last_day), (kind, on)
        looked_up = lookup(["C-1"], on=on)[0].category(kind)
        assert (looked_up.in_warranty, looked_up.ends_on) == (line.in_warranty, line.warranty_ends_on)


def test_one_rma_takes_each_units_terms_by_its_ship_date(world, comp):
    on = date(2026, 3, 20)  # C-0's 三包 unit warranty ended on 14 March; C-1's, with grace, runs to 8 June
    before, under, under_too = file_on(world, comp, ["C-0", "C-1", "C-2"], "unit", on).lines
    assert (before.in_warranty, before.warranty_ends_on) == (False, date(2026, 3, 14))
    assert (under.in_warranty, under.warranty_ends_on) == (True, date(2026, 6, 8))
    assert (under_too.in_warranty, under_too.warranty_ends_on) == (True, date(2026, 6, 8))
    looked_up = {r.serial: r.category("unit") for r in lookup(["C-0", "C-1"], on=on)}
    assert [(looked_up[s].in_warranty, looked_up[s].ends_on) for s in ("C-0", "C-1")] == [
        (before.in_warranty, before.warranty_ends_on), (under.in_warranty, under.warranty_ends_on)]
