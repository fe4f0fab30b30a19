"""The notices page (client users) and the unread count shown in the navbar."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.access import roles_required
from ..extensions import db
from .models import Notice
from .services import mark_all_read, mark_read, notices_query, unread_count

bp = Blueprint("notices", __name__, url_prefix="/notices", template_folder="templates")
CLIENT_ROLES = ("client_admin", "client_user")


@bp.app_context_processor
def _navbar_count():
    def unread_notices() -> int:
        if not current_user.is_authenticated or not current_user.is_client:
            return 0
        return unread_count()

    return {"unread_notices": unread_notices}


@bp.route("/")
@roles_required(*CLIENT_ROLES)
def index():
    unread_only = request.args.get("unread") == "1"
    page = db.paginate(notices_query(unread_only), per_page=current_app.config["PAGE_SIZE"])
    return render_template("notices/index.html", page=page, unread_only=unread_only)


@bp.route("/<int:notice_id>/open", methods=["POST"])
@roles_required(*CLIENT_ROLES)
def open_notice(notice_id: int):
    notice = db.get_or_404(Notice, notice_id)
    mark_read(notice, current_user)
    db.session.commit()
    return redirect(notice.link or url_for("notices.index"))


@bp.route("/read-all", methods=["POST"])
@roles_required(*CLIENT_ROLES)
def read_all():
    n = mark_all_read(current_user, current_user.client_id)
    db.session.commit()
    flash(_("%(n)s notices marked as read.", n=n), "success")
    return redirect(url_for("notices.index"))
