"""The RMA API under /api/v1/rma: create, list, get with its timeline, diagnose a unit and
take a step (the same state machine as the pages). Client tokens see their own RMAs only."""
from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..api.auth import api_roles
from ..auth.access import ANY_ROLE
from ..extensions import csrf, db
from . import services, workflow
from .requests import RmaInvalid, RmaRequest, create_rma
from .schemas import DiagnosisInSchema, RmaInSchema, RmaQuerySchema, RmaSchema, RmaSummarySchema, TransitionInSchema

blp = Blueprint("api_rma", __name__, description="Repair returns (RMA): request, follow, and move through their steps")
csrf.exempt(blp)
REQUESTERS = ("client_admin", "client_user") + workflow.STAFF_ROLES


def _summary(rma) -> dict:
    return {"id": rma.id, "number": rma.number, "client_id": rma.client_id, "client_code": rma.client.code,
            "kind": rma.kind, "destination": rma.destination, "station_id": rma.station_id, "status": rma.status,
            "currency": rma.currency, "units": rma.line_count, "requested_at": rma.created_at,
            "status_changed_at": rma.status_changed_at, "closed_at": rma.closed_at,
            "turnaround_hours": round(services.age(rma).total_seconds() / 3600, 1)}


def _detail(rma) -> dict:
    data = _summary(rma)
    data.update(
        fault_description=rma.fault_description, suspected_cause=rma.suspected_cause, quote_total=rma.quote_total,
        carrier=rma.carrier, tracking=rma.tracking, return_carrier=rma.return_carrier,
        return_tracking=rma.return_tracking, decline_reason=rma.decline_reason,
        lines=[dict(id=ln.id, serial=ln.serial, category=ln.category, model_code=ln.model.code if ln.model else None,
                    ship_date=ln.ship_date, in_warranty=ln.in_warranty, warranty_ends_on=ln.warranty_ends_on,
                    receipt=ln.receipt, fault_cause=ln.fault_cause, repair_level=ln.repair_level, outcome=ln.outcome,
                    charge_rule=ln.charge_rule, labour=ln.labour, parts_amount=ln.parts_amount, charge=ln.charge,
                    parts=[dict(part_number=p.part.number, quantity=p.quantity, unit_price=p.unit_price,
                                amount=p.amount) for p in ln.parts])
               for ln in rma.lines],
        timeline=list(rma.events),
        next_actions=[t.action for t in workflow.actions_for(current_user, rma)],
    )
    return data


@blp.route("/")
class Rmas(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(RmaQuerySchema, location="query")
    @blp.response(200, RmaSummarySchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List RMAs, newest first."""
        filters = services.RmaFilters(status=args.get("status"), destination=args.get("destination"),
                                      client_id=None if current_user.is_client else args.get("client_id"),
                                      number=args.get("number"))
        page = db.paginate(services.rmas_query(filters), page=pagination_parameters.page,
                           per_page=pagination_parameters.page_size, error_out=False)
        pagination_parameters.item_count = page.total
        return [_summary(r) for r in page.items]

    @api_roles(*REQUESTERS)
    @blp.arguments(RmaInSchema)
    @blp.response(201, RmaSchema)
    def post(self, data):
        """Request an RMA: every serial is checked (all or nothing)."""
        client_id = current_user.client_id if current_user.is_client else data.get("client_id")
        if client_id is None:
            abort(422, message=_("The RMA was not created."), errors={"json": {"client_id": [_("Choose the client.")]}})
        spec = RmaRequest(client_id=client_id, kind=data["kind"], destination=data["destination"],
                          serials=data["serials"], fault_description=data["fault_description"],
                          suspected_cause=data.get("suspected_cause"), station_id=data.get("station_id"))
        try:
            rma = create_rma(spec, user=current_user)
        except RmaInvalid as exc:
            db.session.rollback()
            abort(422, message=_("The RMA was not created."), errors={"json": exc.errors})
        db.session.commit()
        return _detail(services.get_rma(rma.id))


@blp.route("/<int:rma_id>")
class RmaView(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, RmaSchema)
    def get(self, rma_id: int):
        """One RMA with its units, charges and timeline."""
        return _detail(services.get_rma(rma_id))


@blp.route("/<int:rma_id>/transitions")
class RmaTransitions(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(TransitionInSchema)
    @blp.response(200, RmaSchema)
    @blp.alt_response(409, description="The step is not allowed from the current state (nothing changed).")
    def post(self, data, rma_id: int):
        """Take a step (approve, decline, ship, receive, quote, accept, reject, repair, repackage,
        ship_back, close). Clients may ship, accept and reject; the rest is staff's."""
        rma = services.get_rma(rma_id)
        action = data.pop("action")
        try:
            workflow.perform(rma, action, current_user, **data)
        except workflow.TransitionRefused as exc:
            abort(409, message=exc.message, errors={"json": {exc.field or "action": [exc.message]}})
        return _detail(services.get_rma(rma_id))


@blp.route("/<int:rma_id>/diagnoses")
class RmaDiagnoses(MethodView):
    @api_roles(*workflow.STAFF_ROLES)
    @blp.arguments(DiagnosisInSchema)
    @blp.response(200, RmaSchema)
    def post(self, data, rma_id: int):
        """Record the diagnosis of one received unit (the last one moves the RMA to diagnosed)."""
        rma = services.get_rma(rma_id)
        line = next((ln for ln in rma.lines if ln.id == data["line_id"]), None)
        if line is None:
            abort(404)
        try:
            parts = [(str(p.get("part_number", "")), p.get("quantity", 1)) for p in data["parts"]]
            workflow.diagnose_line(line, workflow.Diagnosis(data["fault_cause"], data.get("repair_level"),
                                                            data["outcome"], parts, data.get("note") or ""),
                                   current_user)
        except workflow.TransitionRefused as exc:
            db.session.rollback()
            abort(422, message=exc.message, errors={"json": {exc.field or "line_id": [exc.message]}})
        db.session.commit()
        return _detail(services.get_rma(rma_id))


