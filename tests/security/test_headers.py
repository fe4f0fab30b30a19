"""Issue 11: the security headers are on pages, API answers, files and errors alike."""
from __future__ import annotations

import pytest

SAMPLE = [
    ("anonymous", "GET", "/login", 200),
    ("anonymous", "GET", "/healthz", 200),
    ("anonymous", "GET", "/static/portal.css", None),
    ("anonymous", "GET", "/claims/", 302),
    ("anonymous", "GET", "/api/v1/openapi.json", 200),
    ("anonymous", "GET", "/api/v1/claims/", 401),
    ("anonymous", "GET", "/no-such-page", 404),
    ("client_user", "GET", "/", 200),
    ("client_user", "GET", "/shipments/", 200),
    ("client_user", "GET", "/users", 403),
    ("client_user", "GET", "/claims/999999", 404),
    ("client_admin", "GET", "/warranty", 200),
    ("staff", "GET", "/rma/queue", 200),
    ("admin", "GET", "/admin/audit", 200),
    ("admin", "GET", "/dashboard/export.xlsx", 200),
    ("admin", "POST", "/notices/read-all", None),
    ("client_user", "API", "/api/v1/shipments/", 200),
    ("client_user", "API", "/api/v1/users-do-not-exist", 404),
    ("client_user", "API", "/api/v1/claims/999999", 404),
]


@pytest.mark.parametrize(("role", "method", "path", "status"), SAMPLE)
def test_security_headers_everywhere(world, signed_in, tokens, role, method, path, status):
    if method == "API":
        response = world.app.test_client().get(path, headers={"Authorization": f"Bearer {tokens[role]}"})
    else:
        client = world.app.test_client() if role == "anonymous" else signed_in[role]
        response = client.open(path, method=method)
    if status is not None:
        assert response.status_code == status
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[-1].split(";", 1)[0]
