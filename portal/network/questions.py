"""Technical questions: a client asks about a model (with attachments), an after-sales engineer
answers (linking documents), or escalates to QA or R&D with an assignee and a due date.
Answered questions are published, anonymised, to the knowledge base of that model."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from ..auth.models import STAFF_ROLES, User
from ..catalogue.models import ProductModel
from ..clients.services import like
from ..db import utcnow
from ..extensions import db
from ..storage import TooLarge, storage
from . import sources
from .errors import NetworkError
from .question_models import ESCALATION_TEAMS, KnowledgeArticle, QuestionAttachment, TechQuestion

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {"pdf", "jpg", "jpeg", "png", "gif", "webp", "txt", "log", "csv", "xlsx", "docx", "zip", "mp4"}
ESCALATION_ROLES = {"qa": ("quality", "admin"), "rnd": ("staff", "quality", "admin")}


@dataclass
class Upload:
    filename: str
    stream: BinaryIO
    content_type: str = "application/octet-stream"


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def ask_question(client_id: int, asked_by_id: int | None, model_id: int | None, subject: str, body: str,
                 uploads: list[Upload], bought_model_ids) -> TechQuestion:
    """Record a client's question about a model it bought (`bought_model_ids`: a SELECT of
    model ids). Attachments are stored through portal.storage; any refused file refuses all."""
    subject, body = (subject or "").strip(), (body or "").strip()
    if model_id is None or db.session.scalar(
            select(ProductModel.id).where(ProductModel.id == model_id, ProductModel.id.in_(bought_model_ids))) is None:
        raise NetworkError(_("Choose one of your models."), "model_id")
    if not subject:
        raise NetworkError(_("Enter a subject."), "subject")
    if not body:
        raise NetworkError(_("Describe the problem."), "body")
    uploads = [u for u in uploads if u.filename]
    if len(uploads) > MAX_ATTACHMENTS:
        raise NetworkError(_("Attach at most %(n)d files.", n=MAX_ATTACHMENTS), "attachments")
    for upload in uploads:
        if _extension(upload.filename) not in ATTACHMENT_TYPES:
            raise NetworkError(_("%(name)s: this kind of file cannot be attached.", name=upload.filename), "attachments")
    stored = []
    for upload in uploads:
        try:
            key = storage().put(upload.stream, max_bytes=MAX_ATTACHMENT_BYTES)
        except TooLarge:
            raise NetworkError(_("%(name)s is larger than %(mb)d MB.", name=upload.filename,
                                 mb=MAX_ATTACHMENT_BYTES // (1024 * 1024)), "attachments") from None
        stored.append(QuestionAttachment(key=key, filename=upload.filename[:255], size=storage().size(key),
                                         content_type=upload.content_type or "application/octet-stream"))
    question = TechQuestion(client_id=client_id, asked_by_id=asked_by_id, model_id=model_id, subject=subject,
                            body=body, attachments=stored)
    db.session.add(question)
    db.session.flush()
    return question


def question_query(status: str = "", model_id: int | None = None, assignee_id: int | None = None, q: str = ""):
    stmt = (select(TechQuestion).options(joinedload(TechQuestion.escalation_assignee))
            .order_by(TechQuestion.created_at.desc(), TechQuestion.id.desc()))
    if status:
        stmt = stmt.where(TechQuestion.status == status)
    if model_id:
        stmt = stmt.where(TechQuestion.model_id == model_id)
    if assignee_id:
        stmt = stmt.where(TechQuestion.escalation_assignee_id == assignee_id)
    q = (q or "").strip()
    if q:
        stmt = stmt.where(or_(TechQuestion.subject.ilike(like(q), escape="\\"),
                              TechQuestion.body.ilike(like(q), escape="\\")))
    return stmt


def parse_document_ids(text: str) -> list[int]:
    ids = []
    for token in (text or "").replace(",", " ").split():
        if not token.isdigit():
            raise NetworkError(_("Document numbers are whole numbers separated by commas."), "document_ids")
        if int(token) not in ids:
            ids.append(int(token))
    missing = sources.documents_missing(ids) if ids else []
    if missing:
        raise NetworkError(_("No document number %(ids)s.", ids=", ".join(map(str, missing))), "document_ids")
    return ids


def parse_links(text: str) -> str:
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for link in links:
        if not link.startswith(("https://", "http://", "/")):
            raise NetworkError(_("A link starts with https://, http:// or /: %(link)s", link=link), "links")
    return "\n".join(links)


def answer_question(question: TechQuestion, user_id: int, answer: str, document_ids: list[int], links: str,
                    publish: bool, title: str = "", question_text: str = "") -> TechQuestion:
    """Answer (or correct the answer to) a question; `publish` puts it, anonymised, in the
    knowledge base of its model under `title` and `question_text` (edit out any names)."""
    answer = (answer or "").strip()
    if not answer:
        raise NetworkError(_("Write the answer."), "answer")
    question.answer, question.document_ids, question.links = answer, list(document_ids), links
    question.answered_by_id, question.answered_at, question.status = user_id, utcnow(), "answered"
    article = db.session.scalar(select(KnowledgeArticle).where(KnowledgeArticle.question_id == question.id))
    if publish:
        article = article or KnowledgeArticle(question_id=question.id, published_at=utcnow())
        article.model_id = question.model_id
        article.title = (title or "").strip() or question.subject
        article.question_text = (question_text or "").strip() or question.body
        article.answer, article.document_ids, article.links = answer, list(document_ids), links
        db.session.add(article)
    elif article is not None:
        db.session.delete(article)
    db.session.flush()
    return question


def escalation_assignees(team: str | None = None) -> list[User]:
    roles = ESCALATION_ROLES.get(team, STAFF_ROLES) if team else tuple({r for v in ESCALATION_ROLES.values() for r in v})
    return list(db.session.scalars(select(User).where(User.role.in_(roles), User.active.is_(True)).order_by(User.name)))


def escalate_question(question: TechQuestion, team: str, assignee_id: int | None, due: date | None,
                      note: str, today: date) -> TechQuestion:
    """Hand an unsolved question to QA ("qa") or R&D ("rnd"): an assignee of that side and a
    due date from today on are required."""
    if question.status == "answered":
        raise NetworkError(_("This question is answered already."))
    if team not in ESCALATION_TEAMS:
        raise NetworkError(_("Choose QA or R&D."), "team")
    assignee = db.session.get(User, assignee_id) if assignee_id else None
    if assignee is None or not assignee.active or assignee.role not in ESCALATION_ROLES[team]:
        raise NetworkError(_("Choose an assignee of that department."), "assignee_id")
    if due is None:
        raise NetworkError(_("Enter the due date."), "due")
    if due < today:
        raise NetworkError(_("The due date cannot be in the past."), "due")
    question.escalated_to, question.escalation_assignee_id, question.escalation_due = team, assignee.id, due
    question.escalation_note, question.escalated_at, question.status = (note or "").strip(), utcnow(), "escalated"
    db.session.flush()
    return question


def is_overdue(question: TechQuestion, today: date) -> bool:
    return question.status == "escalated" and question.escalation_due is not None and question.escalation_due < today


def knowledge_query(q: str = "", model_id: int | None = None, bought_model_ids=None):
    """Published articles, newest first; `bought_model_ids` (a SELECT) confines to a client's models."""
    stmt = select(KnowledgeArticle).order_by(KnowledgeArticle.published_at.desc(), KnowledgeArticle.id.desc())
    if bought_model_ids is not None:
        stmt = stmt.where(KnowledgeArticle.model_id.in_(bought_model_ids))
    if model_id:
        stmt = stmt.where(KnowledgeArticle.model_id == model_id)
    q = (q or "").strip()
    if q:
        pattern = like(q)
        stmt = stmt.where(or_(KnowledgeArticle.title.ilike(pattern, escape="\\"),
                              KnowledgeArticle.question_text.ilike(pattern, escape="\\"),
                              KnowledgeArticle.answer.ilike(pattern, escape="\\")))
    return stmt
