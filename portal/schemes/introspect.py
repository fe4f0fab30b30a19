"""Reading a scheme's marshmallow terms schema: what kind of value each field takes, its
choices and bounds, its defaults, and a JSON Schema of the whole (for the API).

Only the public attributes of marshmallow fields are used (``key_field``, ``value_field``,
``inner``, ``schema``, ``validators``, ``load_default``), so any scheme's schema works.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from marshmallow import Schema, fields, missing, validate

from contracts.terms import field_text


def json_key(name: str, field: fields.Field) -> str:
    """The key a field takes in the terms JSON."""
    return field.data_key or name


def loadable_fields(schema: Schema) -> list[tuple[str, fields.Field]]:
    """(JSON key, field) of the fields terms may carry, in declaration order."""
    return [(json_key(name, field), field) for name, field in schema.fields.items()
            if not field.dump_only]


def choices_of(field: fields.Field | None) -> tuple[str, ...] | None:
    """The allowed values when a OneOf validator restricts the field."""
    if field is None:
        return None
    for validator in field.validators:
        if isinstance(validator, validate.OneOf):
            return tuple(str(choice) for choice in validator.choices)
    return None


def range_of(field: fields.Field) -> validate.Range | None:
    for validator in field.validators:
        if isinstance(validator, validate.Range):
            return validator
    return None


def scalar_kind(field: fields.Field) -> str | None:
    """decimal, integer, boolean, choice, date or text; None for a structured field."""
    if isinstance(field, fields.Boolean):
        return "boolean"
    if isinstance(field, fields.Integer):
        return "integer"
    if isinstance(field, fields.Number):
        return "decimal"
    if isinstance(field, (fields.Date,)) and not isinstance(field, fields.DateTime):
        return "date"
    if isinstance(field, fields.String):
        return "choice" if choices_of(field) else "text"
    return None


def nested_schema(field: fields.Field) -> Schema | None:
    if isinstance(field, fields.Nested):
        schema = field.schema
        return schema if isinstance(schema, Schema) else None
    return None


def default_of(field: fields.Field) -> Any:
    """The field's load default (called when callable), or marshmallow.missing."""
    default = field.load_default
    if default is missing:
        return missing
    return default() if callable(default) else default


def default_terms(schema: Schema) -> dict[str, Any]:
    """The terms JSON a new contract starts from: the schema's load defaults, dumped."""
    values = {}
    for name, field in schema.fields.items():
        default = default_of(field)
        if default is not missing and default is not None and not field.dump_only:
            values[name] = default
    return schema.dump(values)


# --- JSON Schema, for the API ---------------------------------------------------------------

def _number(value: Any) -> int | float | str:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def field_json_schema(field: fields.Field, locale: str) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12 vocabulary) of one field, titled in ``locale``."""
    out: dict[str, Any] = {}
    if field.metadata.get("label"):
        out["title"] = field_text(field, "label", locale)
    if field.metadata.get("help"):
        out["description"] = field_text(field, "help", locale)
    kind = scalar_kind(field)
    if kind == "decimal":
        out.update(type=["string", "number"], format="decimal")
    elif kind == "integer":
        out.update(type="integer")
    elif kind == "boolean":
        out.update(type="boolean")
    elif kind == "date":
        out.update(type="string", format="date")
    elif kind in ("choice", "text"):
        out.update(type="string")
        if kind == "choice":
            out["enum"] = list(choices_of(field))
    elif isinstance(field, fields.Dict):
        out["type"] = "object"
        if field.value_field is not None:
            out["additionalProperties"] = field_json_schema(field.value_field, locale)
        if choices_of(field.key_field):
            out["propertyNames"] = {"enum": list(choices_of(field.key_field))}
    elif isinstance(field, fields.List):
        out.update(type="array", items=field_json_schema(field.inner, locale))
    elif nested_schema(field) is not None:
        out.update(schema_json(nested_schema(field), locale))
        if field.many:
            out = {"type": "array", "items": out, **{k: out[k] for k in ("title", "description") if k in out}}
    bounds = range_of(field)
    if bounds is not None and kind in ("decimal", "integer"):
        if bounds.min is not None:
            out["minimum" if bounds.min_inclusive else "exclusiveMinimum"] = _number(bounds.min)
        if bounds.max is not None:
            out["maximum" if bounds.max_inclusive else "exclusiveMaximum"] = _number(bounds.max)
    for validator in field.validators:
        if isinstance(validator, validate.Length):
            key = "Items" if out.get("type") == "array" else "Properties" if out.get("type") == "object" else "Length"
            if validator.min is not None:
                out[f"min{key}"] = validator.min
            if validator.max is not None:
                out[f"max{key}"] = validator.max
    if field.allow_none and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*types, "null"]
    default = default_of(field)
    if default is not missing:
        dumped = field.serialize("value", {"value": default}) if default is not None else None
        out["default"] = dumped
    return out


def schema_json(schema: Schema, locale: str) -> dict[str, Any]:
    """A JSON Schema of a whole terms schema (unknown keys are refused)."""
    properties = {key: field_json_schema(field, locale) for key, field in loadable_fields(schema)}
    required = [key for key, field in loadable_fields(schema) if field.required]
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": False}
