"""The base of every API schema of the portal: translated error messages, stripped text,
validators that name the rule broken, and the 422 answer for service-level field errors."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

CODE_PATTERN = r"^[A-Za-z0-9_-]*$"  # emptiness is not_blank's to report

COMMON_MESSAGES = {
    "required": _l("This field is required."),
    "null": _l("This field may not be null."),
    "validator_failed": _l("Invalid value."),
}
MESSAGES_BY_TYPE = (
    (fields.Integer, {"invalid": _l("Enter a whole number.")}),
    (fields.Decimal, {"invalid": _l("Enter a number."), "special": _l("Enter a number.")}),
    (fields.Date, {"invalid": _l("Enter a date as YYYY-MM-DD.")}),
    (fields.Boolean, {"invalid": _l("Enter true or false.")}),
    (fields.String, {"invalid": _l("Enter text.")}),
    (fields.List, {"invalid": _l("Enter a list.")}),
    (fields.Nested, {"type": _l("Enter an object.")}),
)


class ApiSchema(Schema):
    """Base schema: marshmallow's built-in messages replaced by translated ones (a message a
    field declares itself is kept)."""

    error_messages = {"unknown": _l("Unknown field."), "type": _l("Invalid input type.")}

    def on_bind_field(self, field_name, field_obj) -> None:
        defaults: dict = {}
        for cls in reversed(type(field_obj).__mro__):
            defaults.update(getattr(cls, "default_error_messages", {}))
        ours = dict(COMMON_MESSAGES)
        for kind, messages in MESSAGES_BY_TYPE:
            if isinstance(field_obj, kind):
                ours.update(messages)
                break
        for key, message in ours.items():
            if field_obj.error_messages.get(key) == defaults.get(key):
                field_obj.error_messages[key] = message

    def handle_error(self, error: ValidationError, data, **kwargs) -> None:
        """Lazy (translated) messages become plain strings, each field's in a list, as usual."""
        error.messages = _plain(error.messages)


def _plain(messages):
    if isinstance(messages, dict):
        return {key: _plain(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [_plain(m) if isinstance(m, dict) else str(m) for m in messages]
    return [str(messages)]


class QuerySchema(ApiSchema):
    """Query-string filters: ignore the pagination arguments and anything else unknown."""

    class Meta:
        unknown = EXCLUDE


class Text(fields.String):
    """A string with surrounding white space removed."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        return text.strip()


def not_blank(value: str) -> None:
    if not value:
        raise ValidationError(str(_l("This field may not be empty.")))


def max_length(n: int):
    return validate.Length(max=n, error=_l("Use at most %(n)d characters.", n=n))


def one_of(values, allow_empty: bool = False) -> validate.OneOf:
    """One of `values` (or "" when `allow_empty`, for a query filter meaning "all")."""
    allowed = (("",) if allow_empty else ()) + tuple(values)
    return validate.OneOf(allowed, error=_l("Must be one of: %(choices)s.", choices=", ".join(values)))


code_format = validate.Regexp(CODE_PATTERN, error=_l("Use only letters, digits, '-' and '_'."))


def email_or_empty(value: str) -> None:
    if value:
        validate.Email(error=_l("Enter a valid e-mail address."))(value)


def abort_with_field_errors(error) -> None:
    """Answer 422 for a services.FieldErrors, in flask-smorest's format (errors.json.<field>)."""
    from flask_babel import gettext as _
    from flask_smorest import abort

    abort(422, message=_("The data sent is not valid."),
          errors={"json": {name: [message] for name, message in error.errors.items()}})
