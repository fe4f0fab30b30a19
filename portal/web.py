"""What every page shares: error pages, security headers, navigation."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException, UnprocessableEntity
from werkzeug.routing import IntegerConverter

from .extensions import api

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)

MAX_ID = 2**31 - 1  # the largest value of an INTEGER column (PostgreSQL)


class IdConverter(IntegerConverter):
    """`<int:...>` in every URL: an identifier no INTEGER column can hold is a 404, not a
    database error."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def bound_ids(app) -> None:
    """Before any blueprint is registered: URL identifiers within the range of the database."""
    app.url_map.converters["int"] = IdConverter


def init_web(app) -> None:
    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def out_of_range(error):
        # A number in a query or a body beyond what the database stores: the request's fault.
        from .extensions import db

        db.session.rollback()
        refusal = UnprocessableEntity(description=str(_l("A number is out of range.")))
        refusal.data = {"message": refusal.description}  # flask-smorest's JSON carries it
        return http_error(refusal)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        # flask-smorest answers JSON for the API; people get a page in their language.
        if request.path.startswith("/api/"):
            return api.handle_http_exception(error)
        if error.code is None or error.code < 400:
            return error
        return render_template("error.html", error=error), error.code

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CSP)
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response

    from .labels import label
    from .navigation import menu, nav_items

    app.jinja_env.globals.update(
        nav_items=nav_items, menu=menu, label=label, role_label=lambda code: label("role", code)
    )
