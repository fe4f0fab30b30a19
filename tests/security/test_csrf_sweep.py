"""Issue 11: every state-changing form of the pages refuses a request without a CSRF token
(400) and writes nothing — swept over the URL map as a signed-in admin and staff member."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from portal.extensions import db

from .conftest import resolve
from .routes import RULES, STATE_CHANGING, api_rule, methods_of, is_int
from .test_access_sweep import build

FORMS = [r for r in RULES if not api_rule(r) and STATE_CHANGING & set(methods_of(r))]
WATCHED = ("audit_entry", "claim", "rma", "rma_event", "settlement", "scheme_offer", "contract", "complaint",
           "notice", "job", "stock_move", "part_order", "document_grant", "document_version", "user_account",
           "client", "onsite_visit", "tech_question", "refurb_order", "early_warning")


def _counts(app) -> dict[str, int]:
    with app.app_context():
        return {t: db.session.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar() for t in WATCHED}


@pytest.fixture
def csrf_on(world):
    world.app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield world.app
    finally:
        world.app.config["WTF_CSRF_ENABLED"] = False


def test_the_sweep_covers_the_forms():
    assert len(FORMS) > 50


@pytest.mark.parametrize("rule", FORMS, ids=lambda r: r.endpoint)
def test_a_form_without_a_csrf_token_is_refused(world, signed_in, csrf_on, rule):
    int_args = sorted((a for a, c in rule._converters.items() if is_int(c)),
                      key=rule.rule.index)
    values, _ = resolve(world, rule.endpoint, int_args)
    url = build(world.app, rule)
    if values:
        defaults = {a: ("x" if a not in values else values[a]) for a in rule.arguments}
        url = world.app.url_map.bind("localhost").build(rule.endpoint, defaults, method="POST")
    before = _counts(world.app)
    for role in ("admin", "staff"):
        for method in sorted(STATE_CHANGING & set(methods_of(rule))):
            response = signed_in[role].open(url, method=method, data={"note": "x", "reason": "x"})
            assert response.status_code == 400, f"{role} {method} {url} -> {response.status_code}"
    assert _counts(world.app) == before, url
