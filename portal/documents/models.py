from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..auth.models import User
from ..catalogue.models import Batch, ProductModel
from ..clients.models import Client
from ..db import UTC, CreatedAt, TenantScoped, utcnow
from ..extensions import db

DOCUMENT_TYPES = ("service_manual", "schematic", "bom", "batch_materials", "substitute_instruction",
                  "training", "board_software")
# Types a client sees only with a per-client permission (DocumentTypePermission).
CONFIDENTIAL_TYPES = frozenset({"schematic"})

document_model = Table(
    "document_model", db.metadata,
    Column("document_id", Integer, ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    Column("model_id", Integer, ForeignKey("product_model.id", ondelete="CASCADE"), primary_key=True, index=True),
)
document_batch = Table(
    "document_batch", db.metadata,
    Column("document_id", Integer, ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    Column("batch_id", Integer, ForeignKey("batch.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Document(CreatedAt, db.Model):
    """A technical document for some models (optionally narrowed to some of their batches)."""

    __tablename__ = "document"
    __table_args__ = (Index("ix_document_type_language", "doc_type", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    doc_type: Mapped[str] = mapped_column(String(30))
    language: Mapped[str] = mapped_column(String(12))
    description: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTC, default=utcnow, index=True)  # last version published

    models: Mapped[list[ProductModel]] = relationship(secondary=document_model, order_by=ProductModel.code)
    batches: Mapped[list[Batch]] = relationship(secondary=document_batch, order_by=Batch.code)
    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="document", order_by="DocumentVersion.number.desc()", cascade="all, delete-orphan"
    )

    @property
    def confidential(self) -> bool:
        return self.doc_type in CONFIDENTIAL_TYPES

    @property
    def current(self) -> DocumentVersion | None:
        return self.versions[0] if self.versions else None


class DocumentVersion(CreatedAt, db.Model):
    """One published file of a document. A newer number supersedes it; it stays downloadable."""

    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    release_notes: Mapped[str] = mapped_column(Text, default="")
    storage_key: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the bytes
    size: Mapped[int]
    filename: Mapped[str] = mapped_column(String(200))  # the uploader's name, metadata only
    file_format: Mapped[str] = mapped_column(String(10))  # detected from the content: pdf, docx...
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    document: Mapped[Document] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()


class DocumentGrant(TenantScoped, CreatedAt, db.Model):
    """A document given to a client explicitly (beyond the models it bought)."""

    __tablename__ = "document_grant"
    __table_args__ = (UniqueConstraint("document_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    client: Mapped[Client] = relationship()


class DocumentTypePermission(TenantScoped, CreatedAt, db.Model):
    """A client may see documents of a confidential type (e.g. schematics)."""

    __tablename__ = "document_type_permission"
    __table_args__ = (UniqueConstraint("client_id", "doc_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(30))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class DocumentDownload(TenantScoped, db.Model):
    """Who downloaded which version, when (client_id is empty for internal users)."""

    __tablename__ = "document_download"
    __table_args__ = (Index("ix_document_download_document_at", "document_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("document_version.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(UTC, default=utcnow)
    stamped: Mapped[bool] = mapped_column(default=False)
    via_api: Mapped[bool] = mapped_column(default=False)
    ip: Mapped[str] = mapped_column(String(45), default="")

    @declared_attr
    def client_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("client.id"), index=True, nullable=True)

    version: Mapped[DocumentVersion] = relationship()
    user: Mapped[User | None] = relationship()
    client: Mapped[Client | None] = relationship()
