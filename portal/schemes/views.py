"""Pages of warranty schemes, offers and contracts.

- administrators enable or disable the installed schemes;
- administrators and finance offer schemes to a client, confirm or decline its choice;
- the client administrator compares its open offers on its own last year and chooses one;
- every user of a client sees its current contract and the history (read-only).
"""
from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..audit import record
from ..auth.access import STAFF, roles_required
from ..clients.models import Client
from ..db import utcnow
from ..extensions import db
from ..i18n import current_locale, date_
from .comparison import candidates_for, compare
from .forms import ActionForm, DeclineForm, OfferForm, SchemeSwitchForm
from .models import Contract, Offer, SchemeSetting
from .offers import (
    OfferConflict,
    OfferInvalid,
    choose_offer,
    confirm_offer,
    contracts_query,
    create_offer,
    decline_offer,
    offers_query,
    open_offers,
    withdraw_offer,
)
from . import services
from .registry import current_schemes
from .services import contract_for, contract_history
from .terms_form import TermsForm, summarise

bp = Blueprint("schemes", __name__, template_folder="templates", url_prefix="/schemes")

MANAGERS = ("admin", "finance")  # make offers, confirm or decline choices
CLIENT_ROLES = ("client_admin", "client_user")


def today() -> date:
    return services.today()


def scheme_name(key: str) -> str:
    registry = current_schemes()
    return registry.info(key).name(current_locale()) if registry.is_installed(key) else key


def terms_summary(key: str, terms: dict) -> list[tuple[str, str]]:
    registry = current_schemes()
    if not registry.is_installed(key):
        return [(k, json.dumps(v, ensure_ascii=False)) for k, v in (terms or {}).items()]
    return summarise(registry.info(key), terms, current_locale())


@bp.context_processor
def scheme_helpers():
    return {"scheme_name": scheme_name, "terms_summary": terms_summary}


# --- administration of the installed schemes ----------------------------------------------

@bp.get("/admin")
@roles_required("admin")
def admin():
    registry = current_schemes()
    settings = registry.settings()
    in_force = dict(db.session.execute(
        select(Contract.scheme_key, func.count(Contract.id))
        .where(Contract.starts_on <= today())
        .where((Contract.ends_on.is_(None)) | (Contract.ends_on >= today()))
        .group_by(Contract.scheme_key)).all())
    missing = sorted(key for key in in_force if not registry.is_installed(key))
    return render_template("schemes/admin.html", infos=registry.installed(), settings=settings,
                           in_force=in_force, missing=missing, form=SchemeSwitchForm())


@bp.post("/admin/<key>")
@roles_required("admin")
def switch(key: str):
    registry = current_schemes()
    if not registry.is_installed(key):
        abort(404)
    form = SchemeSwitchForm()
    if not form.validate_on_submit():
        abort(400)
    setting = db.session.get(SchemeSetting, key) or SchemeSetting(key=key)
    setting.enabled = form.enabled.data == "1"
    setting.updated_by_id = current_user.id
    setting.updated_at = utcnow()
    db.session.add(setting)
    record("scheme.enable" if setting.enabled else "scheme.disable", f"scheme:{key}")
    db.session.commit()
    name = registry.info(key).name(current_locale())
    if setting.enabled:
        flash(_("%(name)s is enabled: it can be offered to clients.", name=name), "success")
    else:
        flash(_("%(name)s is disabled: it can no longer be offered; existing contracts keep "
                "settling.", name=name), "info")
    return redirect(url_for("schemes.admin"))


# --- contracts and offers, for the ODM ----------------------------------------------------

@bp.get("/contracts")
@roles_required(*STAFF)
def index():
    client_id = request.args.get("client", type=int)
    waiting = db.session.scalars(offers_query(statuses=("chosen",))).all()
    page = db.paginate(contracts_query(client_id), per_page=current_app.config["PAGE_SIZE"])
    clients = db.session.execute(select(Client.id, Client.code, Client.name).order_by(Client.code)).all()
    return render_template("schemes/index.html", waiting=waiting, page=page, clients=clients,
                           client_id=client_id, today=today())


# --- one client's scheme: contract, history, offers ----------------------------------------

@bp.get("/mine")
@roles_required(*CLIENT_ROLES)
def mine():
    return _client_page(current_user.client_id)


@bp.get("/clients/<int:client_id>")
@roles_required(*STAFF, *CLIENT_ROLES)
def client(client_id: int):
    return _client_page(client_id)


def _client_page(client_id: int):
    the_client = db.get_or_404(Client, client_id)
    # a client user sees the contract only; the client administrator decides on offers
    offers = [] if current_user.role == "client_user" else db.session.scalars(offers_query(client_id)).all()
    return render_template(
        "schemes/client.html", client=the_client, current=contract_for(client_id, today()),
        history=contract_history(client_id), offers=offers, action=ActionForm(),
        registry=current_schemes(), locale=current_locale(), today=today())


@bp.get("/clients/<int:client_id>/compare")
@roles_required(*STAFF, "client_admin")
def comparison(client_id: int):
    the_client = db.get_or_404(Client, client_id)
    offers = open_offers(client_id)
    current = contract_for(client_id, today())
    result = compare(the_client, candidates_for(offers, current), today(), current_locale())
    chart = {
        "labels": [_period_label(p, result.kind) for p in result.buckets],
        "datasets": [{"label": f"{run.candidate.label} · {run.name} ({run.candidate.currency})",
                      "data": [float(v) if v is not None else None for v in run.buckets]}
                     for run in result.runs if run.error is None],
    }
    return render_template("schemes/compare.html", client=the_client, comparison=result,
                           chart=json.dumps(chart, ensure_ascii=False), offers=offers,
                           action=ActionForm(), period_label=_period_label)


def _period_label(period, kind: str) -> str:
    """The locale's own month and quarter patterns (CLDR skeletons): "Mar 2025" but "2025年3月",
    "Q1 2025" but "2025年第1季度", not a fixed English word order."""
    from babel.dates import format_skeleton

    return format_skeleton("yQQQ" if kind == "quarter" else "yMMM", period.start, locale=current_locale())


@bp.route("/clients/<int:client_id>/offers/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new_offer(client_id: int):
    the_client = db.get_or_404(Client, client_id)
    registry = current_schemes()
    enabled = registry.enabled()
    key = request.values.get("scheme_key") or request.args.get("scheme") or ""
    info = registry.infos.get(key) if key in {i.key for i in enabled} else None
    form = OfferForm()
    if request.method == "GET":
        form.currency.data = the_client.currency
        form.period_kind.data = "month"
    terms_form = None
    if info is not None:
        form.scheme_key.data = info.key
        terms_form = TermsForm(info, formdata=request.form if request.method == "POST" else None)
    elif key and request.method == "POST":
        flash(_("This scheme is not enabled; an administrator must enable it first."), "danger")
    if request.method == "POST" and info is not None:
        valid_fields = form.validate_on_submit()
        valid_terms = terms_form.validate()
        if valid_fields and valid_terms:
            try:
                offer = create_offer(the_client, info.key, terms_form.data, form.currency.data,
                                     form.period_kind.data, current_user)
            except OfferInvalid as error:
                _show_offer_errors(form, terms_form, error)
            else:
                db.session.commit()
                flash(_("Offer %(n)s made to %(client)s.", n=offer.id, client=the_client.name), "success")
                return redirect(url_for("schemes.client", client_id=client_id))
    status = 422 if request.method == "POST" else 200
    return render_template("schemes/offer_form.html", client=the_client, schemes=enabled,
                           info=info, form=form, terms=terms_form, locale=current_locale()), status


def _show_offer_errors(form, terms_form, error: OfferInvalid) -> None:
    for name, messages in error.errors.items():
        if name == "terms":
            terms_form.add_marshmallow_errors(messages)
        elif name in form:
            form[name].errors = list(form[name].errors) + list(messages)
        else:
            terms_form.form_errors.extend(messages)


def _offer_or_404(offer_id: int) -> Offer:
    return db.get_or_404(Offer, offer_id)


def _act(offer: Offer, action):
    """Run a decision on ``offer`` (``action`` returns the message of its success); a refusal
    rolls back and says why."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        success = action()
    except OfferConflict as error:
        db.session.rollback()
        flash(error.message, "danger")
    except OfferInvalid as error:
        db.session.rollback()
        flash(_flatten(error.errors), "danger")
    else:
        db.session.commit()
        flash(success, "success")
    return redirect(url_for("schemes.client", client_id=offer.client_id))


def _flatten(errors) -> str:
    from .terms_form import _walk

    return " ".join(str(message) for _path, message in _walk(errors))


@bp.post("/offers/<int:offer_id>/choose")
@roles_required("client_admin")
def choose(offer_id: int):
    offer = _offer_or_404(offer_id)

    def action():
        choose_offer(offer, current_user)
        return _("You chose %(name)s. The ODM will confirm it; the contract then starts on the "
                 "next period boundary.", name=scheme_name(offer.scheme_key))

    return _act(offer, action)


@bp.post("/offers/<int:offer_id>/confirm")
@roles_required(*MANAGERS)
def confirm(offer_id: int):
    offer = _offer_or_404(offer_id)

    def action():
        contract = confirm_offer(offer, current_user, today())
        return _("Confirmed: the contract starts on %(day)s.", day=date_(contract.starts_on))

    return _act(offer, action)


@bp.route("/offers/<int:offer_id>/decline", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def decline(offer_id: int):
    offer = _offer_or_404(offer_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            decline_offer(offer, current_user, form.reason.data)
        except OfferConflict as error:
            db.session.rollback()
            flash(error.message, "danger")
            return redirect(url_for("schemes.client", client_id=offer.client_id))
        except OfferInvalid as error:
            form.reason.errors = list(form.reason.errors) + list(error.errors.get("reason", []))
        else:
            db.session.commit()
            flash(_("The client's choice is declined."), "info")
            return redirect(url_for("schemes.client", client_id=offer.client_id))
    status = 422 if request.method == "POST" else 200
    return render_template("schemes/decline.html", offer=offer, form=form), status


@bp.post("/offers/<int:offer_id>/withdraw")
@roles_required(*MANAGERS)
def withdraw(offer_id: int):
    offer = _offer_or_404(offer_id)

    def action():
        withdraw_offer(offer, current_user)
        return _("The offer is withdrawn.")

    return _act(offer, action)
