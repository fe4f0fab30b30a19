"""The spare-parts API under /api/v1/parts: orders (clients see and place their own; staff
see all and may order for a client) and the stock look-up (internal only: 403 for clients)."""
from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint, abort

from ..api.auth import api_roles
from ..auth.access import ANY_ROLE, STAFF
from ..clients.models import Client
from ..extensions import csrf, db
from .orders import LineSpec, OrderInvalid, create_order, get_order, orders_query
from .schemas import OrderInSchema, OrderSchema, StockQuerySchema, StockSchema
from .stock import balances_query
from .views_orders import ORDERERS

blp = Blueprint("api_parts", __name__, description="Spare-part orders and after-sales stock")
csrf.exempt(blp)


@blp.route("/orders")
class Orders(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, OrderSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Spare-part orders, newest first (a client sees its own)."""
        page = db.paginate(orders_query(), page=pagination_parameters.page,
                           per_page=pagination_parameters.page_size, error_out=False)
        pagination_parameters.item_count = page.total
        return page.items

    @api_roles(*ORDERERS)
    @blp.arguments(OrderInSchema)
    @blp.response(201, OrderSchema)
    def post(self, data):
        """Place an order: each line by `part_number`, or by `batch_code` (and `model_code`) and `category`."""
        client_id = current_user.client_id if current_user.is_client else data.get("client_id")
        if client_id is None or db.session.get(Client, client_id) is None:
            abort(422, message=_("The order was not placed."), errors={"json": {"client_id": [_("Choose a client.")]}})
        specs = [LineSpec(**line) for line in data["lines"]]
        try:
            order = create_order(client_id, specs, user=current_user, note=data["note"])
        except OrderInvalid as error:
            db.session.rollback()
            errors = {"lines": {str(i): messages for i, messages in error.errors.items()}} if error.errors else {
                "lines": [error.message]}
            abort(422, message=_("The order was not placed."), errors={"json": errors})
        db.session.commit()
        return get_order(order.id)


@blp.route("/orders/<int:order_id>")
class OrderView(MethodView):
    @api_roles(*ANY_ROLE)
    @blp.response(200, OrderSchema)
    def get(self, order_id: int):
        """One order with its lines, what is shipped and what is on backorder."""
        return get_order(order_id)


@blp.route("/stock")
class Stock(MethodView):
    @api_roles(*STAFF)
    @blp.arguments(StockQuerySchema, location="query")
    @blp.response(200, StockSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Stock on hand per part and location (internal users only)."""
        page = db.paginate(balances_query(args.get("part_number"), args.get("location_id")),
                           page=pagination_parameters.page, per_page=pagination_parameters.page_size,
                           error_out=False)
        pagination_parameters.item_count = page.total
        return page.items
