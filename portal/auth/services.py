"""Signing in (with throttling of repeated failures) and API tokens."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from ..db import utcnow
from ..extensions import db
from .models import ApiToken, LoginAttempt, User


@dataclass(frozen=True)
class SignInResult:
    user: User | None
    locked_minutes: int = 0  # > 0 when too many failures lock the address


def _normalise(email: str) -> str:
    return (email or "").strip().lower()


def recent_failures(email: str) -> int:
    since = utcnow() - current_app.config["LOGIN_FAILURE_WINDOW"]
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.at)).where(LoginAttempt.email == email, LoginAttempt.success)
    )
    if last_success is not None and last_success > since:
        since = last_success
    return db.session.scalar(
        select(func.count()).where(
            LoginAttempt.email == email, LoginAttempt.at > since, LoginAttempt.success.is_(False)
        )
    )


def authenticate(email: str, password: str, ip: str = "") -> SignInResult:
    """Check a password; after LOGIN_MAX_FAILURES failures the address is locked for the window,
    whether the password is right or not, so guessing gains nothing."""
    email = _normalise(email)
    window: timedelta = current_app.config["LOGIN_FAILURE_WINDOW"]
    if recent_failures(email) >= current_app.config["LOGIN_MAX_FAILURES"]:
        _audit_sign_in("auth.sign_in_locked", email, None)
        db.session.commit()
        return SignInResult(None, locked_minutes=int(window.total_seconds() // 60))
    user = db.session.scalar(select(User).where(User.email == email))
    ok = user is not None and user.is_active and user.check_password(password)
    db.session.add(LoginAttempt(email=email, ip=ip[:45], success=ok))
    if ok:
        user.last_login_at = utcnow()
    _audit_sign_in("auth.sign_in" if ok else "auth.sign_in_failed", email, user if ok else None)
    db.session.commit()
    return SignInResult(user if ok else None)


def _audit_sign_in(action: str, email: str, user: User | None) -> None:
    """Every sign-in, refused ones too, goes to the audit log (with the address typed)."""
    from flask import has_request_context, request

    from ..audit import record

    via = "api" if has_request_context() and request.path.startswith("/api/") else "web"
    entry = record(action, user, user=user, client_id=getattr(user, "client_id", None), via=via)
    entry.user_email = email[:254]


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> str:
    token = secrets.token_urlsafe(32)
    lifetime = current_app.config["API_TOKEN_LIFETIME"]
    db.session.add(ApiToken(user=user, token_hash=_hash_token(token), expires_at=utcnow() + lifetime))
    db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(token)))
    if row is None or row.expires_at < utcnow() or not row.user.is_active:
        return None
    return row.user
