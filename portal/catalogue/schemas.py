"""marshmallow schemas of the catalogue API (models, batches with their material list, parts)."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import ValidationError, fields, validate, validates_schema

from contracts.domain import PART_CATEGORIES

from ..api.schemas import ApiSchema, QuerySchema, Text, max_length, not_blank, one_of
from .models import PRODUCT_KINDS
from .services import MATERIAL_CATEGORIES, money_places_ok

MAX_PRICE = Decimal("999999999999.99")


def places(n: int, message):
    def check(value: Decimal) -> None:
        if not money_places_ok(value, n):
            raise ValidationError(str(message))
    return check


def whole_number(**kwargs) -> fields.Integer:
    return fields.Integer(strict=True, **kwargs)


class ModelSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    code = Text(required=True, validate=[not_blank, max_length(40)])
    name = Text(load_default="", validate=max_length(200))
    kind = fields.String(required=True, validate=one_of(PRODUCT_KINDS))
    size_inches = fields.Decimal(as_string=True, required=True, validate=[
        validate.Range(min=5, max=150, error=_l("Enter a size between %(min)d and %(max)d inches.", min=5, max=150)),
        places(1, _l("Give the size to one decimal place at most.")),
    ], metadata={"description": "Screen diagonal in inches, e.g. \"55\" or \"23.8\"", "minimum": 5, "maximum": 150})
    launch_date = fields.Date(required=True)
    end_of_production = fields.Date(load_default=None, allow_none=True)
    service_years = whole_number(load_default=5, validate=validate.Range(
        min=3, max=5, error=_l("Enter 3, 4 or 5 years.")))
    service_end = fields.Date(dump_only=True, metadata={"description": "End of production + service years"})
    discontinued = fields.Boolean(dump_only=True)

    @validates_schema
    def end_after_launch(self, data, **kwargs):
        launch, end = data.get("launch_date"), data.get("end_of_production")
        if launch and end and end < launch:
            raise ValidationError(_l("The end of production cannot be before the launch date."),
                                  field_name="end_of_production")


class ModelUpdateSchema(ModelSchema):
    """PATCH (loaded with partial=True): the fields given replace the stored values."""


class ModelQuerySchema(QuerySchema):
    q = fields.String(load_default="", metadata={"description": "Part of the code or name"})
    kind = fields.String(load_default="", validate=one_of(PRODUCT_KINDS, allow_empty=True))
    status = fields.String(load_default="", validate=one_of(("current", "discontinued"), allow_empty=True))


class MaterialInSchema(ApiSchema):
    category = fields.String(required=True, validate=one_of(MATERIAL_CATEGORIES))
    part_number = Text(required=True, validate=[not_blank, max_length(40)])


class MaterialOutSchema(ApiSchema):
    category = fields.String()
    part_id = fields.Integer()
    part_number = fields.String(attribute="part.number")
    description = fields.String(attribute="part.description")


class BatchSchema(ApiSchema):
    """A batch as read: `quantity` is null for client users (production volumes are internal)."""

    id = fields.Integer()
    code = fields.String()
    model_id = fields.Integer()
    model_code = fields.String(attribute="model.code")
    produced_on = fields.Date()
    quantity = fields.Method("_quantity", allow_none=True)
    materials = fields.List(fields.Nested(MaterialOutSchema))

    def _quantity(self, batch):
        return None if current_user.is_authenticated and current_user.is_client else batch.quantity


class BatchInSchema(ApiSchema):
    """A batch as written; `materials`, when given, replace the whole material list."""

    code = Text(required=True, validate=[not_blank, max_length(40)])
    model_id = whole_number(required=True)
    produced_on = fields.Date(required=True)
    quantity = whole_number(required=True, validate=validate.Range(
        min=1, max=10_000_000, error=_l("Enter a quantity between 1 and %(max)s.", max="10,000,000")))
    materials = fields.List(fields.Nested(MaterialInSchema))

    @validates_schema
    def one_part_per_category(self, data, **kwargs):
        seen = set()
        for index, item in enumerate(data.get("materials") or ()):
            if item["category"] in seen:
                raise ValidationError({index: {"category": [_l("This category is listed twice.")]}},
                                      field_name="materials")
            seen.add(item["category"])


class BatchUpdateSchema(BatchInSchema):
    """PATCH (loaded with partial=True)."""


class BatchQuerySchema(QuerySchema):
    q = fields.String(load_default="", metadata={"description": "Part of the batch code"})
    model_id = fields.Integer(load_default=None)
    part_id = fields.Integer(load_default=None, metadata={"description": "Batches whose material list names it"})


class PartSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    number = Text(required=True, validate=[not_blank, max_length(40)])
    category = fields.String(required=True, validate=one_of(PART_CATEGORIES))
    description = Text(required=True, validate=[not_blank, max_length(200)])
    cost_price = fields.Decimal(as_string=True, required=True, validate=[
        validate.Range(min=0, max=MAX_PRICE, error=_l("Enter a price of 0 or more.")),
        places(2, _l("Give the price to the cent (two decimal places at most).")),
    ], metadata={"description": "The ODM's own cost, CNY", "minimum": 0, "maximum": float(MAX_PRICE)})


class PartUpdateSchema(PartSchema):
    """PATCH (loaded with partial=True)."""


class PartQuerySchema(QuerySchema):
    q = fields.String(load_default="", metadata={"description": "Part of the number or description"})
    category = fields.String(load_default="", validate=one_of(PART_CATEGORIES, allow_empty=True))
