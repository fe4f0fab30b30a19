"""Repair returns (RMA): clients send units and boards back; the after-sales groups receive,
diagnose, charge by the fault-cause rules, repair and ship them back (docs/rma.md)."""
from .settlement import register as _register_section

_register_section()
