"""The main menu: each entry names the endpoint and the roles that see it.
Capabilities add their entries here, so the menu stays one list."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .auth.access import ANY_ROLE, STAFF

CLIENT_ADMIN_AND_STAFF_ADMIN = ("client_admin", "admin")


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    roles: tuple[str, ...]
    icon: str = ""


NAV = [
    NavItem("main.index", _l("Home"), ANY_ROLE, "house"),
    NavItem("warranty.lookup", _l("Warranty look-up"), ANY_ROLE, "shield-check"),
    NavItem("shipments.index", _l("Shipments"), ANY_ROLE, "truck"),
    NavItem("catalogue.models", _l("Catalogue"), ANY_ROLE, "grid"),
    NavItem("clients.index", _l("Clients"), STAFF, "building"),
    NavItem("settlements.index", _l("Settlements"), ("finance", "admin", "client_admin", "client_user"), "receipt"),
    NavItem("schemes.mine", _l("Warranty scheme"), ("client_admin", "client_user"), "file-earmark-check"),
    NavItem("schemes.index", _l("Contracts"), ("admin", "finance"), "file-earmark-text"),
    NavItem("schemes.admin", _l("Schemes"), ("admin",), "puzzle"),
    NavItem("users.index", _l("Users"), CLIENT_ADMIN_AND_STAFF_ADMIN, "people"),
]


def nav_items():
    if not current_user.is_authenticated:
        return []
    from flask import current_app

    known = current_app.view_functions
    return [
        (item, url_for(item.endpoint))
        for item in NAV
        if current_user.role in item.roles and item.endpoint in known
    ]
