"""Marshmallow schemas of the claims API (they also describe it in OpenAPI)."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from contracts.domain import FAULT_CAUSES, PART_CATEGORIES, REPAIR_LEVELS

from .models import CLAIM_STATUSES, PREAUTH_STATUSES, SIGNALS


class ClaimQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(CLAIM_STATUSES))
    client_id = fields.Integer(metadata={"description": "Internal users only; client users see their own anyway."})
    station_id = fields.Integer()
    fault_cause = fields.String(validate=validate.OneOf(FAULT_CAUSES))
    signal = fields.String(validate=validate.OneOf(SIGNALS))
    date_from = fields.Date(metadata={"description": "Repair date from (inclusive)."})
    date_to = fields.Date(metadata={"description": "Repair date to (inclusive)."})
    serial = fields.String()


class PartInSchema(Schema):
    part_number = fields.String(required=True)
    quantity = fields.Integer(required=True, strict=True)


class ClaimInSchema(Schema):
    """Checked by the portal's rules (the same as the form's and the upload's); field errors
    come back under errors.json.<field>, translated."""

    serial = fields.String(required=True)
    repair_date = fields.String(required=True, metadata={"description": "yyyy-mm-dd, not in the future."})
    station = fields.String(required=True, metadata={"description": "Code of one of your stations."})
    fault_cause = fields.String(required=True, metadata={"description": ", ".join(FAULT_CAUSES)})
    repair_level = fields.String(required=True, metadata={"description": ", ".join(REPAIR_LEVELS)})
    repaired_category = fields.String(required=True, metadata={"description": ", ".join(PART_CATEGORIES)})
    parts = fields.List(fields.Nested(PartInSchema), load_default=list)
    claimed_labour = fields.String(required=True, metadata={"description": "Decimal ≥ 0 as a string."})
    claimed_parts = fields.String(required=True)
    claimed_handling = fields.String(required=True)
    currency = fields.String(load_default="", metadata={"description": "Your contract's currency."})
    description = fields.String(load_default="")
    model = fields.String(load_default="", metadata={"description": "Optional: taken from the serial otherwise."})
    preauthorisation = fields.String(load_default="", metadata={"description": "An approved PA-… of this serial."})


class ClaimPartOutSchema(Schema):
    part_number = fields.String()
    category = fields.String()
    quantity = fields.Integer()


class ClaimSchema(Schema):
    id = fields.Integer()
    ref = fields.String()
    client_code = fields.String()
    station = fields.String()
    serial = fields.String()
    repair_date = fields.Date()
    submitted_on = fields.Date()
    fault_cause = fields.String()
    repair_level = fields.String()
    repaired_category = fields.String()
    parts = fields.List(fields.Nested(ClaimPartOutSchema))
    currency = fields.String()
    claimed_labour = fields.Decimal(as_string=True)
    claimed_parts = fields.Decimal(as_string=True)
    claimed_handling = fields.Decimal(as_string=True)
    claimed_amount = fields.Decimal(as_string=True)
    schedule_amount = fields.Decimal(as_string=True, allow_none=True)
    adjusted_amount = fields.Decimal(as_string=True, allow_none=True)
    status = fields.String()
    decided_on = fields.Date(allow_none=True)
    reasons = fields.List(fields.Dict(), metadata={"description": "[{key, text}] in the caller's language."})
    signals = fields.List(fields.String())
    staff_comment = fields.String()
    answer = fields.String()
    preauthorisation = fields.String(allow_none=True)


class DecisionInSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(("accept", "adjust", "reject")))
    amount = fields.Decimal(load_default=None, allow_none=True, metadata={"description": "For adjust: ≤ claimed."})
    comment = fields.String(load_default="")


class AnswerInSchema(Schema):
    answer = fields.String(required=True)


class ClaimImportFileSchema(Schema):
    file = Upload(required=True, metadata={"description": "A .csv (UTF-8) or .xlsx file; see the import columns."})


class ClaimImportResultSchema(Schema):
    claims = fields.Integer()
    accepted = fields.Integer()
    rejected = fields.Integer()
    review = fields.Integer()


class PreAuthInSchema(Schema):
    serial = fields.String(required=True)
    station = fields.String(required=True)
    repair_level = fields.String(required=True)
    planned_repair = fields.String(required=True)
    estimated_amount = fields.String(required=True)


class PreAuthSchema(Schema):
    id = fields.Integer()
    ref = fields.String()
    client_code = fields.String()
    station = fields.String()
    serial = fields.String()
    repair_level = fields.String()
    planned_repair = fields.String()
    estimated_amount = fields.Decimal(as_string=True)
    currency = fields.String()
    status = fields.String(metadata={"description": ", ".join(PREAUTH_STATUSES)})
    comment = fields.String()


class PreAuthDecisionSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(("approve", "decline")))
    comment = fields.String(load_default="")
