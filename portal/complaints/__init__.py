"""Complaints of brand clients: level and deadline, the team's analysis (emergency fix, root
cause, improvement plan, responsibility), escalation to quality or R&D, agreed compensation
(a credit line on the next settlement), closing after a follow-up visit with a satisfaction
score, reopening; and the early warnings raised when a failure pattern rises above its own
baseline (warnings.py)."""
from .settlement import register as _register_section

_register_section()
