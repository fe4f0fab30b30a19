"""Who the request is, and what roles may do: the one place that sets the tenant."""
from __future__ import annotations

from functools import wraps

from flask import abort, g, request
from flask_login import current_user

from ..extensions import db, login_manager
from ..tenancy import set_tenant
from .models import User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id))


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def identify_request() -> None:
    """Runs before every request: resolves the user (API: bearer token only, never the
    session cookie, so the API needs no CSRF token) and confines a client user to its company."""
    set_tenant(None)
    if request.path.startswith("/api/"):
        from .services import user_for_token

        token = bearer_token()
        g._login_user = user_for_token(token) if token else None
        if g._login_user is None:
            from flask_login import AnonymousUserMixin

            g._login_user = AnonymousUserMixin()
    user = current_user
    if user.is_authenticated and user.is_client:
        set_tenant(user.client_id)


def roles_required(*roles: str):
    """Allow only signed-in users with one of `roles` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


STAFF = ("staff", "quality", "finance", "admin")
ANY_ROLE = ("client_admin", "client_user") + STAFF
