from sqlalchemy import select

from portal.auth.models import LoginAttempt
from tests.factories import PASSWORD


def test_sign_in_and_out(client, make):
    user = make.user(role="staff", email="staff@example.com")
    assert user.password_hash != PASSWORD
    response = client.post("/login", data={"email": "Staff@Example.com ", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_wrong_password_keeps_the_email_and_says_why(client, make):
    make.user(role="staff", email="staff@example.com")
    page = client.post("/login", data={"email": "staff@example.com", "password": "nope"}).get_data(as_text=True)
    assert "Wrong e-mail or password." in page
    assert 'value="staff@example.com"' in page


def test_repeated_failures_lock_the_address(client, make, db):
    make.user(role="staff", email="staff@example.com")
    for _ in range(5):
        client.post("/login", data={"email": "staff@example.com", "password": "bad"})
    page = client.post("/login", data={"email": "staff@example.com", "password": PASSWORD})
    assert page.status_code == 200
    assert "Too many failed sign-ins" in page.get_data(as_text=True)
    assert client.get("/").status_code == 302
    failures = db.session.scalars(select(LoginAttempt).where(LoginAttempt.success.is_(False))).all()
    assert len(failures) == 5


def test_inactive_user_cannot_sign_in(client, make):
    make.user(role="staff", email="gone@example.com", active=False)
    response = client.post("/login", data={"email": "gone@example.com", "password": PASSWORD})
    assert response.status_code == 200


def test_password_change(client, make, db):
    user = make.user(role="client_user")
    client.login(user.email)
    bad = client.post("/account/password", data={"current": "wrong", "new": "a-new-password", "confirm": "a-new-password"})
    assert "The current password is wrong." in bad.get_data(as_text=True)
    short = client.post("/account/password", data={"current": PASSWORD, "new": "short", "confirm": "short"})
    assert "at least 10 characters" in short.get_data(as_text=True)
    ok = client.post("/account/password", data={"current": PASSWORD, "new": "a-new-password", "confirm": "a-new-password"})
    assert ok.status_code == 302
    db.session.refresh(user)
    assert user.check_password("a-new-password")


def test_open_redirect_after_sign_in_is_refused(client, make):
    user = make.user(role="staff")
    response = client.post("/login?next=//evil.example.com/x", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_session_cookie_is_http_only_and_same_site(client, make):
    user = make.user(role="staff")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forms_reject_a_missing_csrf_token(app, db):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post("/login", data={"email": "a@example.com", "password": "x"})
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_security_headers(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "jobs": "ok"}
