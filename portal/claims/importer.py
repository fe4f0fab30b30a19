"""Bulk upload of claims from a CSV or XLSX file: one row per claim, all or nothing.

Columns: serial, repair_date (yyyy-mm-dd), station (code), fault_cause, repair_level,
repaired_category, parts ("PART:QTY; PART:QTY"), claimed_labour, claimed_parts,
claimed_handling, currency, description, model (optional), preauthorisation (optional, PA-n).
Every row is checked (errors by row number, translated); if any fails nothing is written.
`progress(rows)`, if given, is told the rows read every PROGRESS_EVERY rows (the background
job, portal/claims/jobs.py, reports it); checking and writing then happen in one step.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from ..clients.models import Client
from ..tabular import TabularError, read_rows
from .adjudication import Outcome
from .intake import ClaimInput
from .services import ClaimsInvalid, intake_context, submit_claims

COLUMNS = ("serial", "repair_date", "station", "fault_cause", "repair_level", "repaired_category", "parts",
           "claimed_labour", "claimed_parts", "claimed_handling", "currency", "description", "model",
           "preauthorisation")
REQUIRED = ("serial", "repair_date", "station", "fault_cause", "repair_level", "repaired_category",
            "claimed_labour", "claimed_parts", "claimed_handling")
EXAMPLE_ROW = ("SN0001", "2025-03-10", "ST-01", "normal_failure", "L2", "main_board", "P000123:1", "80.00",
               "310.00", "5.00", "CNY", "No picture; main board replaced", "", "")
MAX_ROWS = 20_000
MAX_REPORTED = 200
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class RowError:
    row: int
    errors: list[str]
    columns: list[str] = field(default_factory=list)  # the column of each error, in the same order

    def as_dict(self) -> dict:
        return {"row": self.row, "errors": self.errors}


class ImportFailed(Exception):
    def __init__(self, rows: list[RowError] | None = None, more: int = 0, file_errors: list[str] | None = None):
        self.rows, self.more, self.file_errors = rows or [], more, file_errors or []
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if self.file_errors:
            return " ".join(self.file_errors)
        return ngettext("%(num)d row has errors; nothing was imported.",
                        "%(num)d rows have errors; nothing was imported.", len(self.rows) + self.more)

    def as_dict(self) -> dict:
        if self.file_errors:
            return {"file": self.file_errors}
        return {"rows": [r.as_dict() for r in self.rows], "more_rows": self.more}


def import_claims(client: Client, stream, filename: str, user,
                  progress: Callable[[int], None] | None = None) -> Outcome:
    """Submit every claim of the file, or none (raises ImportFailed). The caller commits."""
    try:
        ctx = intake_context(client)
    except ClaimsInvalid as exc:
        raise ImportFailed(file_errors=exc.general) from None
    inputs, numbers = [], []
    rows = read_rows(stream, filename)
    try:
        for row in rows:
            if not inputs:
                missing = [c for c in REQUIRED if c not in row.values]
                if missing:
                    raise ImportFailed(file_errors=[_(
                        "Missing columns: %(missing)s. The first row must name the columns %(columns)s.",
                        missing=", ".join(missing), columns=", ".join(COLUMNS))])
            if len(inputs) >= MAX_ROWS:
                raise ImportFailed(file_errors=[_("At most %(n)s claims per file.", n=MAX_ROWS)])
            values = row.values
            inputs.append(ClaimInput(**{name: values.get(name, "") for name in COLUMNS
                                        if name in ClaimInput.__dataclass_fields__}))
            numbers.append(row.number)
            if progress is not None and len(inputs) % PROGRESS_EVERY == 0:
                progress(len(inputs))
    except TabularError as exc:
        raise ImportFailed(file_errors=[str(exc)]) from None
    finally:
        rows.close()
    if not inputs:
        raise ImportFailed(file_errors=[_("The file has no data rows.")])
    if progress is not None:
        progress(len(inputs))
    try:
        _ids, outcome = submit_claims(client, inputs, user, ctx)
    except ClaimsInvalid as exc:
        bad = [RowError(numbers[index], [f"{name}: {m}" for name, messages in fields.items() for m in messages],
                        [name for name, messages in fields.items() for _m in messages])
               for index, fields in sorted(exc.rows.items())]
        raise ImportFailed(bad[:MAX_REPORTED], max(0, len(bad) - MAX_REPORTED)) from None
    return outcome
