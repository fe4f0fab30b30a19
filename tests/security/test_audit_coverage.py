"""Issue 11: every action the code writes to the audit log has a label on the audit page, and
claim adjudications and stock moves are among the recorded actions."""
from __future__ import annotations

import re
from pathlib import Path

import portal
from portal.complaints.states import ACTION_LABELS as COMPLAINT_ACTIONS
from portal.complaints.warning_views import ACTIONS as WARNING_ACTIONS
from portal.labels import LABELS
from portal.parts.models import MOVE_KINDS
from portal.rma.states import TRANSITIONS

SOURCE = Path(portal.__file__).parent
LITERAL = re.compile(r'"([a-z_]+(?:\.[a-z_]+)+)"')
DYNAMIC = {  # record(f"prefix.{...}") calls, and where their values come from
    "rma": {t.action for t in TRANSITIONS} | {"request"},
    "stock": set(MOVE_KINDS),
    "complaint": set(COMPLAINT_ACTIONS),
    "warning": set(WARNING_ACTIONS),
}


def recorded_actions() -> set[str]:
    actions = set()
    for path in SOURCE.rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"\brecord\(|_audit_sign_in\(", line) and "def " not in line:
                actions |= set(LITERAL.findall(line))
                for prefix in re.findall(r'record\(f"([a-z_]+)\.\{', line):
                    actions |= {f"{prefix}.{value}" for value in DYNAMIC[prefix]}
    return actions


def test_adjudications_and_stock_moves_are_audited():
    actions = recorded_actions()
    assert "claim.adjudicate" in actions
    assert {f"stock.{kind}" for kind in MOVE_KINDS} <= actions
    assert {"auth.sign_in", "settlement.issue", "contract.confirm"} <= actions


def test_every_recorded_action_has_a_label():
    missing = sorted(recorded_actions() - set(LABELS["audit_action"]))
    assert missing == [], f"audit actions without a label in portal/labels.py: {missing}"
