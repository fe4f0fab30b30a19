"""marshmallow schemas of the clients API."""
from __future__ import annotations

from marshmallow import fields

from contracts.domain import LOCALES

from ..api.schemas import (
    ApiSchema,
    QuerySchema,
    Text,
    code_format,
    email_or_empty,
    max_length,
    not_blank,
    one_of,
)
from .models import MARKETS
from .services import CURRENCIES


class ClientSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    code = Text(required=True, validate=[not_blank, max_length(20), code_format])
    name = Text(required=True, validate=[not_blank, max_length(200)])
    market = fields.String(required=True, validate=one_of(MARKETS))
    locale = fields.String(required=True, validate=one_of(LOCALES))
    currency = fields.String(required=True, validate=one_of(CURRENCIES))
    contact_name = Text(load_default="", validate=max_length(120))
    contact_email = Text(load_default="", validate=[max_length(254), email_or_empty])
    contact_phone = Text(load_default="", validate=max_length(40))
    address = Text(load_default="", validate=max_length(400))
    active = fields.Boolean(load_default=True)
    created_at = fields.DateTime(dump_only=True)


class ClientUpdateSchema(ClientSchema):
    """PATCH (loaded with partial=True): the fields given replace the stored values."""


class ClientQuerySchema(QuerySchema):
    q = fields.String(load_default="", metadata={"description": "Part of the code or name"})
    market = fields.String(load_default="", validate=one_of(MARKETS, allow_empty=True))
    active = fields.Boolean(load_default=None, allow_none=True)
