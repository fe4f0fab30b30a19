"""Pages of the service network: stations (this module), the Hong Kong service point, on-site
service, technical questions and station performance (the views_* modules, same blueprint)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import ANY_ROLE, STAFF, roles_required
from ..clients.models import Client
from ..clients.services import client_choices
from ..extensions import db
from ..labels import choices
from ..listing import paginated, text_filter
from ..audit import record
from .errors import NetworkError
from .forms import ClientStationForm, region_choices
from .models import REGIONS, AuthorisedStation, ClientStation
from .stations import CAPABILITIES, client_station_query, save_client_station, station_query

bp = Blueprint("network", __name__, template_folder="templates", url_prefix="/network")
NETWORK_STAFF = ("staff", "quality", "admin")  # after-sales work: stations, service point, questions
EDITORS = ("staff", "admin")
CLIENT_ROLES = ("client_admin", "client_user")


def per_page() -> int:
    return current_app.config["PAGE_SIZE"]


def today() -> date:
    return date.today()


def show_error(form, error: NetworkError) -> None:
    """Put a service's refusal beside its field (or above the form)."""
    if error.field and error.field in form:
        form[error.field].errors = list(form[error.field].errors) + [error.message]
    else:
        form.form_errors.append(error.message)


@bp.context_processor
def network_globals():
    return {"capabilities": CAPABILITIES, "regions": REGIONS}


@bp.get("/")
@roles_required(*ANY_ROLE)
def index():
    """The service network at a glance, with the way to each of its pages."""
    from sqlalchemy import func

    from .onsite_models import OnsiteVisit
    from .question_models import TechQuestion
    from .stations import authorised_on_clause

    count = lambda stmt: db.session.scalar(select(func.count()).select_from(stmt.subquery()))  # noqa: E731
    figures = {
        "visits_open": count(select(OnsiteVisit.id).where(OnsiteVisit.status.in_(("requested", "scheduled", "completed")))),
        "questions_open": count(select(TechQuestion.id).where(TechQuestion.status != "answered")),
        "client_stations": count(select(ClientStation.id)),
    }
    if not current_user.is_client:
        figures["stations_active"] = count(select(AuthorisedStation.id).where(
            authorised_on_clause(today()), AuthorisedStation.is_service_point.is_(False)))
    return render_template("network/index.html", figures=figures)


# --- authorised stations --------------------------------------------------------------------

@bp.get("/stations")
@roles_required(*STAFF)
def stations():
    # station_query ignores an unknown region, capability or status
    region, capability = request.args.get("region", ""), request.args.get("capability", "")
    status, q = request.args.get("status", ""), text_filter()
    page = paginated(station_query(region, capability, q, status, today=today()))
    return render_template("network/stations.html", page=page, region=region, capability=capability,
                           status=status, q=q, today=today(), region_choices=choices("region"))


@bp.get("/stations/<int:station_id>")
@roles_required(*STAFF)
def station(station_id: int):
    found = db.get_or_404(AuthorisedStation, station_id)
    return render_template("network/station.html", station=found, today=today())


# --- clients' stations ----------------------------------------------------------------------

def _may_edit_client_stations() -> bool:
    return current_user.role in ("client_admin",) + EDITORS


@bp.get("/client-stations")
@roles_required(*ANY_ROLE)
def client_stations():
    region, q = request.args.get("region", ""), text_filter()
    client_id = request.args.get("client", type=int) if not current_user.is_client else None
    page = paginated(client_station_query(client_id, region, q))
    names = dict(db.session.execute(select(Client.id, Client.name).where(
        Client.id.in_({s.client_id for s in page.items}))).all()) if page.items else {}
    return render_template("network/client_stations.html", page=page, region=region, q=q, client_id=client_id,
                           clients=[] if current_user.is_client else client_choices(), names=names,
                           can_edit=_may_edit_client_stations(), region_choices=choices("region"))


def _client_station_form(station: ClientStation | None):
    form = ClientStationForm(obj=station)
    form.region.choices = region_choices()
    form.client_id.choices = [(None, _("Choose a client"))] + client_choices()
    return form


@bp.route("/client-stations/new", methods=["GET", "POST"])
@roles_required("client_admin", *EDITORS)
def new_client_station():
    return _edit_client_station(None)


@bp.route("/client-stations/<int:station_id>/edit", methods=["GET", "POST"])
@roles_required("client_admin", *EDITORS)
def edit_client_station(station_id: int):
    return _edit_client_station(db.get_or_404(ClientStation, station_id))


def _edit_client_station(station: ClientStation | None):
    form = _client_station_form(station)
    if form.validate_on_submit():
        if current_user.is_client:
            client_id = current_user.client_id
        else:
            client_id = station.client_id if station else form.client_id.data
            if not client_id or db.session.get(Client, client_id) is None:
                form.client_id.errors = [_("Choose a client.")]
                return render_template("network/client_station_form.html", form=form, station=station)
        try:
            saved = save_client_station(station, client_id, form.values())
            record("network.client_station.save", saved, code=saved.code)
        except NetworkError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(_("Station %(code)s saved.", code=saved.code), "success")
            return redirect(url_for("network.client_stations"))
    return render_template("network/client_station_form.html", form=form, station=station)


from . import views_onsite, views_performance, views_questions, views_service_point  # noqa: E402,F401
