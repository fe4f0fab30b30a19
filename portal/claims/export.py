"""The XLSX export of a claims list, in the reader's language."""
from __future__ import annotations

from flask_babel import gettext as _

from ..labels import label
from .services import reason_texts, scheme_keys


def export_headers() -> list[str]:
    return [_("Claim"), _("Client"), _("Station"), _("Serial number"), _("Repair date"), _("Submitted"),
            _("Fault cause"), _("Repair level"), _("Repaired part category"), _("Currency"), _("Claimed"),
            _("Schedule amount"), _("Adjusted"), _("Status"), _("Decided on"), _("Reasons"), _("Signals"),
            _("Comment")]


def export_rows(claims, locale: str):
    keys = scheme_keys(c.contract_id for c in claims)
    for c in claims:
        yield [c.ref, c.client.code, c.station.code, c.serial, c.repair_date, c.submitted_on,
               label("fault_cause", c.fault_cause), c.repair_level, label("category", c.repaired_category),
               c.currency, c.claimed_amount, c.schedule_amount, c.adjusted_amount, label("claim_status", c.status),
               c.decided_on, "; ".join(reason_texts(keys.get(c.contract_id), c.reasons, locale)),
               "; ".join(label("claim_signal", s) for s in c.signals or ()), c.staff_comment]
