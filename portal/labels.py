"""Translated labels for the codes stored in the database (roles, categories, causes...).
One table per vocabulary; templates call `label(kind, code)`."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

LABELS = {
    "role": {
        "client_admin": _l("Client administrator"),
        "client_user": _l("Client user"),
        "staff": _l("After-sales staff"),
        "quality": _l("Quality"),
        "finance": _l("Finance"),
        "admin": _l("Administrator"),
    },
    "market": {"domestic": _l("Domestic (mainland China)"), "overseas": _l("Overseas")},
    "kind": {"tv": _l("TV"), "monitor": _l("Monitor")},
    "category": {
        "unit": _l("Whole unit"),
        "main_board": _l("Main board"),
        "power_board": _l("Power board"),
        "panel": _l("Panel"),
        "remote": _l("Remote control"),
        "accessory": _l("Accessories"),
    },
    "fault_cause": {
        "normal_failure": _l("Normal electrical or component failure"),
        "transport_odm_packaging": _l("Transport damage, packaging below requirement (ODM)"),
        "transport_client_logistics": _l("Transport damage in the client's logistics"),
        "panel_impact": _l("Panel knock or impact"),
        "human_damage": _l("Human damage"),
        "lightning": _l("Lightning"),
        "no_fault_found": _l("No fault found"),
    },
    "warranty": {"in": _l("In warranty"), "out": _l("Out of warranty")},
    "offer_status": {
        "offered": _l("Open"),
        "chosen": _l("Chosen, awaiting confirmation"),
        "confirmed": _l("Confirmed"),
        "declined": _l("Declined"),
        "withdrawn": _l("Withdrawn"),
    },
    "period_kind": {"month": _l("Monthly"), "quarter": _l("Quarterly")},
    "settlement_status": {"draft": _l("Draft"), "issued": _l("Issued")},
    "settlement_kind": {"settlement": _l("Settlement"), "credit_note": _l("Credit note")},
    "direction": {"credit": _l("Credit (the ODM owes the client)"), "debit": _l("Debit (the client owes the ODM)")},
    "fact_kind": {"shipment": _l("Shipment"), "part issue": _l("Spare-part issue"), "claim": _l("Claim"),
                  "fact": _l("Fact")},
}


def label(kind: str, code: str | None) -> str:
    if code is None:
        return ""
    return str(LABELS.get(kind, {}).get(code, code))


def choices(kind: str) -> list[tuple[str, object]]:
    return list(LABELS[kind].items())
