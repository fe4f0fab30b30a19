"""The clients' own part numbers (and descriptions in their language), printed on labels."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth.access import STAFF, roles_required
from ..clients.models import Client
from ..extensions import db
from .forms import ClientNumberForm
from .models import ClientPartNumber
from .numbers import save_client_number
from .views import WRITERS, _int, bp


@bp.route("/client-numbers", methods=["GET", "POST"])
@roles_required(*STAFF)
def client_numbers():
    form = ClientNumberForm()
    clients = db.session.scalars(select(Client).order_by(Client.code)).all()
    form.client.choices = [("", _("Choose a client"))] + [(str(c.id), f"{c.code} · {c.name}") for c in clients]
    if request.method == "POST":
        if current_user.role not in WRITERS:
            abort(403)
        if form.validate_on_submit():
            try:
                save_client_number(_int(form.client.data) or 0, form.part_number.data, form.number.data,
                                   form.description.data, user=current_user)
                db.session.commit()
                flash(_("The client's part number is saved."), "success")
                return redirect(url_for("parts.client_numbers"))
            except ValueError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
    query = (select(ClientPartNumber).options(joinedload(ClientPartNumber.part), joinedload(ClientPartNumber.client))
             .order_by(ClientPartNumber.client_id, ClientPartNumber.number))
    page = db.paginate(query, per_page=current_app.config["PAGE_SIZE"])
    return render_template("parts/client_numbers.html", form=form, page=page,
                           can_write=current_user.role in WRITERS), (422 if form.errors else 200)
