"""The claims upload as a background job ("claims.import"): the page keeps the upload
(portal.jobs.uploads) and enqueues it with the client user's company; the job runs
`import_claims` on it (all or nothing) and returns the outcome its page shows
(claims/_import_result.html). The kept upload is deleted when the job ends.

The job runs outside the request, where tenancy (portal/tenancy.py) confines nothing. So the
company is passed explicitly and checked against the user and the job row before anything is
read, and the job confines its own reads to that company, as the request would."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..auth.models import User
from ..clients.models import Client
from ..extensions import db
from ..jobs import Job, job
from ..jobs.uploads import discard, import_kept, start_checked
from ..tenancy import current_tenant, set_tenant
from .importer import COLUMNS, REQUIRED, ImportFailed, import_claims

JOB_NAME = "claims.import"


class ImportRefused(Exception):
    """The job names a company that is not its user's (or not its own job's)."""


def start_import(stream, filename: str, client_id: int, user_id: int) -> tuple[int | None, list[str]]:
    """Check the upload, keep it and enqueue its import for the client: (job id, []) or (None,
    the file's errors); the caller commits. The job row carries the client (enqueue's
    `client_id`), so only that client sees the job; the job itself gets it as `company_id` and
    checks the two agree."""
    return start_checked(JOB_NAME, stream, filename, REQUIRED, COLUMNS, client_id=client_id, company_id=client_id,
                         user_id=user_id)


def _company(job_id: int, client_id: int, user_id: int) -> tuple[Client, User]:
    job_row = db.session.get(Job, job_id)
    user = db.session.get(User, user_id)
    client = db.session.get(Client, client_id)
    if (client is None or user is None or job_row is None or not user.active
            or user.client_id != client.id or job_row.client_id != client.id):
        raise ImportRefused(_("The import was refused: it is not for your company."))
    return client, user


@job(JOB_NAME, title=_l("Upload claims"), result_template="claims/_import_result.html")
def import_file(ctx, key: str, company_id: int, user_id: int, filename: str = "") -> dict:
    outer = current_tenant()
    try:
        client, user = _company(ctx.job_id, company_id, user_id)
        set_tenant(client.id)  # every ORM read of the job sees this company's rows only
        outcome, failure = import_kept(
            ctx, key, filename,
            lambda stream, progress: import_claims(client, stream, filename, user, progress=progress),
            ImportFailed)
        if failure is not None:
            return failure
        count = len(outcome.ids)
        ctx.progress(count, count, _("%(n)s claims imported: %(accepted)s accepted, %(rejected)s rejected, "
                                     "%(review)s in review.", n=count, accepted=outcome.accepted,
                                     rejected=outcome.rejected, review=outcome.review))
        return {"ok": True, "claims": count, "accepted": outcome.accepted, "rejected": outcome.rejected,
                "review": outcome.review, "url": "/claims/"}
    finally:
        set_tenant(outer)
        discard(key)  # when the company check refused it before the import opened it
