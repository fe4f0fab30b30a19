"""The demo's repair returns agree with the warranty rules and with the warranty look-up: a
unit shipped under HUAXIA's buyout contract is the client's own warranty, so its RMA line is
out of the ODM's warranty and its repair is charged (DOMAIN.md), and the look-up says so
("client_warranty"); a unit shipped before the contract keeps the warranty the look-up shows
for its part category."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.clients.models import Client
from portal.demo import load_demo
from portal.rma.models import Rma
from portal.schemes.models import Contract
from portal.schemes.services import contract_for
from portal.shipments.models import Serial, Shipment, ShipmentLine
from portal.warranty.services import lookup


@pytest.fixture
def demo(db):
    assert load_demo() is True
    return db


def test_demo_rma_lines_follow_the_contract_and_the_look_up(demo):
    rmas = demo.session.scalars(select(Rma).order_by(Rma.id)).all()
    assert [r.status for r in rmas] == ["approved", "closed", "quoted"]
    lines = [line for rma in rmas for line in rma.lines]
    looked_up = {result.serial: result for result in lookup([line.serial for line in lines])}
    buyout_lines = []
    for line in lines:
        contract = contract_for(line.client_id, line.ship_date)
        if contract is not None and contract.scheme_key == "buyout_rebate":
            buyout_lines.append(line)
            assert not line.in_warranty and line.warranty_ends_on is None, line.serial
            assert looked_up[line.serial].status == "client_warranty", line.serial
            assert looked_up[line.serial].scheme_key == "buyout_rebate" and not looked_up[line.serial].categories
        else:
            assert not looked_up[line.serial].client_warranty, line.serial
            assert line.in_warranty == looked_up[line.serial].category(line.category).in_warranty, line.serial
    assert len(buyout_lines) == 2
    # every diagnosed repair of the demo is charged: buyout units out of warranty, lightning never covered
    diagnosed = [line for line in lines if line.diagnosed_at is not None]
    assert len(diagnosed) == 2
    assert all(line.charge_rule == "labour_parts" and line.charge > 0 for line in diagnosed)
    quoted = rmas[2].lines[0]
    assert quoted in buyout_lines and quoted.fault_cause == "normal_failure"
    assert quoted.charge == quoted.labour + quoted.parts_amount > quoted.labour > 0
    approved = rmas[0]
    assert "保外收费" in approved.events[-1].note  # the approval tells the client the repair is charged



def test_demo_huaxia_units_shipped_under_the_buyout_show_the_clients_own_warranty(demo):
    """The look-up of every HUAXIA serial: "client_warranty" exactly for the units shipped while
    its buyout was in force, the ODM's warranty for the ones shipped before it started."""
    huaxia = demo.session.scalars(select(Client).where(Client.code == "HUAXIA")).one()
    (buyout,) = demo.session.scalars(select(Contract).where(Contract.client_id == huaxia.id)).all()
    assert buyout.scheme_key == "buyout_rebate" and buyout.ends_on is None
    shipped = demo.session.execute(
        select(Serial.serial, Shipment.ship_date).join(ShipmentLine, Serial.line_id == ShipmentLine.id)
        .join(Shipment, ShipmentLine.shipment_id == Shipment.id).where(Shipment.client_id == huaxia.id)
    ).all()
    under = [serial for serial, day in shipped if day >= buyout.starts_on]
    before = [serial for serial, day in shipped if day < buyout.starts_on]
    assert under and before
    assert {r.status for r in lookup(under)} == {"client_warranty"}
    assert "client_warranty" not in {r.status for r in lookup(before)}
