"""Token auth for the API: POST /api/v1/auth/tokens, then `Authorization: Bearer <token>`."""
from __future__ import annotations

from functools import wraps

from flask import request
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from ..auth.services import authenticate, issue_token
from ..extensions import csrf

blp = Blueprint("api_auth", __name__, description="Authentication")
csrf.exempt(blp)


class CredentialsSchema(Schema):
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True)


class TokenSchema(Schema):
    token = fields.String(required=True)


@blp.route("/tokens")
class Tokens(MethodView):
    @blp.arguments(CredentialsSchema)
    @blp.response(201, TokenSchema)
    @blp.doc(security=[])
    def post(self, credentials):
        """Exchange an e-mail and password for a bearer token."""
        result = authenticate(credentials["email"], credentials["password"], request.remote_addr or "")
        if result.locked_minutes:
            abort(429, message=_("Too many failed sign-ins. Try again in %(n)d minutes.", n=result.locked_minutes))
        if result.user is None:
            abort(401, message=_("Wrong e-mail or password."))
        return {"token": issue_token(result.user)}


def api_roles(*roles: str):
    """A bearer token of a user with one of `roles` is required (401 without one, 403 for others)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401, message=_("A valid bearer token is required."))
            if current_user.role not in roles:
                abort(403, message=_("Your role does not allow this."))
            return view(*args, **kwargs)

        return wrapped

    return decorator
