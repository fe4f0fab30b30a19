"""Pages of technical documents: the list (search and filters), a document with its versions,
downloads, and for the after-sales team publishing, editing, grants and the download log."""
from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import ANY_ROLE, STAFF, roles_required
from ..catalogue.models import Batch, ProductModel
from ..catalogue.services import model_choices, model_query
from ..clients.models import Client
from ..extensions import db
from ..i18n import LOCALE_NAMES
from . import services
from .access import get_visible_document
from .forms import DocumentForm, FilterForm, NewDocumentForm, VersionForm, put_errors
from .models import CONFIDENTIAL_TYPES
from .validation import content_disposition

bp = Blueprint("documents", __name__, url_prefix="/documents", template_folder="templates")
UPLOADERS = services.UPLOADER_ROLES


def _model_choices():
    if current_user.is_client:
        rows = db.session.scalars(model_query(bought_only=True))
        return [(m.id, m.code) for m in rows]
    return model_choices()


def _batch_choices():
    rows = db.session.execute(select(Batch.id, Batch.code, ProductModel.code).join(Batch.model)
                              .order_by(ProductModel.code, Batch.code))
    return [(bid, f"{mcode} · {bcode}") for bid, bcode, mcode in rows]


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _document_or_404(document_id: int):
    document = get_visible_document(current_user, document_id)
    if document is None:
        abort(404)
    return document


@bp.route("/")
@roles_required(*ANY_ROLE)
def index():
    form = FilterForm(request.args, model_choices=_model_choices())
    filters = services.DocumentFilters(q=form.q.data or "", model_id=_int_arg("model"),
                                       doc_type=form.type.data or "", language=form.language.data or "")
    page = db.paginate(services.search(current_user, filters), per_page=current_app.config["PAGE_SIZE"])
    return render_template("documents/index.html", page=page, form=form, can_upload=current_user.role in UPLOADERS)


@bp.route("/<int:document_id>")
@roles_required(*ANY_ROLE)
def detail(document_id: int):
    return _detail_page(_document_or_404(document_id), VersionForm() if current_user.role in UPLOADERS else None)


def _detail_page(document, version_form, status: int = 200):
    staff = current_user.role in STAFF
    return render_template(
        "documents/detail.html", document=document, staff=staff, can_upload=current_user.role in UPLOADERS,
        grants=services.grants_of(document.id) if staff else [],
        clients=db.session.scalars(select(Client).order_by(Client.code)).all() if staff else [],
        permitted=services.permissions() if staff and document.confidential else {},
        version_form=version_form,
    ), status


@bp.route("/<int:document_id>/download")
@bp.route("/<int:document_id>/versions/<int:version_id>/download")
@roles_required(*ANY_ROLE)
def download(document_id: int, version_id: int | None = None):
    document = _document_or_404(document_id)
    version = services.version_of(document, version_id)
    if version is None:
        abort(404)
    return file_response(services.download(document, version, current_user, ip=request.remote_addr or ""))


def file_response(result: services.Download):
    body = io.BytesIO(result.body) if isinstance(result.body, bytes) else result.body
    response = send_file(body, mimetype=result.mimetype, as_attachment=True, download_name="download")
    response.headers["Content-Disposition"] = content_disposition(result.filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*UPLOADERS)
def new():
    form = NewDocumentForm(model_choices=model_choices(), batch_choices=_batch_choices())
    if form.validate_on_submit():
        upload = request.files.get("file")
        try:
            version = services.create_document(
                form.values(), upload.stream if upload else io.BytesIO(), upload.filename if upload else None,
                current_user, locales=LOCALE_NAMES, max_bytes=current_app.config["DOCUMENT_MAX_BYTES"],
                release_notes=form.release_notes.data or "")
        except services.DocumentInvalid as exc:
            db.session.rollback()
            put_errors(form, exc.errors)
        else:
            flash(_("The document was published."), "success")
            return redirect(url_for("documents.detail", document_id=version.document_id))
    return render_template("documents/form.html", form=form, document=None), 400 if form.errors else 200


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
@roles_required(*UPLOADERS)
def edit(document_id: int):
    document = _document_or_404(document_id)
    form = DocumentForm(obj=document, model_choices=model_choices(), batch_choices=_batch_choices())
    if request.method == "GET":
        form.model_ids.data = [m.id for m in document.models]
        form.batch_ids.data = [b.id for b in document.batches]
    if form.validate_on_submit():
        try:
            services.update_document(document, form.values(), current_user, locales=LOCALE_NAMES)
        except services.DocumentInvalid as exc:
            db.session.rollback()
            put_errors(form, exc.errors)
        else:
            flash(_("The document was saved."), "success")
            return redirect(url_for("documents.detail", document_id=document.id))
    return render_template("documents/form.html", form=form, document=document), 400 if form.errors else 200


@bp.route("/<int:document_id>/versions", methods=["POST"])
@roles_required(*UPLOADERS)
def new_version(document_id: int):
    document = _document_or_404(document_id)
    form = VersionForm()
    if form.validate_on_submit():
        upload = request.files.get("file")
        try:
            version = services.add_version(
                document, upload.stream if upload else io.BytesIO(), upload.filename if upload else None,
                current_user, max_bytes=current_app.config["DOCUMENT_MAX_BYTES"],
                release_notes=form.release_notes.data or "")
        except services.DocumentInvalid as exc:
            db.session.rollback()
            put_errors(form, exc.errors)
        else:
            flash(_("Version %(n)s was published.", n=version.number), "success")
            return redirect(url_for("documents.detail", document_id=document.id))
    return _detail_page(_document_or_404(document_id), form, 400)


@bp.route("/<int:document_id>/grants", methods=["POST"])
@roles_required(*UPLOADERS)
def grants(document_id: int):
    document = _document_or_404(document_id)
    client_id = request.form.get("client_id", "")
    client = db.session.get(Client, int(client_id)) if client_id.isdigit() else None
    if client is None:
        flash(_("Choose a client."), "danger")
    elif request.form.get("action") == "revoke":
        services.revoke(document, client.id)
        flash(_("%(client)s no longer has this document explicitly.", client=client.name), "success")
    else:
        if services.grant(document, client.id, current_user):
            flash(_("The document was given to %(client)s.", client=client.name), "success")
        if document.confidential and document.doc_type not in services.permissions().get(client.id, set()):
            flash(_("%(client)s has no permission for confidential documents of this type: it will see the "
                    "document only once permitted.", client=client.name), "warning")
    return redirect(url_for("documents.detail", document_id=document.id) + "#access")


@bp.route("/<int:document_id>/downloads")
@roles_required(*STAFF)
def downloads(document_id: int):
    document = _document_or_404(document_id)
    page = db.paginate(services.downloads_query(document.id), per_page=current_app.config["PAGE_SIZE"])
    return render_template("documents/downloads.html", document=document, page=page)


@bp.route("/permissions", methods=["GET", "POST"])
@roles_required(*UPLOADERS)
def permissions():
    if request.method == "POST":
        client_id = request.form.get("client_id", "")
        doc_type = request.form.get("doc_type", "")
        client = db.session.get(Client, int(client_id)) if client_id.isdigit() else None
        if client is None or doc_type not in CONFIDENTIAL_TYPES:
            abort(400)
        services.set_permission(client.id, doc_type, request.form.get("allowed") == "1", current_user)
        flash(_("The permissions of %(client)s were saved.", client=client.name), "success")
        return redirect(url_for("documents.permissions"))
    page = db.paginate(select(Client).order_by(Client.code), per_page=current_app.config["PAGE_SIZE"])
    return render_template("documents/permissions.html", page=page, permitted=services.permissions(),
                           types=sorted(CONFIDENTIAL_TYPES))
