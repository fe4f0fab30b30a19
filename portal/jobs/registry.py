"""Every module that registers jobs (`@job(...)`), in one list.

A web process imports these modules through its blueprints anyway; a worker serves no pages,
so it imports this list when it starts (`load_all`), and `runner.run` does too before it gives
up on a job name it does not know. A test fails when a module with `@job(...)` is missing here.
Add your module with one line."""
from __future__ import annotations

import importlib

JOB_MODULES = (
    "portal.jobs.canary",
    "portal.documents.notify",
    "portal.parts.forecast",
    "portal.statements.jobs",
    "portal.complaints.warnings",
    "portal.shipments.jobs",
    "portal.claims.jobs",
)


def load_all() -> None:
    for name in JOB_MODULES:
        importlib.import_module(name)
