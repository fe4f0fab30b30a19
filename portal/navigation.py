"""The main menu: each entry names the endpoint and the roles that see it.
Capabilities add their entries here, so the menu stays one list."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import request, url_for
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
    NavItem("documents.index", _l("Documents"), ANY_ROLE, "journal-text"),
    NavItem("clients.index", _l("Clients"), STAFF, "building"),
    NavItem("claims.index", _l("Claims"), ("client_admin", "client_user", "staff", "admin", "quality", "finance"), "tools"),
    NavItem("settlements.index", _l("Settlements"), ("finance", "admin", "client_admin", "client_user"), "receipt"),
    NavItem("schemes.mine", _l("Warranty scheme"), ("client_admin", "client_user"), "file-earmark-check"),
    NavItem("schemes.index", _l("Contracts"), ("admin", "finance"), "file-earmark-text"),
    NavItem("schemes.admin", _l("Schemes"), ("admin",), "puzzle"),
    NavItem("parts.orders", _l("Spare parts"), ("client_admin", "client_user"), "box-seam"),
    NavItem("parts.stock", _l("Spare parts"), STAFF, "box-seam"),
    NavItem("rma.index", _l("Repair returns"), ANY_ROLE, "arrow-repeat"),
    NavItem("refurbish.index", _l("Refurbishment"), ANY_ROLE, "stars"),
    NavItem("complaints.index", _l("Complaints"), ("client_admin", "client_user", "staff", "quality", "admin"), "chat-square-text"),
    NavItem("dashboard.index", _l("Dashboard"), ANY_ROLE, "speedometer2"),
    NavItem("warnings.index", _l("Early warnings"), ("quality", "staff", "admin"), "exclamation-triangle"),
    NavItem("network.index", _l("Service network"), ANY_ROLE, "geo-alt"),
    NavItem("users.index", _l("Users"), CLIENT_ADMIN_AND_STAFF_ADMIN, "people"),
    NavItem("jobs.index", _l("Background work"), ANY_ROLE, "hourglass-split"),
    NavItem("audit.index", _l("Audit log"), ("admin",), "clipboard-check"),
]


# The menu bar groups the entries so it fits a laptop screen; an entry whose endpoint is in
# no group stands on its own. A group with one visible entry shows as that entry.
GROUPS = [
    ("service", _l("After-sales"), (
        "warranty.lookup", "rma.index", "refurbish.index", "claims.index", "parts.orders",
        "parts.stock", "network.index", "documents.index",
    )),
    ("business", _l("Business"), (
        "shipments.index", "catalogue.models", "settlements.index", "schemes.mine", "schemes.index",
    )),
    ("quality", _l("Quality"), ("complaints.index", "warnings.index", "dashboard.index")),
    ("admin", _l("Administration"), (
        "clients.index", "users.index", "schemes.admin", "jobs.index", "audit.index",
    )),
]


@dataclass
class MenuEntry:
    label: object
    href: str = "#"
    icon: str = ""
    active: bool = False
    children: list = field(default_factory=list)  # a dropdown when not empty


def nav_items():
    """The entries the current user may see, with their URLs, in menu order."""
    if not current_user.is_authenticated:
        return []
    from flask import current_app

    known = current_app.view_functions
    return [
        (item, url_for(item.endpoint))
        for item in NAV
        if current_user.role in item.roles and item.endpoint in known
    ]


def _is_active(href: str) -> bool:
    return request.path == href or (href != "/" and request.path.startswith(href))


def menu() -> list[MenuEntry]:
    """The menu bar: single entries and dropdown groups (a group of one is a single entry)."""
    grouped = {endpoint: (key, label) for key, label, endpoints in GROUPS for endpoint in endpoints}
    entries, groups = [], {}
    for item, href in nav_items():
        entry = MenuEntry(item.label, href, item.icon, _is_active(href))
        key, label = grouped.get(item.endpoint, (None, None))
        if key is None:
            entries.append(entry)
        elif key not in groups:
            groups[key] = MenuEntry(label, children=[entry])
            entries.append(groups[key])
        else:
            groups[key].children.append(entry)
    for group in groups.values():
        group.active = any(child.active for child in group.children)
    return [e.children[0] if len(e.children) == 1 else e for e in entries]
