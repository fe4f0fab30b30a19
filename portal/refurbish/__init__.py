"""Refurbishment orders: inspect, grade, replace parts, repackage (docs/rma.md)."""
