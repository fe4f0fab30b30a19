from datetime import date, datetime, timezone
from decimal import Decimal as D

from portal.complaints.services import ComplaintInput, apply, open_complaint
from portal.settlements.engine import compute_draft
from portal.settlements.services import present

NOW = datetime(2025, 9, 3, 8, 0, tzinfo=timezone.utc)


def test_an_agreed_compensation_is_a_credit_line_on_that_periods_settlement(db, world):
    c = open_complaint(world.acme, ComplaintInput(title="Scratched panels", description="d", level="high"), now=NOW)
    apply(c, "compensate", world.staff, amount=D("250.40"), on=date(2025, 9, 15), now=NOW)
    september = compute_draft(world.acme.id, date(2025, 9, 1))
    lines = [line for line in september.lines if line.section == "complaint_compensations"]
    assert len(lines) == 1
    assert (lines[0].direction, lines[0].amount, lines[0].currency, lines[0].reference) == (
        "credit", D("250.40"), "CNY", c.label)
    assert september.total == D("250.40")  # no shipments in September: no rebate
    text = str(present(september, "en"))
    assert "Complaint compensations" in text and "Scratched panels" in text
    october = compute_draft(world.acme.id, date(2025, 10, 1))
    assert not [line for line in october.lines if line.section == "complaint_compensations"]
