"""A charged RMA shipped back in the period appears on the client's draft settlement in its
own section, "Charged repairs", after the scheme's lines."""
from __future__ import annotations

from datetime import date

from portal.rma.workflow import Diagnosis, apply, diagnose_line
from portal.schemes.models import Contract
from portal.settlements.engine import compute_draft
from portal.settlements.services import present

from .conftest import D, file_rma


def charged_rma(world, serial="B-1"):
    rma = file_rma(world, serials=[serial], client=world.buyer, user=world.buyer_user)
    apply(rma, "approve", world.staff)
    apply(rma, "ship", world.buyer_user, carrier="DHL", tracking="1")
    apply(rma, "receive", world.staff, serials=[serial])
    diagnose_line(rma.lines[0], Diagnosis("human_damage", None, "repair", [("MB-100", 1)]), world.staff)
    apply(rma, "quote", world.staff)
    apply(rma, "accept", world.buyer_user)
    for action in ("repair", "repackage"):
        apply(rma, action, world.staff)
    apply(rma, "ship_back", world.staff, carrier="DHL", tracking="2")
    return rma


def test_a_charged_repair_is_on_the_draft(db, world):
    rma = charged_rma(world)
    assert rma.charged_on == date(2025, 9, 1)
    draft = compute_draft(world.buyer.id, date(2025, 9, 1))
    repairs = [line for line in draft.lines if line.section == "charged_repairs"]
    assert len(repairs) == 1
    line = repairs[0]
    assert (line.direction, line.amount, line.currency) == ("debit", D("43.40"), "USD")  # 310 × 0.14, no labour
    assert line.reference == f"{rma.number}/B-1"
    assert draft.total == -D("43.40")  # no shipments in September: no rebate
    shown = present(draft, "en")
    text = str(shown)
    assert "Charged repairs" in text and "human damage" in text


def test_a_declined_quote_and_another_period_are_not_charged(db, world):
    charged_rma(world)
    august = compute_draft(world.buyer.id, date(2025, 8, 1))
    assert not [line for line in august.lines if line.section == "charged_repairs"]
