"""Imports every capability's models so the metadata (and Alembic) sees all tables."""
from .auth.models import ApiToken, LoginAttempt, User  # noqa: F401
from .catalogue.models import Batch, BatchMaterial, Part, ProductModel  # noqa: F401
from .clients.models import Client  # noqa: F401
from .shipments.models import Serial, Shipment, ShipmentLine  # noqa: F401
from .schemes.models import Contract, Offer, SchemeSetting  # noqa: F401
from .settlements.models import ChainHead, DocumentCounter, Settlement, SettlementLine  # noqa: F401
from .audit import AuditEntry  # noqa: F401
from .jobs.models import Job  # noqa: F401
from .network.models import AuthorisedStation, ClientStation  # noqa: F401
