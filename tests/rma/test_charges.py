"""The fault-cause table of DOMAIN.md: what each repair costs, in and out of warranty, for a
buyout client, with the lowest material cost among substitutes, rounded per currency."""
from __future__ import annotations

import pytest

from portal.parts.models import PartSubstitute
from portal.rma import charges
from portal.rma.models import RmaPriceList
from portal.rma.workflow import Diagnosis, apply, diagnose_line

from .conftest import D, file_rma


@pytest.mark.parametrize("cause,in_warranty,rule", [
    ("normal_failure", True, charges.FREE),
    ("normal_failure", False, charges.LABOUR_PARTS),
    ("transport_odm_packaging", True, charges.QUALITY),
    ("transport_client_logistics", True, charges.LOWEST),
    ("panel_impact", True, charges.LOWEST),
    ("human_damage", True, charges.LOWEST),
    ("human_damage", False, charges.LOWEST),
    ("lightning", True, charges.LABOUR_PARTS),
    ("lightning", False, charges.LABOUR_PARTS),
    ("no_fault_found", True, charges.FREE),
    ("no_fault_found", False, charges.FREE),
])
def test_the_rule_of_each_fault_cause(cause, in_warranty, rule):
    assert charges.charge_rule(cause, in_warranty) == rule


def test_amounts_per_rule_in_cny(db, world):
    board = world.board  # cost 310.00; price list CNY: L2 80, mark-up 10 %
    free = charges.compute("normal_failure", True, "L2", [(board, 1)], "CNY")
    assert free.total == 0 and free.parts[0].amount == 0 and not free.quality_record
    quality = charges.compute("transport_odm_packaging", True, "L2", [(board, 1)], "CNY")
    assert quality.total == 0 and quality.quality_record
    out = charges.compute("normal_failure", False, "L2", [(board, 2)], "CNY")
    assert (out.labour, out.parts_amount, out.total) == (D("80.00"), D("682.00"), D("762.00"))
    lightning = charges.compute("lightning", True, "L3", [(board, 1)], "CNY")
    assert lightning.total == D("150.00") + D("341.00")
    human = charges.compute("human_damage", True, "L3", [(board, 1)], "CNY")
    assert (human.labour, human.total) == (D("0"), D("310.00"))  # material at cost, no labour


def test_lowest_material_cost_takes_the_cheapest_approved_substitute(db, world, make):
    dearer = make.part(category="main_board", number="MB-200", cost_price=D("400.00"))
    db.session.add_all([PartSubstitute(part_id=world.board.id, substitute_id=world.cheap.id, instruction="swap"),
                        PartSubstitute(part_id=dearer.id, substitute_id=world.board.id, instruction="swap")])
    db.session.flush()
    assert charges.lowest_material_cost(world.board) == D("250.00")
    assert charges.lowest_material_cost(dearer) == D("310.00")
    assert charges.lowest_material_cost(world.cheap) == D("250.00")  # one-way rule: the cheap one has none
    human = charges.compute("panel_impact", True, None, [(world.board, 1)], "CNY")
    assert human.total == D("250.00")


def test_usd_prices_use_the_agreed_rate_and_round_half_up(db, world):
    out = charges.compute("normal_failure", False, "L1", [(world.board, 1)], "USD")
    # 310 × 0.14 × 1.10 = 47.74
    assert out.parts[0].unit_price == D("47.74") and out.total == D("53.74")
    db.session.add(RmaPriceList(currency="JPY", labour_l1=D("900"), labour_l2=D("1500"), labour_l3=D("2500"),
                                cny_rate=D("20.55"), parts_markup=D("0")))
    db.session.flush()
    jpy = charges.compute("human_damage", True, None, [(world.board, 1)], "JPY")
    assert jpy.total == D("6371")  # 310 × 20.55 = 6370.5 → 6371


def test_no_price_list_is_a_clear_error(db, world):
    with pytest.raises(charges.NoPriceList, match="EUR"):
        charges.compute("lightning", True, "L1", [], "EUR")
    assert charges.compute("normal_failure", True, "L1", [], "EUR").total == 0  # free needs no prices


def test_a_buyout_clients_unit_is_charged_as_out_of_warranty(db, world):
    rma = file_rma(world, serials=["B-1"], client=world.buyer, user=world.buyer_user)
    assert rma.currency == "USD" and rma.lines[0].in_warranty is False and rma.lines[0].warranty_ends_on is None
    apply(rma, "approve", world.staff)
    apply(rma, "ship", world.buyer_user, carrier="DHL", tracking="1")
    apply(rma, "receive", world.staff, serials=["B-1"])
    diagnose_line(rma.lines[0], Diagnosis("normal_failure", "L2", "repair", [("MB-100", 1)]), world.staff)
    assert rma.lines[0].charge_rule == charges.LABOUR_PARTS and rma.lines[0].charge == D("12.00") + D("47.74")
    assert rma.status == "diagnosed"


def test_odm_packaging_damage_leaves_a_quality_record(db, world, rma):
    from portal.audit import AuditEntry

    apply(rma, "approve", world.staff)
    apply(rma, "ship", world.acme_user, carrier="SF", tracking="1")
    apply(rma, "receive", world.staff, serials=["A-1", "A-2"])
    diagnose_line(rma.lines[0], Diagnosis("transport_odm_packaging", None, "repair", [("MB-100", 1)]), world.staff)
    assert rma.lines[0].quality_record and rma.lines[0].charge == 0
    assert db.session.query(AuditEntry).filter_by(action="quality.packaging_transport_damage").count() == 1


def test_a_level_is_needed_when_labour_is_charged(db, world):
    from portal.rma.workflow import TransitionRefused

    rma = file_rma(world, serials=["A-OLD"])
    apply(rma, "approve", world.staff)
    apply(rma, "ship", world.acme_user, carrier="SF", tracking="1")
    apply(rma, "receive", world.staff, serials=["A-OLD"])
    with pytest.raises(TransitionRefused, match="repair level"):
        diagnose_line(rma.lines[0], Diagnosis("lightning", None, "repair", []), world.staff)
