"""/api/v1/models, /api/v1/batches, /api/v1/parts.

Internal roles read everything; after-sales staff and administrators write. A client user
reads the models it bought and their batches (another model or batch: 404); parts are internal.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..api.auth import api_roles
from ..auth.access import ANY_ROLE, STAFF
from ..api.schemas import abort_with_field_errors
from ..clients.services import FieldErrors
from ..extensions import csrf, db
from .models import Part
from .schemas import (
    BatchInSchema, BatchQuerySchema, BatchSchema, BatchUpdateSchema, ModelQuerySchema, ModelSchema,
    ModelUpdateSchema, PartQuerySchema, PartSchema, PartUpdateSchema,
)
from .services import (
    batch_query, create_batch, create_model, create_part, get_batch, get_model, model_query, part_query,
    update_batch, update_model, update_part,
)

blp = Blueprint("api_catalogue", __name__, description="Catalogue: product models, production batches, parts")
csrf.exempt(blp)
EDITORS = ("staff", "admin")


def _client_view() -> bool:
    return current_user.is_client


def _page(stmt, pagination_parameters):
    page = db.paginate(stmt, page=pagination_parameters.page, per_page=pagination_parameters.page_size,
                       error_out=False)
    pagination_parameters.item_count = page.total
    return page.items


# --- models ---------------------------------------------------------------------------------

@blp.route("/models")
class Models(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(ModelQuerySchema, location="query")
    @blp.response(200, ModelSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List models by code (a client user: the models it bought); filter by q, kind, status."""
        stmt = model_query(args["q"], args["kind"], args["status"], bought_only=_client_view())
        return _page(stmt, pagination_parameters)

    @api_roles(*EDITORS)
    @blp.arguments(ModelSchema)
    @blp.response(201, ModelSchema)
    def post(self, data):
        """Create a model (after-sales staff, administrators)."""
        try:
            return create_model(data)
        except FieldErrors as error:
            abort_with_field_errors(error)


@blp.route("/models/<int:model_id>")
class ModelById(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, ModelSchema)
    def get(self, model_id):
        """One model."""
        return get_model(model_id, bought_only=_client_view()) or abort(404)

    @api_roles(*EDITORS)
    @blp.arguments(ModelUpdateSchema(partial=True))
    @blp.response(200, ModelSchema)
    def patch(self, data, model_id):
        """Change some fields of a model."""
        model = get_model(model_id) or abort(404)
        try:
            return update_model(model, data)
        except FieldErrors as error:
            abort_with_field_errors(error)


# --- batches --------------------------------------------------------------------------------

def _materials_in(data: dict) -> tuple[dict[str, str] | None, dict[str, int]]:
    """The `materials` list of a request as {category: part number}, and each category's index."""
    if "materials" not in data:
        return None, {}
    items = data.pop("materials") or []
    return ({m["category"]: m["part_number"] for m in items},
            {m["category"]: i for i, m in enumerate(items)})


def _abort_batch(error: FieldErrors, index: dict[str, int]) -> None:
    """Errors on materials go under errors.json.materials.<index>.part_number, like marshmallow's."""
    errors, materials = {}, {}
    for name, message in error.errors.items():
        if name in index:
            materials[index[name]] = {"part_number": [message]}
        else:
            errors[name] = [message]
    if materials:
        errors["materials"] = materials
    abort(422, message=_("The data sent is not valid."), errors={"json": errors})


@blp.route("/batches")
class Batches(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(BatchQuerySchema, location="query")
    @blp.response(200, BatchSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List batches, newest first, each with its material list (a client user: the batches
        of the models it bought); filter by q, model_id, part_id."""
        stmt = batch_query(args["q"], args["model_id"], bought_only=_client_view(), part_id=args["part_id"])
        return _page(stmt, pagination_parameters)

    @api_roles(*EDITORS)
    @blp.arguments(BatchInSchema)
    @blp.response(201, BatchSchema)
    def post(self, data):
        """Create a batch, with its material list (`materials`: category and part number)."""
        materials, index = _materials_in(data)
        try:
            return create_batch(data, materials)
        except FieldErrors as error:
            _abort_batch(error, index)


@blp.route("/batches/<int:batch_id>")
class BatchById(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, BatchSchema)
    def get(self, batch_id):
        """One batch with its material list."""
        return get_batch(batch_id, bought_only=_client_view()) or abort(404)

    @api_roles(*EDITORS)
    @blp.arguments(BatchUpdateSchema(partial=True))
    @blp.response(200, BatchSchema)
    def patch(self, data, batch_id):
        """Change some fields of a batch; `materials`, when given, replace the whole list."""
        batch = get_batch(batch_id) or abort(404)
        materials, index = _materials_in(data)
        try:
            return update_batch(batch, data, materials)
        except FieldErrors as error:
            _abort_batch(error, index)


# --- parts ----------------------------------------------------------------------------------

@blp.route("/parts")
class Parts(MethodView):
    @api_roles(*STAFF)
    @blp.arguments(PartQuerySchema, location="query")
    @blp.response(200, PartSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List parts by number; filter by q (number or description) and category."""
        return _page(part_query(args["q"], args["category"]), pagination_parameters)

    @api_roles(*EDITORS)
    @blp.arguments(PartSchema)
    @blp.response(201, PartSchema)
    def post(self, data):
        """Create a part (after-sales staff, administrators)."""
        try:
            return create_part(data)
        except FieldErrors as error:
            abort_with_field_errors(error)


@blp.route("/parts/<int:part_id>")
class PartById(MethodView):
    @api_roles(*STAFF)
    @blp.response(200, PartSchema)
    def get(self, part_id):
        """One part."""
        return db.get_or_404(Part, part_id)

    @api_roles(*EDITORS)
    @blp.arguments(PartUpdateSchema(partial=True))
    @blp.response(200, PartSchema)
    def patch(self, data, part_id):
        """Change some fields of a part."""
        part = db.get_or_404(Part, part_id)
        try:
            return update_part(part, data)
        except FieldErrors as error:
            abort_with_field_errors(error)
