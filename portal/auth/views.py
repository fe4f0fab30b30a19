from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db
from .forms import LanguageForm, LoginForm, PasswordChangeForm
from .services import authenticate

bp = Blueprint("auth", __name__, template_folder="templates")


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: never redirect to another host after signing in."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return default


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(form.email.data, form.password.data, request.remote_addr or "")
        if result.locked_minutes:
            flash(_("Too many failed sign-ins. Try again in %(n)d minutes.", n=result.locked_minutes), "danger")
        elif result.user is None:
            flash(_("Wrong e-mail or password."), "danger")
        else:
            session.clear()
            login_user(result.user)
            return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("The current password is wrong."))
        else:
            current_user.set_password(form.new.data)
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/password.html", form=form)


@bp.post("/language")
def set_language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))
