"""marshmallow schemas of the schemes API. The terms themselves are checked by each
scheme's own schema (``contracts.load_terms``), not here."""
from __future__ import annotations

from marshmallow import fields

from contracts.domain import LOCALES

from ..api.schemas import ApiSchema, QuerySchema, Text, max_length, not_blank, one_of
from .models import OFFER_STATES
from .offers import REASON_MAX
from .periods import PERIOD_KINDS


class SchemeQuerySchema(QuerySchema):
    locale = fields.String(load_default="", validate=one_of(LOCALES, allow_empty=True),
                           metadata={"description": "Language of names, explanations and "
                                                    "labels (default: the user's)"})


class SchemeSchema(ApiSchema):
    key = fields.String()
    version = fields.String()
    name = fields.String()
    explanation = fields.String()
    handles_claims = fields.Boolean()
    terms_schema = fields.Dict(metadata={"description": "JSON Schema of the terms, titled "
                                                        "and described in the language asked"})


class OfferSchema(ApiSchema):
    id = fields.Integer(dump_only=True)
    client_id = fields.Integer()
    client_code = fields.Function(lambda offer: offer.client.code, dump_only=True)
    scheme_key = fields.String()
    terms = fields.Dict()
    currency = fields.String()
    period_kind = fields.String()
    status = fields.String(metadata={"description": "offered, chosen, confirmed, declined or withdrawn"})
    reason = fields.String(attribute="note", metadata={"description": "why the choice was declined"})
    created_at = fields.DateTime()
    chosen_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)


class OfferCreateSchema(ApiSchema):
    client_id = fields.Integer(required=True)
    scheme_key = fields.String(required=True, validate=not_blank)
    terms = fields.Raw(required=True, metadata={"description": "the terms, validated by the "
                                                               "scheme's own schema"})
    currency = fields.String(load_default=None, allow_none=True,
                             metadata={"description": "ISO 4217; default: the client's"})
    period_kind = fields.String(required=True, validate=one_of(PERIOD_KINDS))


class OfferQuerySchema(QuerySchema):
    client_id = fields.Integer(load_default=None, allow_none=True)
    status = fields.String(load_default="", validate=one_of(OFFER_STATES, allow_empty=True))


class DeclineSchema(ApiSchema):
    reason = Text(required=True, validate=[not_blank, max_length(REASON_MAX)])


class ContractSchema(ApiSchema):
    id = fields.Integer()
    client_id = fields.Integer()
    client_code = fields.Function(lambda contract: contract.client.code)
    scheme_key = fields.String()
    terms = fields.Dict()
    currency = fields.String()
    period_kind = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)
    offer_id = fields.Integer(allow_none=True)


class ContractQuerySchema(QuerySchema):
    client_id = fields.Integer(load_default=None, allow_none=True)
