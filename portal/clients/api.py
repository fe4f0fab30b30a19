"""/api/v1/clients: internal roles read every client, administrators create and change them;
a client user reads its own client only (the tenancy hook hides every other: 404)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from ..api.auth import api_roles
from ..auth.access import ANY_ROLE
from ..extensions import csrf, db
from .models import Client
from ..api.schemas import abort_with_field_errors
from .schemas import ClientQuerySchema, ClientSchema, ClientUpdateSchema
from .services import FieldErrors, client_query, create_client, update_client

blp = Blueprint("api_clients", __name__, description="Brand clients")
csrf.exempt(blp)


@blp.route("")
class Clients(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.arguments(ClientQuerySchema, location="query")
    @blp.response(200, ClientSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """List clients (a client user sees only its own), by code; filter by q, market, active."""
        active = {True: "yes", False: "no", None: ""}[args["active"]]
        page = db.paginate(client_query(args["q"], args["market"], active),
                           page=pagination_parameters.page, per_page=pagination_parameters.page_size,
                           error_out=False)
        pagination_parameters.item_count = page.total
        return page.items

    @api_roles("admin")
    @blp.arguments(ClientSchema)
    @blp.response(201, ClientSchema)
    def post(self, data):
        """Create a client (administrators)."""
        try:
            return create_client(data)
        except FieldErrors as error:
            abort_with_field_errors(error)


@blp.route("/<int:client_id>")
class ClientById(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, ClientSchema)
    def get(self, client_id):
        """One client."""
        return db.get_or_404(Client, client_id)

    @api_roles("admin")
    @blp.arguments(ClientUpdateSchema(partial=True))
    @blp.response(200, ClientSchema)
    def patch(self, data, client_id):
        """Change some fields of a client (administrators)."""
        client = db.get_or_404(Client, client_id)
        try:
            return update_client(client, data)
        except FieldErrors as error:
            abort_with_field_errors(error)
