"""API schemas of background jobs: a job's state and result, and the `background` flag of the
import endpoints."""
from __future__ import annotations

from marshmallow import fields

from ..api.schemas import ApiSchema, QuerySchema

STATUS_DESCRIPTION = "queued, running, done or failed."


class JobSchema(ApiSchema):
    id = fields.Integer()
    name = fields.String(metadata={"description": "What the job does, e.g. shipments.import or claims.import."})
    status = fields.String(metadata={"description": STATUS_DESCRIPTION})
    done = fields.Integer(metadata={"description": "Work done so far (for imports: rows)."})
    total = fields.Integer(metadata={"description": "Work expected in all (an estimate while the job runs)."})
    percent = fields.Integer(metadata={"description": "0 to 100; 100 once done."})
    message = fields.String(metadata={"description": "The latest progress message, in the starter's language."})
    result = fields.Dict(metadata={"description": (
        "The outcome once done. Imports: ok true with the counts, or ok false with file_errors, "
        "rows [{row, errors: [{column, message}]}], more_rows and bad_rows (nothing was imported).")})
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


class BackgroundSchema(QuerySchema):
    background = fields.Boolean(load_default=False, metadata={"description": (
        "true: check the file's header at once, then import it in a background job (202 with the job, "
        "Location /api/v1/jobs/<id>); false (default): import within the request.")})


def background_field() -> fields.Boolean:
    """The same flag as a multipart form field, for the import endpoints' upload schemas (only
    documented there: portal.jobs.api.background_requested reads it from the form)."""
    return fields.Boolean(metadata={"description": "Same as the background query parameter."})
