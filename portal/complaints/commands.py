"""`flask detect-warnings`: the early-warning detection from cron (the job does the same)."""
from __future__ import annotations

from datetime import date

import click

from ..extensions import db
from .warnings import run_detection


def detect(today: str | None) -> str:
    try:
        day = date.fromisoformat(today) if today else None
    except ValueError:
        raise click.BadParameter(f"{today!r} is not a date (YYYY-MM-DD)", param_hint="--today") from None
    result = run_detection(day)
    db.session.commit()
    return "warnings: {created} new, {refreshed} refreshed".format(**result)
