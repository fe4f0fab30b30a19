"""Sign-ins, refused ones too, are in the audit log, whether through the web or the API."""
from __future__ import annotations

from sqlalchemy import select

from portal.audit import AuditEntry
from tests.factories import PASSWORD


def logged(db, action: str):
    return db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


def test_a_web_sign_in_is_recorded_with_user_client_and_address(client, db, make):
    user = make.user(role="client_admin")
    client.post("/login", data={"email": user.email.upper(), "password": PASSWORD},
                environ_base={"REMOTE_ADDR": "10.1.2.3"})
    [entry] = logged(db, "auth.sign_in")
    assert (entry.user_id, entry.user_email, entry.client_id, entry.ip, entry.target, entry.details) == (
        user.id, user.email, user.client_id, "10.1.2.3", f"user_account:{user.id}", {"via": "web"})


def test_a_wrong_password_is_recorded_with_the_address_typed(client, db, make):
    user = make.user(role="staff")
    client.post("/login", data={"email": user.email, "password": "not it"})
    client.post("/login", data={"email": "nobody@example.com", "password": "x"})
    assert [(e.user_id, e.user_email) for e in logged(db, "auth.sign_in_failed")] == [
        (None, user.email), (None, "nobody@example.com")]
    assert logged(db, "auth.sign_in") == []


def test_a_locked_address_is_recorded(client, db, make, app):
    user = make.user(role="staff")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"email": user.email, "password": "wrong"})
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    [entry] = logged(db, "auth.sign_in_locked")
    assert entry.user_email == user.email and logged(db, "auth.sign_in") == []


def test_an_api_token_request_is_a_sign_in_via_the_api(client, db, make):
    user = make.user(role="finance")
    assert client.post("/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD}).status_code == 201
    assert client.post("/api/v1/auth/tokens", json={"email": user.email, "password": "no"}).status_code == 401
    assert logged(db, "auth.sign_in")[0].details == {"via": "api"}
    assert logged(db, "auth.sign_in_failed")[0].details == {"via": "api"}
