from sqlalchemy import select

from portal.complaints.models import Complaint, EarlyWarning
from portal.demo import load_demo


def test_the_demo_has_complaints_in_every_state_and_one_warning(db):
    assert load_demo() is True
    complaints = db.session.scalars(select(Complaint)).all()
    assert len(complaints) == 7
    assert {c.status for c in complaints} == {"open", "escalated", "closed"}
    assert any(c.compensation_amount for c in complaints)
    warnings = db.session.scalars(select(EarlyWarning)).all()
    assert [(w.kind, w.category) for w in warnings] == [("batch_category", "main_board")]
    assert warnings[0].evidence["parts"]
