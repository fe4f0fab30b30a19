"""RMA pages: list, new request, detail with timeline and actions, diagnosis of a unit,
work queues per group, printed documents, price lists."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..auth.access import ANY_ROLE, roles_required
from ..clients.models import Client
from ..db import utcnow
from ..extensions import db
from ..listing import labelled, paginated
from ..labels import label
from ..network.models import AuthorisedStation
from ..warranty.services import local_today
from . import documents, services, states, workflow
from .forms import ActionForm, DiagnoseForm, PriceListForm, RmaForm
from .models import Rma, RmaLine, RmaPriceList
from .requests import RmaInvalid, RmaRequest, create_rma

bp = Blueprint("rma", __name__, template_folder="templates", url_prefix="/rma")
TEAM = workflow.STAFF_ROLES
REQUESTERS = ("client_admin", "client_user") + TEAM


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except (TypeError, ValueError):
        return None


@bp.app_template_global()
def rma_duration(delta) -> str:
    return services.duration_text(delta)


@bp.get("/")
@roles_required(*ANY_ROLE)
def index():
    internal = not current_user.is_client
    status = request.args.get("status") if request.args.get("status") in states.STATES else None
    destination = request.args.get("destination") if request.args.get("destination") in services.QUEUES else None
    filters = services.RmaFilters(status=status, destination=destination,
                                  client_id=_int(request.args.get("client")) if internal else None,
                                  number=(request.args.get("q") or "").strip() or None)
    page = paginated(services.rmas_query(filters))
    clients = db.session.scalars(select(Client).order_by(Client.code)).all() if internal else []
    return render_template("rma/index.html", page=page, internal=internal, now=utcnow(), filters=filters,
                           client_options=[(c.id, f"{c.code} · {c.name}") for c in clients],
                           queue_options=labelled("rma_destination", services.QUEUES),
                           status_options=labelled("rma_status", states.STATES), queues=services.QUEUES,
                           can_request=current_user.role in REQUESTERS)


def _stations():
    today = local_today()
    stations = db.session.scalars(select(AuthorisedStation).order_by(AuthorisedStation.code)).all()
    return [s for s in stations if s.authorised_on(today)]


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*REQUESTERS)
def new():
    form = RmaForm()
    internal = not current_user.is_client
    clients = db.session.scalars(select(Client).where(Client.active).order_by(Client.code)).all() if internal else []
    form.client.choices = [(str(c.id), f"{c.code} · {c.name}") for c in clients]
    form.station.choices = [("", _("None"))] + [(str(s.id), f"{s.code} · {s.name} ({s.city})") for s in _stations()]
    status = 200
    if form.validate_on_submit():
        read = form.read_serials()
        client_id = current_user.client_id if not internal else _int(form.client.data)
        if read is not None and client_id is None:
            form.client.errors = [_("Choose the client.")]
        elif read is not None:
            serials, sources = read
            spec = RmaRequest(client_id=client_id, kind=form.kind.data, destination=form.destination.data,
                              serials=serials, sources=sources, fault_description=form.fault_description.data or "",
                              suspected_cause=form.suspected_cause.data or None, station_id=_int(form.station.data))
            try:
                rma = create_rma(spec, user=current_user)
            except RmaInvalid as exc:
                db.session.rollback()
                for name, messages in exc.errors.items():
                    target = {"station_id": "station"}.get(name, name)
                    getattr(form, target).errors = list(messages)
            else:
                db.session.commit()
                flash(_("Repair return %(number)s has been requested.", number=rma.number), "success")
                return redirect(url_for("rma.detail", rma_id=rma.id))
    if form.is_submitted():
        status = 422
    return render_template("rma/new.html", form=form, internal=internal), status


def _load(rma_id: int) -> Rma:
    return services.get_rma(rma_id)


@bp.get("/<int:rma_id>")
@roles_required(*ANY_ROLE)
def detail(rma_id: int, action_form=None, failed_action=None, diagnose_forms=None):
    rma = _load(rma_id)
    staff = current_user.role in TEAM
    diagnose_forms = diagnose_forms or {}
    if staff and rma.status == "received":
        for line in rma.lines:
            if line.receipt == "received" and line.id not in diagnose_forms:
                diagnose_forms[line.id] = DiagnoseForm(formdata=None, prefix=f"l{line.id}",
                                                       fault_cause=line.fault_cause or rma.suspected_cause or "normal_failure",
                                                       repair_level=line.repair_level or "", outcome=line.outcome or "repair")
    return render_template(
        "rma/detail.html", rma=rma, actions=workflow.actions_for(current_user, rma), staff=staff,
        form=action_form or ActionForm(formdata=None), failed_action=failed_action,
        diagnose_forms=diagnose_forms, stages=services.stages(rma), now=utcnow(),
        total=workflow.total_charge(rma)), (422 if failed_action or any(f.errors for f in diagnose_forms.values()) else 200)


@bp.post("/<int:rma_id>/act/<action>")
@roles_required(*ANY_ROLE)
def act(rma_id: int, action: str):
    rma = _load(rma_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    data = {"note": form.note.data, "reason": form.reason.data, "carrier": form.carrier.data,
            "tracking": form.tracking.data, "serials": (form.serials.data or "").replace(",", "\n").split()}
    try:
        transition = workflow.perform(rma, action, current_user, **data)
    except workflow.TransitionRefused as exc:
        flash(exc.message, "danger")
        if exc.field and hasattr(form, exc.field):
            getattr(form, exc.field).errors = [exc.message]
        return detail(rma_id, action_form=form, failed_action=action)
    flash(_("%(number)s: %(status)s.", number=rma.number, status=label("rma_status", transition.target)), "success")
    return redirect(url_for("rma.detail", rma_id=rma.id))


@bp.post("/<int:rma_id>/lines/<int:line_id>/diagnosis")
@roles_required(*TEAM)
def diagnose(rma_id: int, line_id: int):
    rma = _load(rma_id)
    line = next((ln for ln in rma.lines if ln.id == line_id), None)
    if line is None:
        abort(404)
    form = DiagnoseForm(prefix=f"l{line.id}")
    parts = form.parsed_parts() if form.validate_on_submit() else None
    if parts is not None:
        try:
            workflow.diagnose_line(line, workflow.Diagnosis(form.fault_cause.data, form.repair_level.data or None,
                                                            form.outcome.data, parts, form.note.data or ""),
                                   current_user)
        except workflow.TransitionRefused as exc:
            db.session.rollback()
            target = getattr(form, exc.field, None) if exc.field else None
            (target or form.note).errors = [exc.message]
        else:
            db.session.commit()
            flash(_("%(serial)s diagnosed.", serial=line.serial), "success")
            return redirect(url_for("rma.detail", rma_id=rma_id, _anchor=f"line-{line_id}"))
    return detail(rma_id, diagnose_forms={line_id: form})


@bp.get("/<int:rma_id>/packing-list.pdf")
@roles_required(*ANY_ROLE)
def packing_list(rma_id: int):
    rma = _load(rma_id)
    return Response(documents.packing_list_pdf(rma), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{rma.number}-packing-list.pdf"'})


def _line(rma: Rma, line_id: int) -> RmaLine:
    line = next((ln for ln in rma.lines if ln.id == line_id and ln.diagnosed_at is not None), None)
    if line is None:
        abort(404)
    return line


@bp.get("/<int:rma_id>/lines/<int:line_id>/report")
@roles_required(*ANY_ROLE)
def report(rma_id: int, line_id: int):
    rma = _load(rma_id)
    line = _line(rma, line_id)
    return render_template("rma/report.html", rma=rma, line=line, pdf=False,
                           barcode=documents.barcode_data_uri(rma.number))


@bp.get("/<int:rma_id>/lines/<int:line_id>/report.pdf")
@roles_required(*ANY_ROLE)
def report_pdf(rma_id: int, line_id: int):
    rma = _load(rma_id)
    line = _line(rma, line_id)
    return Response(documents.repair_report_pdf(rma, line), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{rma.number}-{line.serial}.pdf"'})


@bp.get("/queue")
@roles_required(*TEAM)
def queue():
    group = request.args.get("group", "unit_repair")
    if group not in services.QUEUES:
        abort(404)
    page = paginated(services.queue_query(group))
    counts = dict(db.session.execute(
        select(Rma.destination, func.count()).where(Rma.status.in_(states.STAFF_STATES)).group_by(Rma.destination)).all())
    return render_template("rma/queue.html", page=page, group=group, queues=services.QUEUES, counts=counts, now=utcnow())


@bp.route("/prices", methods=["GET", "POST"])
@roles_required(*TEAM)
def prices():
    lists = db.session.scalars(select(RmaPriceList).order_by(RmaPriceList.currency)).all()
    form = PriceListForm()
    if request.method == "POST":
        if current_user.role != "admin":
            abort(403)
        if form.validate_on_submit():
            found = next((p for p in lists if p.currency == form.currency.data), None)
            if found is None:
                found = RmaPriceList(currency=form.currency.data)
                db.session.add(found)
            found.labour_l1, found.labour_l2, found.labour_l3 = form.labour_l1.data, form.labour_l2.data, form.labour_l3.data
            found.cny_rate, found.parts_markup = form.cny_rate.data, form.parts_markup.data or 0
            from .. import audit

            audit.record("rma.price_list", f"rma_price_list:{found.currency}", currency=found.currency)
            db.session.commit()
            flash(_("The %(currency)s price list has been saved.", currency=found.currency), "success")
            return redirect(url_for("rma.prices"))
    return render_template("rma/prices.html", lists=lists, form=form,
                           can_edit=current_user.role == "admin"), 422 if form.errors else 200
