"""Catalogue pages. After-sales staff and administrators edit; quality and finance read; a
client user reads the models it bought, their batches and material lists, and nothing else."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from contracts.domain import PART_CATEGORIES

from ..auth.access import ANY_ROLE, STAFF, roles_required
from ..clients.services import FieldErrors
from ..extensions import db
from ..listing import choice_filter, labelled, paginated, text_filter
from .forms import BatchForm, MaterialsForm, ModelForm, PartForm
from .models import PRODUCT_KINDS, Part
from .services import (
    MATERIAL_CATEGORIES, batch_counts, batch_query, create_batch, create_model, create_part, get_batch,
    get_model, model_choices, model_query, part_query, set_materials, update_batch, update_model,
    update_part, where_used,
)

bp = Blueprint("catalogue", __name__, template_folder="templates", url_prefix="/catalogue")
EDITORS = ("staff", "admin")
PREVIEW = 10  # rows of a list shown on a detail page


def client_view() -> bool:
    """A client user sees only the models it bought."""
    return current_user.is_client


def show_field_errors(form, error: FieldErrors) -> None:
    for name, message in error.errors.items():
        if name in form:
            form[name].errors = list(form[name].errors) + [message]
        else:
            form.form_errors.append(message)


def latest(stmt, n: int = PREVIEW):
    """The first `n` rows of a list shown on a detail page, and how many there are in all
    (the full list is the paginated batches page, filtered)."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return db.session.scalars(stmt.limit(n)).all(), total


@bp.context_processor
def catalogue_globals():
    return {"can_edit": current_user.is_authenticated and current_user.role in EDITORS,
            "material_categories": MATERIAL_CATEGORIES}


# --- models ---------------------------------------------------------------------------------

@bp.get("/models")
@roles_required(*ANY_ROLE)
def models():
    q, kind = text_filter(), choice_filter("kind", PRODUCT_KINDS)
    status = choice_filter("status", ("current", "discontinued"))
    page = paginated(model_query(q, kind, status, bought_only=client_view()))
    counts = batch_counts(m.id for m in page.items)
    return render_template("catalogue/models.html", page=page, counts=counts, q=q, kind=kind, status=status,
                           kinds=labelled("kind", PRODUCT_KINDS))


@bp.route("/models/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_model():
    form = ModelForm()
    if form.validate_on_submit():
        try:
            model = create_model(form.values())
        except FieldErrors as error:
            show_field_errors(form, error)
        else:
            flash(_("Model %(code)s created.", code=model.code), "success")
            return redirect(url_for("catalogue.model", model_id=model.id))
    return render_template("catalogue/model_form.html", form=form, model=None)


@bp.get("/models/<int:model_id>")
@roles_required(*ANY_ROLE)
def model(model_id: int):
    product = get_model(model_id, bought_only=client_view())
    if product is None:
        abort(404)
    batches, total = latest(batch_query(model_id=product.id))
    return render_template("catalogue/model.html", model=product, batches=batches, batch_total=total)


@bp.route("/models/<int:model_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_model(model_id: int):
    product = get_model(model_id) or abort(404)
    form = ModelForm(obj=product)
    if form.validate_on_submit():
        try:
            update_model(product, form.values())
        except FieldErrors as error:
            show_field_errors(form, error)
        else:
            flash(_("Model %(code)s saved.", code=product.code), "success")
            return redirect(url_for("catalogue.model", model_id=product.id))
    return render_template("catalogue/model_form.html", form=form, model=product)


# --- batches --------------------------------------------------------------------------------

@bp.get("/batches")
@roles_required(*ANY_ROLE)
def batches():
    q = text_filter()
    model_id = request.args.get("model", type=int)
    product = get_model(model_id, bought_only=client_view()) if model_id else None
    part_id = request.args.get("part", type=int)
    part_used = db.session.get(Part, part_id) if part_id and not client_view() else None
    stmt = batch_query(q, product.id if product else None, bought_only=client_view(),
                       part_id=part_used.id if part_used else None)
    page = paginated(stmt)
    return render_template("catalogue/batches.html", page=page, q=q, model=product, part=part_used)


@bp.route("/batches/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_batch():
    form = BatchForm(models=model_choices())
    if request.method == "GET" and request.args.get("model", type=int):
        form.model_id.data = request.args.get("model", type=int)
    if form.validate_on_submit():
        try:
            batch = create_batch(form.values())
        except FieldErrors as error:
            show_field_errors(form, error)
        else:
            flash(_("Batch %(code)s created. Now record its material list.", code=batch.code), "success")
            return redirect(url_for("catalogue.batch", batch_id=batch.id))
    return render_template("catalogue/batch_form.html", form=form, batch=None)


def _batch_page(batch, materials_form=None):
    if materials_form is None and current_user.role in EDITORS:
        materials_form = MaterialsForm(formdata=None, data={m.category: m.part.number for m in batch.materials})
    return render_template("catalogue/batch.html", batch=batch, form=materials_form,
                           materials={m.category: m for m in batch.materials})


@bp.get("/batches/<int:batch_id>")
@roles_required(*ANY_ROLE)
def batch(batch_id: int):
    found = get_batch(batch_id, bought_only=client_view())
    if found is None:
        abort(404)
    return _batch_page(found)


@bp.post("/batches/<int:batch_id>/materials")
@roles_required(*EDITORS)
def batch_materials(batch_id: int):
    found = get_batch(batch_id) or abort(404)
    form = MaterialsForm()
    if form.validate_on_submit():
        try:
            set_materials(found, form.values())
        except FieldErrors as error:
            show_field_errors(form, error)
        else:
            flash(_("Material list of batch %(code)s saved.", code=found.code), "success")
            return redirect(url_for("catalogue.batch", batch_id=found.id))
    return _batch_page(found, form)


@bp.route("/batches/<int:batch_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_batch(batch_id: int):
    found = get_batch(batch_id) or abort(404)
    form = BatchForm(obj=found, models=model_choices())
    if form.validate_on_submit():
        try:
            update_batch(found, form.values())
        except FieldErrors as error:
            show_field_errors(form, error)
        else:
            flash(_("Batch %(code)s saved.", code=found.code), "success")
            return redirect(url_for("catalogue.batch", batch_id=found.id))
    return render_template("catalogue/batch_form.html", form=form, batch=found)


# --- parts ----------------------------------------------------------------------------------

@bp.get("/parts")
@roles_required(*STAFF)
def parts():
    q, category = text_filter(), choice_filter("category", PART_CATEGORIES)
    page = paginated(part_query(q, category))
    return render_template("catalogue/parts.html", page=page, q=q, category=category,
                           categories=labelled("category", PART_CATEGORIES))


@bp.route("/parts/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def new_part():
    form = PartForm()
    if request.method == "GET" and request.args.get("category") in PART_CATEGORIES:
        form.category.data = request.args["category"]
    if form.validate_on_submit():
        try:
            part = create_part(form.values())
        except FieldErrors as error:
            show_field_errors(form, error)
        else:
            flash(_("Part %(number)s created.", number=part.number), "success")
            return redirect(url_for("catalogue.part", part_id=part.id))
    return render_template("catalogue/part_form.html", form=form, part=None)


@bp.get("/parts/<int:part_id>")
@roles_required(*STAFF)
def part(part_id: int):
    found = db.get_or_404(Part, part_id)
    batches, total = latest(where_used(found.id))
    return render_template("catalogue/part.html", part=found, batches=batches, batch_total=total)


@bp.route("/parts/<int:part_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_part(part_id: int):
    found = db.get_or_404(Part, part_id)
    form = PartForm(obj=found)
    if form.validate_on_submit():
        try:
            update_part(found, form.values())
        except FieldErrors as error:
            show_field_errors(form, error)
        else:
            flash(_("Part %(number)s saved.", number=found.number), "success")
            return redirect(url_for("catalogue.part", part_id=found.id))
    return render_template("catalogue/part_form.html", form=form, part=found)
