"""/admin/audit: administrators only, filters, pagination, download."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from portal.audit import AuditEntry


def entry(db, action, at, email="", client=None, **details):
    row = AuditEntry(action=action, at=at, user_email=email, client_id=client.id if client else None,
                     target="settlement:7", ip="10.0.0.1", details=details)
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def log(db, make):
    acme, globex = make.client(code="ACME"), make.client(code="GLOBEX")
    entry(db, "settlement.issue", datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc), "fin@odm.example.com", acme,
          number="ST-2026-00001")
    entry(db, "auth.sign_in", datetime(2026, 3, 2, 16, 30, tzinfo=timezone.utc), "li@acme.example.com", acme)
    entry(db, "contract.confirm", datetime(2026, 3, 5, 1, 0, tzinfo=timezone.utc), "fin@odm.example.com", globex)
    return acme, globex


def rows(page: str) -> int:
    return page.count("<tr>") - 1  # the header row


@pytest.mark.parametrize("role", ["staff", "finance", "quality", "client_admin", "client_user"])
def test_only_administrators(client, make, role):
    client.login(make.user(role=role).email)
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit?download=csv").status_code == 403


def test_signed_out_goes_to_the_sign_in_page(client):
    assert client.get("/admin/audit").status_code == 302


def test_the_log_newest_first_with_labels_and_details(client, make, log):
    client.login(make.user(role="admin").email)
    page = client.get("/admin/audit").get_data(as_text=True)
    # the administrator's own sign-in (today) comes first
    assert page.index("Contract confirmed<div") < page.index("li@acme.example.com") < page.index("Settlement issued<div")
    assert "number: ST-2026-00001" in page and "10.0.0.1" in page and "settlement:7" in page


@pytest.mark.parametrize("query, expected", [
    ("action=auth.sign_in", ["Signed in"]),
    ("user=FIN@odm", ["Settlement issued", "Contract confirmed"]),
    ("user=%25", []),  # a literal %, not a wildcard
    # days are the portal's (Asia/Shanghai): 2026-03-02 16:30 UTC is already the 3rd there
    ("since=2026-03-03", ["Signed in", "Contract confirmed"]),
    ("until=2026-03-02", ["Settlement issued"]),
    ("since=2026-03-03&until=2026-03-03", ["Signed in"]),
])
def test_filters(client, make, log, query, expected):
    client.login(make.user(role="admin").email)
    page = client.get(f"/admin/audit?{query}").get_data(as_text=True)
    labels = ["Settlement issued", "Signed in", "Contract confirmed"]
    assert [label for label in labels if f"{label}<div" in page] == expected


def test_filter_by_client(client, make, log):
    acme, globex = log
    client.login(make.user(role="admin").email)
    page = client.get(f"/admin/audit?client={globex.id}").get_data(as_text=True)
    assert rows(page) == 1 and "Contract confirmed<div" in page


def test_bad_dates_are_marked_and_the_other_filters_still_apply(client, make, log):
    client.login(make.user(role="admin").email)
    page = client.get("/admin/audit?since=2026-03-05&until=2026-03-01&action=auth.sign_in").get_data(as_text=True)
    assert "The end comes before the start." in page and 'value="2026-03-01"' in page
    assert rows(page) == 1 and "Signed in<div" in page
    page = client.get("/admin/audit?since=yesterday").get_data(as_text=True)
    assert "is-invalid" in page and rows(page) == 4  # the three, and the administrator's sign-in


def test_pagination(client, make, db, app):
    for i in range(app.config["PAGE_SIZE"] + 2):
        entry(db, "auth.sign_in", datetime(2026, 1, 1, tzinfo=timezone.utc), f"u{i}@example.com")
    client.login(make.user(role="admin").email)
    first = client.get("/admin/audit").get_data(as_text=True)
    assert rows(first) == app.config["PAGE_SIZE"] and "page=2" in first


def test_download_keeps_the_filters(client, make, log):
    client.login(make.user(role="admin").email)
    response = client.get("/admin/audit?action=settlement.issue&download=csv")
    text = response.get_data().decode("utf-8-sig")
    assert response.mimetype == "text/csv" and "ST-2026-00001" in text and "auth.sign_in" not in text
    assert client.get("/admin/audit?download=xlsx").mimetype.endswith("spreadsheetml.sheet")
