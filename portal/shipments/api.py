"""The shipments API under /api/v1/shipments.

Reading is open to every role (client tokens see only their own company's shipments: another
client's id answers 404); creating and importing to after-sales staff and admins.
Errors follow flask-smorest: {"code", "status", "message", "errors"}. A rejected shipment
has its field errors under errors.json (lines by index: errors.json.lines."0".batch_code); a
rejected import has errors.rows = [{"row": n, "errors": [...]}] (the first 200 bad rows) and
errors.more_rows, or errors.file = [...] when the file as a whole is unusable.
"""
from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from ..api.auth import api_roles
from ..auth.access import ANY_ROLE
from ..catalogue.models import ProductModel
from ..extensions import csrf, db
from ..jobs.api import accepted, background_requested
from ..jobs.schemas import BackgroundSchema, JobSchema, background_field
from .importer import ImportFailed, import_shipments
from .jobs import start_import
from .models import Shipment
from .schemas import (
    ImportFileSchema,
    ImportResultSchema,
    SerialSchema,
    ShipmentInSchema,
    ShipmentQuerySchema,
    ShipmentSchema,
    ShipmentSummarySchema,
)
from .services import (
    CREATOR_ROLES,
    ShipmentFilters,
    ShipmentInput,
    ShipmentInvalid,
    create_shipment,
    get_shipment,
    paginate_rows,
    serial_counts,
    shipment_serials_query,
    shipments_query,
    totals_for,
)
from .validation import LineInput

blp = Blueprint("api_shipments", __name__, description="Shipments delivered to clients, with their serials")
csrf.exempt(blp)


def _summary(shipment: Shipment, totals) -> dict:
    data = {"id": shipment.id, "number": shipment.number, "ship_date": shipment.ship_date,
            "client_id": shipment.client_id, "client_code": shipment.client.code}
    if totals is not None:
        data.update(line_count=totals.lines, quantity=totals.quantity, value=totals.value, currency=totals.currency)
    else:
        data.update(line_count=0, quantity=0, value=0, currency=shipment.client.currency)
    return data


def _detail(shipment: Shipment) -> dict:
    counts = serial_counts(line.id for line in shipment.lines)
    data = _summary(shipment, totals_for([shipment.id]).get(shipment.id))
    data["serial_count"] = sum(counts.values())
    data["lines"] = [
        {"id": line.id, "model_id": line.model_id, "model_code": line.model.code, "batch_id": line.batch_id,
         "batch_code": line.batch.code if line.batch else None, "quantity": line.quantity,
         "unit_price": line.unit_price, "currency": line.currency, "value": line.quantity * line.unit_price,
         "serial_count": counts.get(line.id, 0)}
        for line in shipment.lines
    ]
    return data


def _string_keys(errors):
    if isinstance(errors, dict):
        return {str(k): _string_keys(v) for k, v in errors.items()}
    return errors


@blp.route("/")
class Shipments(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(ShipmentQuerySchema, location="query")
    @blp.response(200, ShipmentSummarySchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List shipments, newest first (filters: client, model, ship dates, number)."""
        model_id = args.get("model_id")
        if args.get("model_code"):
            model_id = db.session.scalar(select(ProductModel.id).where(ProductModel.code == args["model_code"])) or -1
        filters = ShipmentFilters(
            client_id=None if current_user.is_client else args.get("client_id"),
            model_id=model_id, date_from=args.get("date_from"), date_to=args.get("date_to"),
            number=args.get("number"),
        )
        page = db.paginate(shipments_query(filters), page=pagination_parameters.page,
                           per_page=pagination_parameters.page_size, error_out=False)
        pagination_parameters.item_count = page.total
        totals = totals_for(s.id for s in page.items)
        return [_summary(s, totals.get(s.id)) for s in page.items]

    @api_roles(*CREATOR_ROLES)
    @blp.arguments(ShipmentInSchema)
    @blp.response(201, ShipmentSchema)
    def post(self, data):
        """Create a shipment with its lines and serials (all or nothing)."""
        spec = ShipmentInput(
            number=data["number"], client_code=data["client_code"], ship_date=data["ship_date"],
            lines=[LineInput(model_code=line["model_code"], quantity=line["quantity"], unit_price=line["unit_price"],
                             currency=line["currency"], batch_code=line.get("batch_code"),
                             serials=[s.strip() for s in line["serials"] if s.strip()])
                   for line in data["lines"]],
        )
        try:
            shipment = create_shipment(spec)
        except ShipmentInvalid as exc:
            db.session.rollback()
            abort(422, message=_("The shipment was not created."), errors={"json": _string_keys(exc.errors)})
        db.session.commit()
        return _detail(get_shipment(shipment.id))


@blp.route("/<int:shipment_id>")
class ShipmentView(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, ShipmentSchema)
    def get(self, shipment_id: int):
        """One shipment with its lines and serial counts."""
        return _detail(get_shipment(shipment_id))


@blp.route("/<int:shipment_id>/serials")
class ShipmentSerials(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, SerialSchema(many=True))
    @blp.paginate(page_size=100, max_page_size=1000)
    def get(self, shipment_id: int, pagination_parameters):
        """The shipment's serials, in line order."""
        db.get_or_404(Shipment, shipment_id)
        rows, total = paginate_rows(shipment_serials_query(shipment_id), pagination_parameters.page,
                                    pagination_parameters.page_size)
        pagination_parameters.item_count = total
        return [{"serial": serial, "line_id": line_id, "model_code": code} for serial, line_id, code in rows]


class ShipmentUploadSchema(ImportFileSchema):
    background = background_field()


@blp.route("/import")
class ShipmentImport(MethodView):
    @api_roles(*CREATOR_ROLES)
    @blp.arguments(ShipmentUploadSchema, location="files")
    @blp.arguments(BackgroundSchema, location="query")
    @blp.response(201, ImportResultSchema)
    @blp.alt_response(202, schema=JobSchema, description="background=true: the import job, queued (Location: the job).")
    @blp.alt_response(422, description="Nothing imported: errors.rows lists the bad rows, errors.file a bad file.")
    def post(self, files, query):
        """Import shipments from a CSV or XLSX file (one row per line): every row, or none.

        By default the file is imported within the request (201 with the counts). With
        background=true (query parameter or form field) only the file's header is checked at
        once (422 with errors.file when unusable); the import then runs as a background job:
        202 with the job and a Location header to GET /api/v1/jobs/{job_id}, whose result ends
        with the counts (ok true) or the bad rows (ok false; nothing imported)."""
        upload = files["file"]
        if background_requested(query):
            return accepted(start_import(upload.stream, upload.filename or ""))
        try:
            result = import_shipments(upload.stream, upload.filename or "")
        except ImportFailed as exc:
            db.session.rollback()
            abort(422, message=exc.message, errors=exc.as_dict())
        db.session.commit()
        return result.as_dict()

