"""Technical questions a client asks about a model, their answers, escalation to QA or R&D, and
the knowledge base built from answered ones (anonymised: no asker, no company)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth.models import User
from ..catalogue.models import ProductModel
from ..db import UTC, CreatedAt, TenantScoped
from ..extensions import db

QUESTION_STATUSES = ("open", "escalated", "answered")
ESCALATION_TEAMS = ("qa", "rnd")


class TechQuestion(TenantScoped, CreatedAt, db.Model):
    __tablename__ = "tech_question"
    __table_args__ = (Index("ix_tech_question_status", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("product_model.id"), index=True)
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open")

    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTC)
    document_ids: Mapped[list] = mapped_column(JSON, default=list)  # portal.documents ids
    links: Mapped[str] = mapped_column(Text, default="")  # one URL per line

    escalated_to: Mapped[str | None] = mapped_column(String(8))  # ESCALATION_TEAMS
    escalation_assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    escalation_due: Mapped[date | None]
    escalation_note: Mapped[str] = mapped_column(Text, default="")
    escalated_at: Mapped[datetime | None] = mapped_column(UTC)

    model: Mapped[ProductModel] = relationship(lazy="joined")
    asked_by: Mapped[User | None] = relationship(foreign_keys=[asked_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    escalation_assignee: Mapped[User | None] = relationship(foreign_keys=[escalation_assignee_id])
    attachments: Mapped[list["QuestionAttachment"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="QuestionAttachment.id")

    @property
    def link_list(self) -> list[str]:
        return [s for s in (line.strip() for line in self.links.splitlines()) if s]


class QuestionAttachment(CreatedAt, db.Model):
    """A file attached to a question, kept by portal.storage (`key`)."""

    __tablename__ = "question_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("tech_question.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, default=0)

    question: Mapped[TechQuestion] = relationship(back_populates="attachments")


class KnowledgeArticle(CreatedAt, db.Model):
    """An answered question published for every client who bought the model. Not tenant data:
    it carries no client, no asker; clients reach it only for models they bought."""

    __tablename__ = "knowledge_article"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("tech_question.id", ondelete="CASCADE"), unique=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("product_model.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    question_text: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    document_ids: Mapped[list] = mapped_column(JSON, default=list)
    links: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTC)

    model: Mapped[ProductModel] = relationship(lazy="joined")

    @property
    def link_list(self) -> list[str]:
        return [s for s in (line.strip() for line in self.links.splitlines()) if s]
