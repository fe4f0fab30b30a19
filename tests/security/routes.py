"""The URL map, read once, for the security sweeps."""
from __future__ import annotations

from werkzeug.routing import IntegerConverter

from portal import create_app



def is_int(converter) -> bool:
    return isinstance(converter, IntegerConverter)


_APP = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "routes"})
RULES = sorted(_APP.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))
INT_RULES = [r for r in RULES if any(is_int(c) for c in r._converters.values())]
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}


def methods_of(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def api_rule(rule) -> bool:
    return rule.rule.startswith("/api/")
