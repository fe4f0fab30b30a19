"""Issue 11: every route of the URL map, for every client role, with another client's
identifiers, answers 403/404/405 and shows none of that client's data."""
from __future__ import annotations

import pytest

from .conftest import SHARED_ARGS, mapping_key, resolve
from .routes import INT_RULES, api_rule, methods_of, is_int

CLIENT_ROLES = ("client_user", "client_admin")


def _request(client, method, url, api, headers=None):
    if method == "GET":
        return client.get(url, headers=headers)
    if api:
        return client.open(url, method=method, json={}, headers=headers)
    return client.open(url, method=method, data={}, headers=headers)


def test_every_integer_argument_has_a_mapping(world):
    unmapped = sorted({f"{rule.endpoint}:{arg}" for rule in INT_RULES for arg in rule.arguments
                       if mapping_key(rule.endpoint, arg) is None and not _string_arg(rule, arg)})
    assert not unmapped, f"routes whose URL arguments the security sweep cannot map: {unmapped}"


def _string_arg(rule, arg):
    return not is_int(rule._converters[arg])


@pytest.mark.parametrize("rule", INT_RULES, ids=lambda r: f"{r.endpoint}")
def test_another_clients_identifiers_answer_404(world, signed_in, tokens, rule):
    int_args = sorted((a for a in rule.arguments if not _string_arg(rule, a)), key=rule.rule.index)
    values, unmapped = resolve(world, rule.endpoint, int_args)
    assert not unmapped
    for arg in rule.arguments:
        values.setdefault(arg, "x" if _string_arg(rule, arg) else 0)
    shared = any(mapping_key(rule.endpoint, a) in SHARED_ARGS for a in int_args)
    with world.app.test_request_context():
        url = world.app.url_map.bind("localhost").build(rule.endpoint, values, method=next(iter(methods_of(rule))))
    api = api_rule(rule)
    for role in CLIENT_ROLES:
        client = world.app.test_client() if api else signed_in[role]
        headers = {"Authorization": f"Bearer {tokens[role]}"} if api else None
        for method in methods_of(rule):
            response = _request(client, method, url, api, headers)
            body = response.get_data(as_text=True)
            where = f"{role} {method} {url}"
            assert response.status_code < 500, where
            # The API validates a JSON body before it looks the record up: an empty body is a 422
            # that discloses nothing (the body is still checked below).
            allowed = (403, 404, 405, 422) if api and method != "GET" else (403, 404, 405)
            if not shared:
                assert response.status_code in allowed, f"{where} -> {response.status_code}"
            leaked = [s for s in world.secrets if s in body]
            assert not leaked, f"{where} shows another client's data: {leaked}"


def test_the_sweep_has_something_to_find(world):
    assert len(INT_RULES) > 80
    assert len(world.secrets) >= 10  # the other clients' codes and names, numbers, file names
