"""Marshmallow schemas of the shipments API (they also describe it in OpenAPI)."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from .validation import NUMBER_MAX


class ShipmentQuerySchema(Schema):
    client_id = fields.Integer(metadata={"description": "Internal users only; client users see their own anyway."})
    model_id = fields.Integer()
    model_code = fields.String()
    date_from = fields.Date(metadata={"description": "Ship date from (inclusive), yyyy-mm-dd."})
    date_to = fields.Date(metadata={"description": "Ship date to (inclusive), yyyy-mm-dd."})
    number = fields.String(metadata={"description": "Part of the shipment number."})


class LineInSchema(Schema):
    model_code = fields.String(required=True, validate=validate.Length(min=1, max=40))
    batch_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    quantity = fields.Integer(required=True, strict=True,
                              metadata={"description": "Not zero; negative for returned goods (no serials)."})
    unit_price = fields.Decimal(required=True, metadata={"description": "≥ 0, in the currency's minor units."})
    currency = fields.String(required=True, validate=validate.Length(equal=3),
                             metadata={"description": "ISO 4217; must be the client's currency."})
    serials = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list,
                          metadata={"description": "For a positive line: none, or exactly `quantity` serials."})


class ShipmentInSchema(Schema):
    number = fields.String(required=True, validate=validate.Length(min=1, max=NUMBER_MAX))
    client_code = fields.String(required=True)
    ship_date = fields.Date(required=True)
    lines = fields.List(fields.Nested(LineInSchema), required=True, validate=validate.Length(min=1, max=10_000))


class TotalsMixin(Schema):
    line_count = fields.Integer()
    quantity = fields.Integer()
    value = fields.Decimal(as_string=True)
    currency = fields.String()


class ShipmentSummarySchema(TotalsMixin):
    id = fields.Integer()
    number = fields.String()
    ship_date = fields.Date()
    client_id = fields.Integer()
    client_code = fields.String()


class LineOutSchema(Schema):
    id = fields.Integer()
    model_id = fields.Integer()
    model_code = fields.String()
    batch_id = fields.Integer(allow_none=True)
    batch_code = fields.String(allow_none=True)
    quantity = fields.Integer()
    unit_price = fields.Decimal(as_string=True)
    currency = fields.String()
    value = fields.Decimal(as_string=True)
    serial_count = fields.Integer()


class ShipmentSchema(ShipmentSummarySchema):
    serial_count = fields.Integer()
    lines = fields.List(fields.Nested(LineOutSchema))


class SerialSchema(Schema):
    serial = fields.String()
    line_id = fields.Integer()
    model_code = fields.String()


class ImportFileSchema(Schema):
    file = Upload(required=True, metadata={"description": "A .csv (UTF-8) or .xlsx file; see the import columns."})


class ImportResultSchema(Schema):
    shipments = fields.Integer()
    lines = fields.Integer()
    serials = fields.Integer()
