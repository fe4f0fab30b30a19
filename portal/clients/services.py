"""Brand clients: finding, creating and changing them. No Flask request objects here.

Reading: the tenancy hook confines every query below for a signed-in client user, so a
client user only ever finds its own company.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .models import Client

# ISO 4217 codes a client may be invoiced in.
CURRENCIES = ("CNY", "USD", "EUR", "HKD", "JPY", "GBP")
CLIENT_FIELDS = (
    "code", "name", "market", "locale", "currency",
    "contact_name", "contact_email", "contact_phone", "address", "active",
)


class FieldErrors(Exception):
    """Input that breaks a rule only the database knows (a code already taken...), per field.
    Views show each message beside its field; the API answers 422 with the same mapping."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


def like(text: str) -> str:
    """An ILIKE pattern matching `text` anywhere, with the wildcards in it taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def client_query(q: str = "", market: str = "", active: str = ""):
    """Clients ordered by code, matching `q` in code or name; `active` is "yes", "no" or ""."""
    stmt = select(Client).order_by(Client.code)
    q = (q or "").strip()
    if q:
        stmt = stmt.where(or_(Client.code.ilike(like(q), escape="\\"), Client.name.ilike(like(q), escape="\\")))
    if market:
        stmt = stmt.where(Client.market == market)
    if active in ("yes", "no"):
        stmt = stmt.where(Client.active.is_(active == "yes"))
    return stmt


def get_client(client_id: int) -> Client | None:
    return db.session.get(Client, client_id)


def client_choices() -> list[tuple[int, str]]:
    """(id, "CODE — name") of every client, for a select box; inactive ones are marked."""
    rows = db.session.execute(select(Client.id, Client.code, Client.name, Client.active).order_by(Client.code))
    return [
        (cid, f"{code} — {name}" + ("" if active else f" ({_('inactive')})"))
        for cid, code, name, active in rows
    ]


def _check_code(code: str, exclude_id: int | None) -> None:
    stmt = select(Client.id).where(func.upper(Client.code) == code.upper())
    if exclude_id is not None:
        stmt = stmt.where(Client.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise FieldErrors({"code": _("A client with code %(code)s already exists.", code=code)})


def _commit_or_conflict(code: str) -> None:
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent request took the code between check and commit
        db.session.rollback()
        raise FieldErrors({"code": _("A client with code %(code)s already exists.", code=code)}) from None


def create_client(data: dict) -> Client:
    """`data`: the CLIENT_FIELDS, already validated by a form or schema."""
    values = {k: v for k, v in data.items() if k in CLIENT_FIELDS}
    values["code"] = values["code"].strip().upper()
    _check_code(values["code"], None)
    client = Client(**values)
    db.session.add(client)
    _commit_or_conflict(values["code"])
    return client


def update_client(client: Client, data: dict) -> Client:
    """Change the given fields (a partial update when `data` holds only some)."""
    values = {k: v for k, v in data.items() if k in CLIENT_FIELDS}
    if "code" in values:
        values["code"] = values["code"].strip().upper()
        _check_code(values["code"], client.id)
    for key, value in values.items():
        setattr(client, key, value)
    _commit_or_conflict(client.code)
    return client
