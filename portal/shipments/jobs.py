"""The shipment import as a background job: the page keeps the upload (portal.jobs.uploads)
and enqueues "shipments.import"; the job runs `import_shipments` on it (all or nothing),
reports how far it is, and returns the outcome its page shows (shipments/_import_result.html).
The kept upload is deleted when the job ends, whatever the outcome."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..jobs import job
from ..jobs.uploads import import_kept, start_checked
from .importer import COLUMNS, REQUIRED, ImportFailed, import_shipments

JOB_NAME = "shipments.import"


def start_import(stream, filename: str) -> tuple[int | None, list[str]]:
    """Check the upload, keep it and enqueue its import: (job id, []) or (None, the file's
    errors). The caller commits."""
    return start_checked(JOB_NAME, stream, filename, REQUIRED, COLUMNS)


@job(JOB_NAME, title=_l("Import shipments"), result_template="shipments/_import_result.html")
def import_file(ctx, key: str, filename: str = "") -> dict:
    result, failure = import_kept(ctx, key, filename,
                                  lambda stream, progress: import_shipments(stream, filename, progress=progress),
                                  ImportFailed)
    if failure is not None:
        return failure
    ctx.progress(result.lines, result.lines, _("The file has been imported."))
    return {"ok": True, **result.as_dict(), "url": "/shipments/"}
