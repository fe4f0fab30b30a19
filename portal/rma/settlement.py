"""Charged repairs on the client's settlement: one debit line per unit whose quote the
client accepted, in the period of the day the RMA was shipped back (Rma.charged_on).
Registered as the portal section "charged_repairs" when portal.rma is imported."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from contracts.types import SettlementLine

from ..extensions import db
from ..settlements.sections import SectionQuery, register_section_provider

SECTION = "charged_repairs"
CHARGEABLE_CAUSES = ("normal_failure", "transport_client_logistics", "panel_impact", "human_damage", "lightning")
DESCRIPTIONS = {
    "repair_normal_failure": _l("Repair {rma} of {serial}: out-of-warranty failure, level {level}"),
    "repair_transport_client_logistics": _l("Repair {rma} of {serial}: transport damage in your logistics (material only)"),
    "repair_panel_impact": _l("Repair {rma} of {serial}: panel knock or impact (material only)"),
    "repair_human_damage": _l("Repair {rma} of {serial}: human damage (material only)"),
    "repair_lightning": _l("Repair {rma} of {serial}: lightning, level {level}"),
}


def charged_repair_lines(query: SectionQuery) -> list[SettlementLine]:
    from .models import Rma, RmaLine

    rows = db.session.execute(
        select(Rma.number, Rma.currency, RmaLine.serial, RmaLine.fault_cause, RmaLine.repair_level, RmaLine.charge)
        .join(RmaLine, RmaLine.rma_id == Rma.id)
        .where(Rma.client_id == query.client_id, Rma.charged_on >= query.period.start,
               Rma.charged_on <= query.period.end, RmaLine.charge > 0, RmaLine.receipt == "received")
        .order_by(Rma.charged_on, Rma.id, RmaLine.position)
    )
    return [
        SettlementLine(section=SECTION, direction="debit", amount=row.charge, currency=row.currency,
                       description_key=f"repair_{row.fault_cause}",
                       params={"rma": row.number, "serial": row.serial, "level": row.repair_level or "-"},
                       reference=f"{row.number}/{row.serial}", quantity=1, unit_price=row.charge)
        for row in rows
    ]


def register() -> None:
    register_section_provider(SECTION, charged_repair_lines, title=_l("Charged repairs"), descriptions=DESCRIPTIONS)
