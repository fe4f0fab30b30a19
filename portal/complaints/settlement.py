"""Agreed complaint compensations on the client's settlement: one credit line per complaint
whose compensation was agreed in the period (Complaint.compensation_agreed_on). Registered as
the portal section "complaint_compensations" when portal.complaints is imported."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contracts.types import SettlementLine

from ..extensions import db
from ..settlements.sections import SectionQuery, register_section_provider

SECTION = "complaint_compensations"
DESCRIPTIONS = {"complaint_compensation": _l("Compensation agreed for complaint {complaint}: {title}")}


def compensation_lines(query: SectionQuery) -> list[SettlementLine]:
    from .models import Complaint

    rows = db.session.execute(
        select(Complaint.id, Complaint.title, Complaint.compensation_amount, Complaint.compensation_currency)
        .where(Complaint.client_id == query.client_id, Complaint.compensation_amount.is_not(None),
               Complaint.compensation_agreed_on >= query.period.start,
               Complaint.compensation_agreed_on <= query.period.end)
        .order_by(Complaint.compensation_agreed_on, Complaint.id)
    )
    return [
        SettlementLine(section=SECTION, direction="credit", amount=row.compensation_amount,
                       currency=row.compensation_currency, description_key="complaint_compensation",
                       params={"complaint": f"CP-{row.id:05d}", "title": row.title[:80]},
                       reference=f"CP-{row.id:05d}", quantity=1, unit_price=row.compensation_amount)
        for row in rows
    ]


def register() -> None:
    register_section_provider(SECTION, compensation_lines, title=_l("Complaint compensations"),
                              descriptions=DESCRIPTIONS)
