"""Marshmallow schemas of the warranty API (documented in the OpenAPI description)."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validates

from contracts.domain import PART_CATEGORIES

from . import services

STATUSES = (services.STATUS_IN, services.STATUS_PARTS, services.STATUS_OUT, services.STATUS_NOT_FOUND,
            services.STATUS_CLIENT)


class StatusOnSchema(Schema):
    on = fields.Date(
        load_default=None,
        metadata={"description": "The date the status is given for (ISO 8601); default today (Asia/Shanghai)."},
    )


class CategoryWarrantySchema(Schema):
    category = fields.String(metadata={"enum": list(PART_CATEGORIES), "description": "Part category code."})
    months = fields.Integer(metadata={"description": "Warranty length in months for this category."})
    ends_on = fields.Date(metadata={"description": "The last day covered."})
    in_warranty = fields.Boolean(metadata={"description": "Covered on the date asked."})


class WarrantyResultSchema(Schema):
    serial = fields.String(metadata={"description": "The serial as asked (stripped)."})
    found = fields.Boolean(metadata={"description": "False for serials unknown, or not shipped to you."})
    status = fields.String(
        metadata={
            "enum": list(STATUSES),
            "description": "in: whole unit in warranty; parts: unit out, some part categories still "
                           "covered; out: nothing covered; not_found; client_warranty: shipped while "
                           "the client's contract was a scheme under which the client carries all "
                           "warranty service itself (buyout with rebate, price discount), so the ODM "
                           "repairs the unit only against a charge (see scheme_key; categories empty).",
        }
    )
    on = fields.Date(metadata={"description": "The date the status is given for."})
    model_code = fields.String(allow_none=True)
    model_name = fields.String(allow_none=True)
    batch_code = fields.String(allow_none=True, metadata={"description": "Production batch, when recorded."})
    ship_date = fields.Date(allow_none=True)
    shipment_number = fields.String(allow_none=True)
    client_code = fields.String(allow_none=True)
    client_name = fields.String(allow_none=True)
    grace_days = fields.Integer(allow_none=True, metadata={"description": "Days added to the ship date."})
    categories = fields.List(
        fields.Nested(CategoryWarrantySchema),
        metadata={"description": "One entry per part category; empty when not found or client_warranty."},
    )
    scheme_key = fields.String(
        allow_none=True,
        metadata={"description": "Scheme of the client's contract in force on the ship date "
                                 "(e.g. buyout_rebate); null when none was."},
    )
    scheme_name = fields.Function(
        lambda result: services.scheme_name(result.scheme_key),
        allow_none=True,
        metadata={"type": "string", "description": "That scheme's name in the language asked."},
    )


class LookupRequestSchema(StatusOnSchema):
    serials = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Serial numbers; blanks ignored, duplicates reported once. At most 10,000."},
    )

    @validates("serials")
    def _not_too_many(self, value, **_kwargs):
        limit = current_app.config["BULK_LOOKUP_MAX"]
        if services.count_serials(value) > limit:
            raise ValidationError(services.message_too_many(limit))
        if not services.count_serials(value):
            raise ValidationError(_("Give at least one serial number."))


class SummarySchema(Schema):
    total = fields.Integer(metadata={"description": "Distinct serials looked up."})
    found = fields.Integer()
    not_found = fields.Integer()
    in_warranty = fields.Integer(metadata={"description": "Whole unit in warranty."})
    parts_only = fields.Integer(metadata={"description": "Unit out, some part categories covered."})
    out_of_warranty = fields.Integer()
    client_warranty = fields.Integer(
        metadata={"description": "Covered by the client's own warranty (status client_warranty)."})


class LookupResponseSchema(Schema):
    on = fields.Date()
    summary = fields.Nested(SummarySchema)
    results = fields.List(fields.Nested(WarrantyResultSchema), metadata={"description": "In the order asked."})


def dump_result(result: services.WarrantyResult, _categories_cache: dict | None = None) -> dict:
    """WarrantyResultSchema().dump(result), written out by hand: a 10,000-serial answer
    dumps in a tenth of marshmallow's time. tests/warranty/test_api.py checks they agree."""
    cache = {} if _categories_cache is None else _categories_cache
    names = cache.setdefault("scheme_names", {})
    if result.scheme_key not in names:
        names[result.scheme_key] = services.scheme_name(result.scheme_key)
    key = id(result.categories)
    if key not in cache:  # results of one client and ship date share their categories tuple
        cache[key] = [
            {"category": c.category, "months": c.months, "ends_on": c.ends_on.isoformat(), "in_warranty": c.in_warranty}
            for c in result.categories
        ]
    return {
        "serial": result.serial,
        "found": result.found,
        "status": result.status,
        "on": result.on.isoformat(),
        "model_code": result.model_code,
        "model_name": result.model_name,
        "batch_code": result.batch_code,
        "ship_date": result.ship_date.isoformat() if result.ship_date else None,
        "shipment_number": result.shipment_number,
        "client_code": result.client_code,
        "client_name": result.client_name,
        "grace_days": result.grace_days,
        "categories": cache[key],
        "scheme_key": result.scheme_key,
        "scheme_name": names[result.scheme_key],
    }


def dump_lookup(results: list[services.WarrantyResult], on) -> dict:
    """LookupResponseSchema().dump(...) for a bulk answer, by hand (see dump_result)."""
    cache: dict = {}
    return {
        "on": on.isoformat(),
        "summary": SummarySchema().dump(services.summarise(results)),
        "results": [dump_result(r, cache) for r in results],
    }
