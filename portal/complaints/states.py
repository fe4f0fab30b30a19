"""The one transition table of a complaint. `services.apply` looks every action up here;
anything not listed is illegal (a clear error, nothing changes).

    open ─escalate→ escalated ─escalate→ escalated (re-assigned)
    open | escalated ─resolve→ resolved ─close (follow-up visit, satisfaction)→ closed
    resolved | closed ─reopen→ open
    open | escalated | resolved ─compensate→ (same state)   agreed compensation
    open | escalated ─analyse→ (same state)                 fix, root cause, plan, responsibility
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATES = ("open", "escalated", "resolved", "closed")
ACTIVE = ("open", "escalated", "resolved")

# (action, source) -> target
TRANSITIONS: dict[tuple[str, str], str] = {
    ("analyse", "open"): "open",
    ("analyse", "escalated"): "escalated",
    ("escalate", "open"): "escalated",
    ("escalate", "escalated"): "escalated",
    ("resolve", "open"): "resolved",
    ("resolve", "escalated"): "resolved",
    ("close", "resolved"): "closed",
    ("reopen", "resolved"): "open",
    ("reopen", "closed"): "open",
    ("compensate", "open"): "open",
    ("compensate", "escalated"): "escalated",
    ("compensate", "resolved"): "resolved",
}

ACTION_LABELS = {
    "analyse": _l("Record the analysis"),
    "escalate": _l("Escalate"),
    "resolve": _l("Mark resolved"),
    "close": _l("Close after follow-up visit"),
    "reopen": _l("Reopen"),
    "compensate": _l("Agree compensation"),
}


def target(action: str, source: str) -> str | None:
    return TRANSITIONS.get((action, source))


def allowed_actions(source: str) -> list[str]:
    return [action for (action, src) in TRANSITIONS if src == source]
