"""Managing users: who may create and change whom, and the rules of a valid account.

An administrator manages every user. A client administrator manages the users of its own
company only (client_admin and client_user); the tenancy hook already hides every other
user from it, and the checks below hold even where that hook is not active.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..clients.services import FieldErrors, get_client, like
from ..extensions import db
from .models import CLIENT_ROLES, ROLES, User

USER_FIELDS = ("email", "name", "role", "client_id", "locale", "active")


class NotAllowed(Exception):
    """The acting user may not manage this user (views answer 404, as for a hidden row)."""


def manageable_roles(acting: User) -> tuple[str, ...]:
    if acting.role == "admin":
        return ROLES
    if acting.role == "client_admin":
        return CLIENT_ROLES
    return ()


def user_query(q: str = "", role: str = "", client_id: int | None = None, active: str = ""):
    """Users ordered by name, matching `q` in name or e-mail; `active` is "yes", "no" or ""."""
    stmt = select(User).order_by(User.name, User.id)
    q = (q or "").strip()
    if q:
        stmt = stmt.where(or_(User.name.ilike(like(q), escape="\\"), User.email.ilike(like(q), escape="\\")))
    if role:
        stmt = stmt.where(User.role == role)
    if client_id:
        stmt = stmt.where(User.client_id == client_id)
    if active in ("yes", "no"):
        stmt = stmt.where(User.active.is_(active == "yes"))
    return stmt


def check_may_manage(acting: User, user: User) -> None:
    if acting.role == "admin":
        return
    if acting.role == "client_admin" and user.role in CLIENT_ROLES and user.client_id == acting.client_id:
        return
    raise NotAllowed()


def _resolve(acting: User, values: dict, user: User | None) -> dict:
    """Apply the role rules to `values` (role, client_id...) and raise FieldErrors when broken."""
    errors: dict[str, str] = {}
    role = values.get("role", user.role if user else None)
    if role not in manageable_roles(acting):
        errors["role"] = _("Choose one of the roles offered.")
    if acting.role != "admin":
        values["client_id"] = acting.client_id  # a client administrator's users are its own company's
    client_id = values.get("client_id", user.client_id if user else None)
    if role in CLIENT_ROLES:
        if client_id is None:
            errors["client_id"] = _("A client role needs a client: choose the company this user belongs to.")
        elif get_client(client_id) is None:
            errors["client_id"] = _("Choose a client from the list.")
    elif role is not None and client_id is not None:
        errors["client_id"] = _("Internal users belong to no client: leave the client empty.")
    if user is not None and user.id == acting.id:
        if "role" in values and values["role"] != user.role:
            errors["role"] = _("You cannot change your own role.")
        if values.get("active") is False:
            errors["active"] = _("You cannot deactivate your own account.")
    if "email" in values:
        values["email"] = values["email"].strip().lower()
        taken = select(User.id).where(func.lower(User.email) == values["email"])
        if user is not None:
            taken = taken.where(User.id != user.id)
        # For a client administrator this sees its own company only; an address used
        # elsewhere is caught by the unique constraint at commit, with the same message.
        if db.session.scalar(taken) is not None:
            errors["email"] = _("A user with e-mail %(email)s already exists.", email=values["email"])
    if errors:
        raise FieldErrors(errors)
    if role not in CLIENT_ROLES:
        values["client_id"] = None
    return values


def _commit_or_conflict(email: str) -> None:
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent request took the address between check and commit
        db.session.rollback()
        raise FieldErrors({"email": _("A user with e-mail %(email)s already exists.", email=email)}) from None


def create_user(acting: User, data: dict, password: str) -> User:
    """`data`: USER_FIELDS (client_id ignored for a client administrator: its own is used)."""
    values = _resolve(acting, {k: v for k, v in data.items() if k in USER_FIELDS}, None)
    user = User(**values)
    user.set_password(password)
    db.session.add(user)
    _commit_or_conflict(values["email"])
    return user


def update_user(acting: User, user: User, data: dict) -> User:
    """Change name, role, client, locale, active (the e-mail address is not changed here)."""
    check_may_manage(acting, user)
    values = _resolve(acting, {k: v for k, v in data.items() if k in USER_FIELDS and k != "email"}, user)
    for key, value in values.items():
        setattr(user, key, value)
    db.session.commit()
    return user


def set_password(acting: User, user: User, password: str) -> None:
    check_may_manage(acting, user)
    user.set_password(password)
    db.session.commit()
