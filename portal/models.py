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
from .network.onsite_models import OnsiteVisit, Technician  # noqa: F401
from .network.question_models import KnowledgeArticle, QuestionAttachment, TechQuestion  # noqa: F401
from .network.service_point_models import ServicePointItem, ServicePointSchedule, ServicePointVisit  # noqa: F401
from .parts.models import (  # noqa: F401
    ClientPartNumber, PartForecast, PartOrder, PartOrderLine, PartSubstitute, Shortage, ShortageStep,
    StockBalance, StockLocation, StockMove,
)
from .documents.models import Document, DocumentDownload, DocumentGrant, DocumentTypePermission, DocumentVersion  # noqa: F401
from .notices.models import Notice  # noqa: F401
from .rma.models import Rma, RmaEvent, RmaLine, RmaPartUsed, RmaPriceList  # noqa: F401
from .refurbish.models import RefurbOrder, RefurbUnit  # noqa: F401
from .claims.models import Claim, ClaimAttachment, ClaimPart, PreAuthorisation  # noqa: F401
from .statements.models import StatementFile  # noqa: F401
from .complaints.models import Complaint, EarlyWarning  # noqa: F401
