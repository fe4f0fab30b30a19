"""Issue 11: anonymous requests are sent to sign in (pages) or refused with 401 (API), and the
ODM's internal pages answer 403 to client roles — over every route of the URL map."""
from __future__ import annotations

import pytest

from portal.auth.access import STAFF

from .routes import RULES, api_rule, methods_of, is_int

# /language: the language switch of the sign-in page (it only sets the visitor's session language).
PUBLIC = ("/login", "/healthz", "/static/", "/api/v1/auth/tokens", "/api/v1/openapi.json", "/language")
CLIENT_ROLES = ("client_user", "client_admin")
PROTECTED = [r for r in RULES if not r.rule.startswith(PUBLIC)]


def build(app, rule) -> str:
    values = {a: (1 if is_int(c) else _string_value(c)) for a, c in rule._converters.items()}
    return app.url_map.bind("localhost").build(rule.endpoint, values, method=methods_of(rule)[0])


def _string_value(converter) -> str:
    items = getattr(converter, "items", None)  # any(csv, xlsx)
    return sorted(items)[0] if items else "x"


def send(client, method, url, api, headers=None):
    kwargs = {"json": {}} if api and method != "GET" else ({"data": {}} if method != "GET" else {})
    return client.open(url, method=method, headers=headers, **kwargs)


@pytest.mark.parametrize("rule", PROTECTED, ids=lambda r: r.endpoint)
def test_anonymous_requests_must_sign_in(world, rule):
    client = world.app.test_client()
    url = build(world.app, rule)
    for method in methods_of(rule):
        response = send(client, method, url, api_rule(rule))
        if api_rule(rule):
            assert response.status_code == 401, f"{method} {url} -> {response.status_code}"
        else:
            assert response.status_code == 302, f"{method} {url} -> {response.status_code}"
            assert "/login" in response.headers["Location"], f"{method} {url}"


def required_roles(app, rule) -> set[str] | None:
    """The roles a view's `roles_required`/`api_roles` decorator allows (None if it has none)."""
    view = app.view_functions[rule.endpoint]
    functions = [view]
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        functions = [getattr(view_class, m.lower()) for m in methods_of(rule) if hasattr(view_class, m.lower())]
    found: set[str] = set()
    for function in functions:
        roles = _roles_in(function)
        if roles is None:
            return None
        found |= roles
    return found


def _roles_in(function) -> set[str] | None:
    while function is not None:
        for cell in function.__closure__ or ():
            value = cell.cell_contents
            if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value) \
                    and set(value) <= set(STAFF) | set(CLIENT_ROLES):
                return set(value)
        function = getattr(function, "__wrapped__", None)
    return None




def test_internal_routes_are_found(world):
    internal = [r for r in PROTECTED if (roles := required_roles(world.app, r)) and not roles & set(CLIENT_ROLES)]
    assert len(internal) > 40, "the role decorators could not be read: the internal-route sweep would be empty"


@pytest.mark.parametrize("rule", PROTECTED, ids=lambda r: r.endpoint)
def test_internal_routes_refuse_client_roles(world, signed_in, tokens, rule):
    roles = required_roles(world.app, rule)
    if not roles or roles & set(CLIENT_ROLES):
        return  # open to clients: covered by the tenancy sweep
    url = build(world.app, rule)
    api = api_rule(rule)
    for role in CLIENT_ROLES:
        client = world.app.test_client() if api else signed_in[role]
        headers = {"Authorization": f"Bearer {tokens[role]}"} if api else None
        for method in methods_of(rule):
            response = send(client, method, url, api, headers)
            assert response.status_code == 403, f"{role} {method} {url} -> {response.status_code}"
