"""Marshmallow schemas of the documents API."""
from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from .models import DOCUMENT_TYPES


class DocumentQuerySchema(Schema):
    q = fields.String(load_default="", metadata={"description": "Words in the title."})
    model_id = fields.Integer(load_default=None)
    type = fields.String(load_default="", validate=validate.OneOf(("",) + DOCUMENT_TYPES))
    language = fields.String(load_default="")


class DocumentInSchema(Schema):
    title = fields.String(required=True)
    doc_type = fields.String(required=True, validate=validate.OneOf(DOCUMENT_TYPES))
    language = fields.String(required=True)
    model_ids = fields.List(fields.Integer(), required=True)
    batch_ids = fields.List(fields.Integer(), load_default=list)
    description = fields.String(load_default="")
    release_notes = fields.String(load_default="")


class VersionInSchema(Schema):
    release_notes = fields.String(load_default="")


class FileSchema(Schema):
    file = Upload(required=True, metadata={"description": "The document's file (see docs/documents.md for the "
                                                          "accepted formats per type); checked by its content."})


class VersionSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    release_notes = fields.String()
    filename = fields.String()
    file_format = fields.String()
    size = fields.Integer()
    sha256 = fields.String(attribute="storage_key")
    created_at = fields.DateTime()
    current = fields.Boolean()
    download_url = fields.String()


class DocumentSummarySchema(Schema):
    id = fields.Integer()
    title = fields.String()
    doc_type = fields.String()
    confidential = fields.Boolean()
    language = fields.String()
    model_codes = fields.List(fields.String())
    current_version = fields.Integer(allow_none=True)
    updated_at = fields.DateTime()


class DocumentSchema(DocumentSummarySchema):
    description = fields.String()
    batch_codes = fields.List(fields.String())
    versions = fields.List(fields.Nested(VersionSchema))
