"""Marshmallow schemas of the settlements API (they also describe it in OpenAPI)."""
from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .issuing import DESCRIPTION_MAX, REASON_MAX

STATUSES = ("draft", "issued")
KINDS = ("settlement", "credit_note")
DIRECTIONS = ("credit", "debit")


class SettlementQuerySchema(Schema):
    client_id = fields.Integer(metadata={"description": "Finance and admins only; client users see their own."})
    period = fields.Date(metadata={"description": "A day inside the period, yyyy-mm-dd."})
    status = fields.String(validate=validate.OneOf(STATUSES),
                           metadata={"description": "Client users only ever see issued documents."})
    kind = fields.String(validate=validate.OneOf(KINDS))


class DraftInSchema(Schema):
    client_id = fields.Integer(required=True, strict=True)
    period_start = fields.Date(required=True, metadata={
        "description": "First day of a period of the client's contract (month or quarter)."})


class CreditLineInSchema(Schema):
    description = fields.String(required=True, validate=validate.Length(min=1, max=DESCRIPTION_MAX))
    direction = fields.String(required=True, validate=validate.OneOf(DIRECTIONS), metadata={
        "description": "credit: the ODM owes the client; debit: the client owes the ODM."})
    amount = fields.Decimal(required=True, as_string=True, metadata={
        "description": "Above 0; rounded half-up to the currency's minor unit."})


class CreditNoteInSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=REASON_MAX))
    reverse_all = fields.Boolean(load_default=False, metadata={
        "description": "Mirror every line of the settlement with the opposite direction."})
    lines = fields.List(fields.Nested(CreditLineInSchema), load_default=list,
                        validate=validate.Length(max=500))

    @validates_schema
    def one_way(self, data, **kwargs):
        if data.get("reverse_all") and data.get("lines"):
            raise ValidationError(_("Either reverse the whole settlement or enter lines, not both."), "lines")
        if not data.get("reverse_all") and not data.get("lines"):
            raise ValidationError(_("Enter at least one line, or reverse the whole settlement."), "lines")


class SettlementLineOutSchema(Schema):
    position = fields.Integer()
    section = fields.String()
    section_title = fields.String()
    description_key = fields.String()
    description = fields.String(metadata={"description": "Rendered in the reader's language."})
    params = fields.Dict(metadata={"description": "Decimals and dates as strings."})
    reference = fields.String()
    quantity = fields.Integer(allow_none=True)
    unit_price = fields.Decimal(as_string=True, allow_none=True)
    direction = fields.String()
    amount = fields.Decimal(as_string=True)
    currency = fields.String()


class LedgerRowSchema(Schema):
    model_code = fields.String()
    category = fields.String()
    accrued = fields.Integer()
    used = fields.Integer()
    remaining = fields.Integer()
    free_in_period = fields.Integer()
    charged_in_period = fields.Integer()


class RejectedClaimSchema(Schema):
    reference = fields.String()
    serial = fields.String()
    reasons = fields.List(fields.String())
    reason_texts = fields.List(fields.String())


class SettlementSummarySchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    status = fields.String()
    number = fields.String(allow_none=True)
    client_id = fields.Integer()
    client_code = fields.String()
    scheme_key = fields.String()
    currency = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    total = fields.Decimal(as_string=True)
    issued_at = fields.DateTime(allow_none=True)
    corrects_id = fields.Integer(allow_none=True)
    corrects_number = fields.String(allow_none=True)


class SettlementSchema(SettlementSummarySchema):
    scheme_name = fields.String()
    issued_by = fields.String(allow_none=True)
    reason = fields.String()
    prev_hash = fields.String(allow_none=True)
    hash = fields.String(allow_none=True)
    lines = fields.List(fields.Nested(SettlementLineOutSchema))
    ledger = fields.List(fields.Nested(LedgerRowSchema))
    rejected_claims = fields.List(fields.Nested(RejectedClaimSchema))
