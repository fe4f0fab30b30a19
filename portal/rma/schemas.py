"""Marshmallow schemas of the RMA API."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from contracts.domain import FAULT_CAUSES

from .models import DESTINATIONS, KINDS
from .states import ACTIONS, STATES


class RmaInSchema(Schema):
    client_id = fields.Integer(metadata={"description": "After-sales staff only; a client token files for its own company."})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    destination = fields.String(required=True, validate=validate.OneOf(DESTINATIONS))
    station_id = fields.Integer(load_default=None, allow_none=True)
    serials = fields.List(fields.String(), required=True, validate=validate.Length(min=1, max=1000))
    fault_description = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    suspected_cause = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(FAULT_CAUSES))


class RmaQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(STATES))
    destination = fields.String(validate=validate.OneOf(DESTINATIONS))
    client_id = fields.Integer(metadata={"description": "Internal users only."})
    number = fields.String()


class PartUsedSchema(Schema):
    part_number = fields.String()
    quantity = fields.Integer()
    unit_price = fields.Decimal(as_string=True)
    amount = fields.Decimal(as_string=True)


class LineSchema(Schema):
    id = fields.Integer()
    serial = fields.String()
    category = fields.String()
    model_code = fields.String(allow_none=True)
    ship_date = fields.Date(allow_none=True)
    in_warranty = fields.Boolean()
    warranty_ends_on = fields.Date(allow_none=True)
    receipt = fields.String()
    fault_cause = fields.String(allow_none=True)
    repair_level = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    charge_rule = fields.String(allow_none=True)
    labour = fields.Decimal(as_string=True)
    parts_amount = fields.Decimal(as_string=True)
    charge = fields.Decimal(as_string=True)
    parts = fields.List(fields.Nested(PartUsedSchema))


class EventSchema(Schema):
    at = fields.DateTime()
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    user_name = fields.String()
    note = fields.String()
    details = fields.Dict()


class RmaSummarySchema(Schema):
    id = fields.Integer()
    number = fields.String()
    client_id = fields.Integer()
    client_code = fields.String()
    kind = fields.String()
    destination = fields.String()
    station_id = fields.Integer(allow_none=True)
    status = fields.String()
    currency = fields.String()
    units = fields.Integer()
    requested_at = fields.DateTime()
    status_changed_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    turnaround_hours = fields.Float()


class RmaSchema(RmaSummarySchema):
    fault_description = fields.String()
    suspected_cause = fields.String(allow_none=True)
    quote_total = fields.Decimal(as_string=True, allow_none=True)
    carrier = fields.String()
    tracking = fields.String()
    return_carrier = fields.String()
    return_tracking = fields.String()
    decline_reason = fields.String()
    lines = fields.List(fields.Nested(LineSchema))
    timeline = fields.List(fields.Nested(EventSchema))
    next_actions = fields.List(fields.String())


class DiagnosisInSchema(Schema):
    line_id = fields.Integer(required=True)
    fault_cause = fields.String(required=True, validate=validate.OneOf(FAULT_CAUSES))
    repair_level = fields.String(load_default=None, allow_none=True)
    outcome = fields.String(required=True)
    parts = fields.List(fields.Dict(), load_default=list,
                        metadata={"description": '[{"part_number": "P000123", "quantity": 1}]'})
    note = fields.String(load_default="")


class TransitionInSchema(Schema):
    action = fields.String(required=True, validate=validate.OneOf(ACTIONS))
    note = fields.String(load_default="")
    reason = fields.String(load_default="")
    carrier = fields.String(load_default="")
    tracking = fields.String(load_default="")
    serials = fields.List(fields.String(), load_default=list, metadata={"description": "receive: the serials scanned"})
