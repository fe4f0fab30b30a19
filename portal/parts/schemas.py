"""Marshmallow schemas of the spare-parts API."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from contracts.domain import PART_CATEGORIES


class OrderLineInSchema(Schema):
    part_number = fields.String(load_default="", validate=validate.Length(max=40))
    model_code = fields.String(load_default="", validate=validate.Length(max=40))
    batch_code = fields.String(load_default="", validate=validate.Length(max=40))
    category = fields.String(load_default="", validate=validate.OneOf(("",) + PART_CATEGORIES))
    quantity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=10_000))


class OrderInSchema(Schema):
    client_id = fields.Integer(metadata={"description": "Internal users only: the client ordering."})
    note = fields.String(load_default="", validate=validate.Length(max=500))
    lines = fields.List(fields.Nested(OrderLineInSchema), required=True, validate=validate.Length(min=1, max=50))


class OrderLineSchema(Schema):
    id = fields.Integer()
    part_number = fields.String(attribute="part.number")
    description = fields.String(attribute="part.description")
    category = fields.String(attribute="part.category")
    model_code = fields.String(attribute="model.code")
    batch_code = fields.Function(lambda line: line.batch.code if line.batch else None)
    quantity = fields.Integer()
    free_quantity = fields.Integer()
    charged_quantity = fields.Integer()
    unit_price = fields.Decimal(as_string=True, allow_none=True)
    shipped = fields.Integer()
    backordered = fields.Integer()


class OrderSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    client_id = fields.Integer()
    status = fields.String()
    currency = fields.String()
    note = fields.String()
    created_at = fields.DateTime()
    lines = fields.List(fields.Nested(OrderLineSchema))


class StockQuerySchema(Schema):
    part_number = fields.String(metadata={"description": "Part of the part number."})
    location_id = fields.Integer()


class StockSchema(Schema):
    part_number = fields.String(attribute="part.number")
    description = fields.String(attribute="part.description")
    location_code = fields.String(attribute="location.code")
    location_kind = fields.String(attribute="location.kind")
    quantity = fields.Integer()
