"""The clients' own part numbers for ODM parts (shown on pages and printed on labels)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..catalogue.models import Part
from ..clients.models import Client
from ..extensions import db
from .models import ClientPartNumber


def save_client_number(client_id: int, part_number: str, number: str, description: str = "",
                       user=None) -> ClientPartNumber:
    """Add or replace the client's number for an ODM part; ValueError (translated) when refused."""
    part = db.session.scalar(select(Part).where(Part.number == part_number.strip()))
    if part is None:
        raise ValueError(_("Unknown part number %(number)s.", number=part_number))
    if db.session.get(Client, client_id) is None:
        raise ValueError(_("Choose a client."))
    row = db.session.scalar(select(ClientPartNumber).where(ClientPartNumber.client_id == client_id,
                                                           ClientPartNumber.part_id == part.id))
    if row is None:
        row = ClientPartNumber(client_id=client_id, part_id=part.id)
        db.session.add(row)
    row.number, row.description = number.strip()[:60], (description or "").strip()[:200]
    db.session.flush()
    audit.record("parts.client_number", row, user=user, part=part.number, number=row.number)
    return row
