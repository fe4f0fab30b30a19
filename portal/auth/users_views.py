"""Pages for managing users: an administrator manages everyone; a client administrator the
users of its own company (the tenancy hook hides every other user from it: 404)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..clients.services import FieldErrors, client_choices, get_client
from ..extensions import db
from ..listing import choice_filter, labelled, paginated, text_filter
from .access import roles_required
from .models import User
from .users_forms import SetPasswordForm, UserCreateForm, UserEditForm
from .users_services import (
    NotAllowed, check_may_manage, create_user, manageable_roles, set_password, update_user, user_query,
)

bp = Blueprint("users", __name__, template_folder="templates", url_prefix="/users")
MANAGERS = ("admin", "client_admin")


def _form_options() -> dict:
    return {
        "roles": manageable_roles(current_user),
        "clients": client_choices() if current_user.role == "admin" else None,
    }


def _show_errors(form, error: FieldErrors) -> None:
    for name, message in error.errors.items():
        if name in form:
            form[name].errors = list(form[name].errors) + [message]
        else:
            form.form_errors.append(message)


def _managed_user(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    try:
        check_may_manage(current_user, user)
    except NotAllowed:
        abort(404)
    return user


@bp.get("")
@roles_required(*MANAGERS)
def index():
    q, role = text_filter(), choice_filter("role", manageable_roles(current_user))
    active = request.args.get("active", "")
    client = None
    if current_user.role == "admin":
        client_id = request.args.get("client", type=int)
        client = get_client(client_id) if client_id else None
    page = paginated(user_query(q, role, client.id if client else None, active))
    return render_template("users/index.html", page=page, q=q, role=role, active=active, client=client,
                           roles=labelled("role", manageable_roles(current_user)))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def new():
    form = UserCreateForm(**_form_options())
    if request.method == "GET":
        preset = request.args.get("client", type=int)
        if "client_id" in form and preset:
            form.client_id.data = preset
            form.role.data = "client_user"
        elif current_user.role == "client_admin":
            form.role.data = "client_user"
    if form.validate_on_submit():
        try:
            user = create_user(current_user, form.values(), form.password.data)
        except FieldErrors as error:
            _show_errors(form, error)
        else:
            flash(_("User %(email)s created.", email=user.email), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=None)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def edit(user_id: int):
    user = _managed_user(user_id)
    form = UserEditForm(obj=user, **_form_options())
    if form.validate_on_submit():
        try:
            update_user(current_user, user, form.values())
        except FieldErrors as error:
            _show_errors(form, error)
        else:
            flash(_("User %(email)s saved.", email=user.email), "success")
            return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user)


@bp.route("/<int:user_id>/password", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def password(user_id: int):
    user = _managed_user(user_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        set_password(current_user, user, form.new.data)
        flash(_("A new password has been set for %(email)s.", email=user.email), "success")
        return redirect(url_for("users.index"))
    return render_template("users/password.html", form=form, user=user)

