"""Pages for brand clients: internal roles read, administrators create and edit."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..auth.access import STAFF, roles_required
from ..auth.models import User
from ..extensions import db
from ..listing import choice_filter, labelled, paginated, text_filter
from .forms import ClientForm
from .models import MARKETS, Client
from .services import FieldErrors, client_query, create_client, update_client

bp = Blueprint("clients", __name__, template_folder="templates", url_prefix="/clients")


def show_field_errors(form, error: FieldErrors) -> None:
    for name, message in error.errors.items():
        form[name].errors = list(form[name].errors) + [message]


@bp.get("")
@roles_required(*STAFF)
def index():
    q, market, active = text_filter(), choice_filter("market", MARKETS), request.args.get("active", "")
    page = paginated(client_query(q, market, active))
    return render_template("clients/index.html", page=page, q=q, market=market, active=active,
                           markets=labelled("market", MARKETS))


@bp.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def new():
    form = ClientForm()
    if form.validate_on_submit():
        try:
            client = create_client(form.values())
        except FieldErrors as error:
            show_field_errors(form, error)
        else:
            flash(_("Client %(code)s created.", code=client.code), "success")
            return redirect(url_for("clients.detail", client_id=client.id))
    return render_template("clients/form.html", form=form, client=None)


@bp.get("/<int:client_id>")
@roles_required(*STAFF)
def detail(client_id: int):
    client = db.get_or_404(Client, client_id)
    users = db.session.scalar(select(func.count(User.id)).where(User.client_id == client.id))
    return render_template("clients/detail.html", client=client, user_count=users)


@bp.route("/<int:client_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit(client_id: int):
    client = db.get_or_404(Client, client_id)
    form = ClientForm(obj=client)
    if form.validate_on_submit():
        try:
            update_client(client, form.values())
        except FieldErrors as error:
            show_field_errors(form, error)
        else:
            flash(_("Client %(code)s saved.", code=client.code), "success")
            return redirect(url_for("clients.detail", client_id=client.id))
    return render_template("clients/form.html", form=form, client=client)
