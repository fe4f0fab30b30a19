"""Pre-authorisation pages (on the claims blueprint): the client's requests and the team's decisions."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..auth.access import roles_required
from ..clients.models import Client
from ..extensions import db
from ..labels import label
from ..network.models import ClientStation
from .forms import PreAuthDecisionForm, PreAuthForm
from .models import PREAUTH_STATUSES, PreAuthorisation
from .preauth import PreAuthInvalid, decide_preauth, request_preauth
from .review import TEAM_ROLES, ReviewError
from .services import CLIENT_ROLES, ClaimsInvalid, intake_context
from .views import VIEW_ROLES, bp


@bp.get("/preauthorisations")
@roles_required(*VIEW_ROLES)
def preauths():
    status = request.args.get("status")
    stmt = select(PreAuthorisation).options(joinedload(PreAuthorisation.client), joinedload(PreAuthorisation.station))
    if status in PREAUTH_STATUSES:
        stmt = stmt.where(PreAuthorisation.status == status)
    page = db.paginate(stmt.order_by(PreAuthorisation.id.desc()), per_page=current_app.config["PAGE_SIZE"])
    return render_template("claims/preauths.html", page=page, status=status, statuses=PREAUTH_STATUSES,
                           internal=not current_user.is_client, can_request=current_user.role in CLIENT_ROLES)


@bp.route("/preauthorisations/new", methods=["GET", "POST"])
@roles_required(*CLIENT_ROLES)
def new_preauth():
    client = db.get_or_404(Client, current_user.client_id)
    try:
        ctx = intake_context(client)
    except ClaimsInvalid as exc:
        return render_template("claims/no_contract.html", messages=exc.general), 409
    form = PreAuthForm()
    form.set_choices(db.session.scalars(select(ClientStation).where(
        ClientStation.client_id == client.id, ClientStation.active).order_by(ClientStation.code)).all())
    if form.validate_on_submit():
        try:
            preauth = request_preauth(client.id, ctx.contract.currency, form.to_input(), current_user)
        except PreAuthInvalid as exc:
            db.session.rollback()
            for name, messages in exc.errors.items():
                form[name].errors = list(form[name].errors) + messages
        else:
            db.session.commit()
            flash(_("Pre-authorisation %(ref)s has been requested.", ref=preauth.ref), "success")
            return redirect(url_for("claims.preauth_detail", preauth_id=preauth.id))
    return render_template("claims/preauth_new.html", form=form, contract=ctx.contract), 422 if form.errors else 200


def _get(preauth_id: int) -> PreAuthorisation:
    return db.one_or_404(select(PreAuthorisation).where(PreAuthorisation.id == preauth_id).options(
        joinedload(PreAuthorisation.client), joinedload(PreAuthorisation.station)))


@bp.get("/preauthorisations/<int:preauth_id>")
@roles_required(*VIEW_ROLES)
def preauth_detail(preauth_id: int, form=None, status=200):
    preauth = _get(preauth_id)
    return render_template("claims/preauth_detail.html", preauth=preauth, form=form or PreAuthDecisionForm(),
                           can_decide=current_user.role in TEAM_ROLES and preauth.status == "pending"), status


@bp.post("/preauthorisations/<int:preauth_id>/decision")
@roles_required(*TEAM_ROLES)
def preauth_decide(preauth_id: int):
    preauth = _get(preauth_id)
    form = PreAuthDecisionForm()
    action = request.form.get("action")
    if action not in ("approve", "decline"):
        abort(400)
    try:
        decide_preauth(preauth, current_user, action == "approve", form.comment.data)
    except ReviewError as exc:
        db.session.rollback()
        form.comment.errors = [exc.message]
        return preauth_detail(preauth_id, form=form, status=422)
    db.session.commit()
    flash(_("Pre-authorisation %(ref)s: %(status)s.", ref=preauth.ref, status=label("preauth_status", preauth.status)),
          "success")
    return redirect(url_for("claims.preauth_detail", preauth_id=preauth.id))
