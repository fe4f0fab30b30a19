"""Demo data that makes the portal feel real (README, "Demo logins").

`load_demo()` loads it once: brand clients and one user per role (people.py), six models
with parts and production batches (catalogue.py), and twelve months of shipments with
serial numbers (shipments.py). It is deterministic: a seeded random generator, dates
counted back from today.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..clients.models import Client
from ..extensions import db
from .catalogue import MODELS, PARTS, create_catalogue
from .claims import create_claims
from .complaints import create_complaints
from .rma import create_rmas
from .documents import create_documents
from .network import create_network
from .offers import create_offers
from .parts import create_parts
from .people import CLIENTS, DEMO_PASSWORD, USERS, create_people
from .shipments import DEMO_LEGACY_SERIALS, DEMO_SERIAL_EXAMPLES, create_shipments, plan_shipments, shipped_per_batch

__all__ = ["load_demo", "CLIENTS", "USERS", "DEMO_PASSWORD", "MODELS", "PARTS",
           "DEMO_SERIAL_EXAMPLES", "DEMO_LEGACY_SERIALS"]


def load_demo(today: date | None = None) -> bool:
    """Create the demo data unless the database already has clients (demo or real ones).
    Returns True when it created it; running it again changes nothing."""
    if db.session.scalar(select(Client).limit(1)) is not None:
        return False
    today = today or date.today()
    plan = plan_shipments(today)
    clients = create_people()
    models, batches = create_catalogue(today, shipped_per_batch(plan))
    create_shipments(today, plan, clients, models, batches)
    create_documents(clients, models, batches)
    create_network(today, clients)
    create_claims(today, clients)
    create_offers(today, clients)
    create_rmas(clients)
    create_parts(today, clients)
    create_complaints(today, clients)
    db.session.commit()
    return True
