"""Warranty look-up API: GET /api/v1/warranty/<serial>, POST /api/v1/warranty/lookup."""
from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint, abort
from flask_smorest.error_handler import ErrorSchema

from ..api.auth import api_roles
from ..auth.access import ANY_ROLE
from ..extensions import csrf
from . import services
from .schemas import (
    LookupRequestSchema,
    LookupResponseSchema,
    StatusOnSchema,
    WarrantyResultSchema,
    dump_lookup,
)

blp = Blueprint(
    "api_warranty", __name__,
    description="Warranty look-up by serial number. A client's token sees only its own serials; "
                "another client's serial is reported exactly like an unknown one.",
)
csrf.exempt(blp)


@blp.route("/lookup")
class Lookup(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(LookupRequestSchema)
    @blp.response(200, LookupResponseSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(403, response="FORBIDDEN")
    def post(self, args):
        """Look up many serials at once (at most 10,000; 422 beyond, and nothing is looked up).

        Results keep the order asked; duplicates are reported once; serials nobody shipped to
        you come back with `found: false`."""
        results = services.lookup(args["serials"], on=args["on"])
        on = results[0].on if results else args["on"] or services.local_today()
        return jsonify(dump_lookup(results, on))  # LookupResponseSchema, dumped by hand for speed


@blp.route("/<string:serial>")
class OneSerial(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(StatusOnSchema, location="query")
    @blp.response(200, WarrantyResultSchema)
    @blp.alt_response(401, response="UNAUTHORIZED")
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, schema=ErrorSchema, description="Unknown serial, or not shipped to you.")
    def get(self, args, serial):
        """The warranty of one unit, per part category, on a date (default today)."""
        result = services.lookup([serial], on=args["on"])
        if not result or not result[0].found:
            abort(404, message=_("No unit with this serial number was found."))
        return result[0]
