"""The documents API under /api/v1/documents.

Every role may list, read and download the documents it may see (the same access rule as the
pages: portal.documents.access); another document answers 404. After-sales staff and admins
publish: POST a multipart form (fields as DocumentInSchema, plus `file`) to create a document
with its first version, or (release_notes, file) to /<id>/versions for a new version. A
rejected upload answers 422 with errors.json.<field> (file errors under errors.json.file)."""
from __future__ import annotations

from flask import current_app, request, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import ValidationError

from ..api.auth import api_roles
from ..auth.access import ANY_ROLE
from ..extensions import csrf, db
from ..i18n import LOCALE_NAMES
from . import services
from .access import get_visible_document
from .schemas import (
    DocumentInSchema,
    DocumentQuerySchema,
    DocumentSchema,
    DocumentSummarySchema,
    FileSchema,
    VersionInSchema,
)

blp = Blueprint("api_documents", __name__, description="Technical documents, their versions and downloads")
csrf.exempt(blp)


def _summary(document) -> dict:
    current = document.current
    return {"id": document.id, "title": document.title, "doc_type": document.doc_type,
            "confidential": document.confidential, "language": document.language,
            "model_codes": [m.code for m in document.models], "current_version": current.number if current else None,
            "updated_at": document.updated_at}


def _detail(document) -> dict:
    data = _summary(document)
    data.update(description=document.description, batch_codes=[b.code for b in document.batches], versions=[
        {"id": v.id, "number": v.number, "release_notes": v.release_notes, "filename": v.filename,
         "file_format": v.file_format, "size": v.size, "storage_key": v.storage_key, "created_at": v.created_at,
         "current": i == 0,
         "download_url": url_for("api_documents.download_version", document_id=document.id, version_id=v.id)}
        for i, v in enumerate(document.versions)
    ])
    return data


def _visible(document_id: int):
    document = get_visible_document(current_user, document_id)
    if document is None:
        abort(404, message=_("No such document."))
    return document


def _form(schema):
    data = request.form.to_dict()
    for name in ("model_ids", "batch_ids"):
        if name in schema.fields:
            data[name] = request.form.getlist(name)
    try:
        return schema.load(data)
    except ValidationError as exc:
        abort(422, message=_("The document was not published."), errors={"json": exc.messages})


def _upload(create, *args, **kwargs):
    upload = request.files.get("file")
    if upload is None:
        abort(422, message=_("The document was not published."),
              errors={"json": {"file": [_("Choose a file to upload.")]}})
    try:
        return create(*args, upload.stream, upload.filename, current_user,
                      max_bytes=current_app.config["DOCUMENT_MAX_BYTES"], **kwargs)
    except services.DocumentInvalid as exc:
        db.session.rollback()
        abort(422, message=_("The document was not published."),
              errors={"json": {k: [v] for k, v in exc.errors.items()}})


@blp.route("/")
class Documents(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(DocumentQuerySchema, location="query")
    @blp.response(200, DocumentSummarySchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Search the documents you may see (words in the title, model, type, language)."""
        filters = services.DocumentFilters(q=args["q"], model_id=args["model_id"], doc_type=args["type"],
                                           language=args["language"])
        page = db.paginate(services.search(current_user, filters), page=pagination_parameters.page,
                           per_page=pagination_parameters.page_size, error_out=False)
        pagination_parameters.item_count = page.total
        return [_summary(d) for d in page.items]

    @api_roles(*services.UPLOADER_ROLES)
    @blp.arguments(FileSchema, location="files")
    @blp.response(201, DocumentSchema)
    def post(self, _files):
        """Publish a new document with its first version (multipart form: DocumentIn fields and `file`)."""
        data = _form(DocumentInSchema())
        release_notes = data.pop("release_notes", "")
        version = _upload(lambda *a, **k: services.create_document(data, *a, locales=LOCALE_NAMES, **k),
                          release_notes=release_notes)
        return _detail(_visible(version.document_id))


@blp.route("/<int:document_id>")
class DocumentDetail(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, DocumentSchema)
    def get(self, document_id: int):
        """A document with all its versions, newest first."""
        return _detail(_visible(document_id))


@blp.route("/<int:document_id>/versions")
class Versions(MethodView):
    @api_roles(*services.UPLOADER_ROLES)
    @blp.arguments(FileSchema, location="files")
    @blp.response(201, DocumentSchema)
    def post(self, _files, document_id: int):
        """Publish a new version (multipart form: release_notes and `file`); the clients are notified."""
        document = _visible(document_id)
        data = _form(VersionInSchema())
        _upload(lambda *a, **k: services.add_version(document, *a, **k), release_notes=data["release_notes"])
        return _detail(_visible(document_id))


def _download(document_id: int, version_id: int | None):
    from .views import file_response

    document = _visible(document_id)
    version = services.version_of(document, version_id)
    if version is None:
        abort(404, message=_("No such version."))
    return file_response(services.download(document, version, current_user, via_api=True,
                                           ip=request.remote_addr or ""))


@blp.route("/<int:document_id>/download")
@api_roles(*ANY_ROLE)
@blp.doc(responses={"200": {"description": "The current version's file (confidential PDFs stamped)."}})
def download_current(document_id: int):
    """Download the current version (recorded in the download log)."""
    return _download(document_id, None)


@blp.route("/<int:document_id>/versions/<int:version_id>/download")
@api_roles(*ANY_ROLE)
@blp.doc(responses={"200": {"description": "The version's file (confidential PDFs stamped)."}})
def download_version(document_id: int, version_id: int):
    """Download one version, current or superseded (recorded in the download log)."""
    return _download(document_id, version_id)
