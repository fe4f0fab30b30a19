"""The one transition table of an RMA. Pages and the API both go through
`portal.rma.workflow.apply`, which looks the action up here; anything not listed is illegal.

    requested ─approve→ approved ─ship→ shipped ─receive→ received ─diagnose→ diagnosed
        └decline→ declined (final)
    diagnosed ─quote→ quoted ─accept→ accepted ─repair→ repaired
                          └reject→ quote_declined ─repackage→ repackaged
    diagnosed ─repair→ repaired (nothing chargeable)
    repaired ─repackage→ repackaged ─ship_back→ shipped_back ─close→ closed
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

CLIENT, STAFF = "client", "staff"
STATES = ("requested", "approved", "declined", "shipped", "received", "diagnosed", "quoted", "accepted",
          "quote_declined", "repaired", "repackaged", "shipped_back", "closed")
FINAL = ("declined", "closed")


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    actor: str  # who may take it: the client (or staff on its behalf) or staff only
    label: object


TRANSITIONS = (
    Transition("approve", "requested", "approved", STAFF, _l("Approve")),
    Transition("decline", "requested", "declined", STAFF, _l("Decline")),
    Transition("ship", "approved", "shipped", CLIENT, _l("Record our shipment")),
    Transition("receive", "shipped", "received", STAFF, _l("Receive")),
    Transition("diagnose", "received", "diagnosed", STAFF, _l("Finish diagnosis")),
    Transition("quote", "diagnosed", "quoted", STAFF, _l("Send the quote")),
    Transition("repair", "diagnosed", "repaired", STAFF, _l("Work done")),
    Transition("accept", "quoted", "accepted", CLIENT, _l("Accept the quote")),
    Transition("reject", "quoted", "quote_declined", CLIENT, _l("Decline the quote")),
    Transition("repair", "accepted", "repaired", STAFF, _l("Work done")),
    Transition("repackage", "repaired", "repackaged", STAFF, _l("Repackaged")),
    Transition("repackage", "quote_declined", "repackaged", STAFF, _l("Repackaged")),
    Transition("ship_back", "repackaged", "shipped_back", STAFF, _l("Ship back")),
    Transition("close", "shipped_back", "closed", STAFF, _l("Close")),
)
_TABLE = {(t.source, t.action): t for t in TRANSITIONS}
ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))


def find(status: str, action: str) -> Transition | None:
    return _TABLE.get((status, action))


def available(status: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == status]


# States in which the ODM's teams have the next move (work queues).
STAFF_STATES = tuple(dict.fromkeys(t.source for t in TRANSITIONS if t.actor == STAFF))
# States in which the client has the next move.
CLIENT_STATES = tuple(dict.fromkeys(t.source for t in TRANSITIONS if t.actor == CLIENT))
