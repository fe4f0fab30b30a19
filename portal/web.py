"""What every page shares: error pages, security headers, navigation."""
from __future__ import annotations

from flask import render_template, request
from werkzeug.exceptions import HTTPException

from .extensions import api

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)


def init_web(app) -> None:
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
