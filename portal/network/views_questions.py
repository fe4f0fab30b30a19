"""Technical questions and the knowledge base. A client sees its own questions and, for the
models it bought, the published answers of everyone (without who asked)."""
from __future__ import annotations

from flask import abort, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.access import ANY_ROLE, roles_required
from ..catalogue.models import ProductModel
from ..catalogue.services import bought_model_ids, model_choices
from ..extensions import db
from ..labels import choices
from ..storage import storage
from . import sources
from ..audit import record
from ._actions import submit_form
from .forms import AnswerForm, EscalateForm, QuestionForm
from .question_models import QUESTION_STATUSES, KnowledgeArticle, QuestionAttachment, TechQuestion
from .questions import (Upload, answer_question, ask_question, escalate_question, escalation_assignees, is_overdue,
                        knowledge_query, parse_document_ids, parse_links, question_query)
from .views import CLIENT_ROLES, NETWORK_STAFF, bp, per_page, today

ANSWERERS = ("staff", "quality", "admin")


def _models_of_viewer():
    if current_user.is_client:
        return db.session.execute(select(ProductModel.id, ProductModel.code).where(
            ProductModel.id.in_(bought_model_ids())).order_by(ProductModel.code)).all()
    return model_choices()


@bp.get("/questions")
@roles_required(*ANY_ROLE)
def questions():
    status = request.args.get("status", "")
    status = status if status in QUESTION_STATUSES else ""
    mine = request.args.get("mine") == "1" and not current_user.is_client
    q = request.args.get("q", "").strip()
    page = db.paginate(question_query(status, request.args.get("model", type=int),
                                      current_user.id if mine else None, q), per_page=per_page())
    return render_template("network/questions.html", page=page, status=status, statuses=QUESTION_STATUSES,
                           mine=mine, q=q, today=today(), is_overdue=is_overdue)


@bp.route("/questions/new", methods=["GET", "POST"])
@roles_required(*CLIENT_ROLES)
def question_new():
    form = QuestionForm()
    form.model_id.choices = [(None, _("Choose a model"))] + [(i, code) for i, code in _models_of_viewer()]

    def act():
        uploads = [Upload(f.filename or "", f.stream, f.mimetype) for f in request.files.getlist(form.attachments.name)]
        return ask_question(current_user.client_id, current_user.id, form.model_id.data, form.subject.data,
                            form.body.data, uploads, bought_model_ids())

    return (submit_form(form, act, lambda asked: (_("Question sent. An after-sales engineer will answer it."),
                                                  _question_url(asked.id)))
            or render_template("network/question_new.html", form=form))


def _question_url(question_id: int) -> str:
    return url_for("network.question", question_id=question_id)


def _question_page(question: TechQuestion, status: int = 200, answer_form=None, escalate_form=None):
    if current_user.role in ANSWERERS:
        article = db.session.scalar(select(KnowledgeArticle).where(KnowledgeArticle.question_id == question.id))
        if answer_form is None:
            answer_form = AnswerForm(formdata=None, answer=question.answer,
                                     document_ids=", ".join(map(str, question.document_ids or [])),
                                     links=question.links, publish=article is not None or not question.answer,
                                     kb_title=article.title if article else question.subject,
                                     kb_question=article.question_text if article else question.body)
        escalate_form = escalate_form or EscalateForm(formdata=None, team=question.escalated_to,
                                                      assignee_id=question.escalation_assignee_id,
                                                      due=question.escalation_due)
        escalate_form.team.choices = choices("escalation_team")
        escalate_form.assignee_id.choices = [(None, _("Choose an assignee"))] + [
            (u.id, f"{u.name} · {u.role}") for u in escalation_assignees()]
    return render_template("network/question.html", question=question, answer_form=answer_form,
                           escalate_form=escalate_form, documents=sources.documents_for(current_user, question.document_ids or []),
                           overdue=is_overdue(question, today()), can_answer=current_user.role in ANSWERERS), status


@bp.get("/questions/<int:question_id>")
@roles_required(*ANY_ROLE)
def question(question_id: int):
    return _question_page(db.get_or_404(TechQuestion, question_id))


@bp.post("/questions/<int:question_id>/answer")
@roles_required(*ANSWERERS)
def question_answer(question_id: int):
    found = db.get_or_404(TechQuestion, question_id)
    form = AnswerForm()

    def act():
        answer_question(found, current_user.id, form.answer.data, parse_document_ids(form.document_ids.data),
                        parse_links(form.links.data), form.publish.data, form.kb_title.data or "",
                        form.kb_question.data or "")
        record("network.question.answer", found, published=bool(form.publish.data))

    return (submit_form(form, act, lambda _result: (_("Answer saved."), _question_url(found.id)))
            or _question_page(db.get_or_404(TechQuestion, question_id), 422, answer_form=form))


@bp.post("/questions/<int:question_id>/escalate")
@roles_required(*ANSWERERS)
def question_escalate(question_id: int):
    found = db.get_or_404(TechQuestion, question_id)
    form = EscalateForm()

    def act():
        escalate_question(found, form.team.data, form.assignee_id.data, form.due.data, form.note.data or "",
                          today())
        record("network.question.escalate", found, team=found.escalated_to,
               assignee_id=found.escalation_assignee_id, due=found.escalation_due.isoformat())

    return (submit_form(form, act, lambda _result: (_("Question escalated."), _question_url(found.id)))
            or _question_page(db.get_or_404(TechQuestion, question_id), 422, escalate_form=form))


@bp.get("/questions/<int:question_id>/attachments/<int:attachment_id>")
@roles_required(*ANY_ROLE)
def question_attachment(question_id: int, attachment_id: int):
    found = db.get_or_404(TechQuestion, question_id)  # the tenancy hook: another client's is 404
    attachment = db.session.get(QuestionAttachment, attachment_id)
    if attachment is None or attachment.question_id != found.id:
        abort(404)
    try:
        stream = storage().open(attachment.key)
    except KeyError:
        abort(404)
    return send_file(stream, mimetype=attachment.content_type, as_attachment=True,
                     download_name=attachment.filename)


# --- knowledge base -------------------------------------------------------------------------

@bp.get("/knowledge")
@roles_required(*ANY_ROLE)
def knowledge():
    q = request.args.get("q", "").strip()
    model_id = request.args.get("model", type=int)
    scope = bought_model_ids() if current_user.is_client else None
    page = db.paginate(knowledge_query(q, model_id, scope), per_page=per_page())
    return render_template("network/knowledge.html", page=page, q=q, model_id=model_id, models=_models_of_viewer())


@bp.get("/knowledge/<int:article_id>")
@roles_required(*ANY_ROLE)
def knowledge_article(article_id: int):
    scope = bought_model_ids() if current_user.is_client else None
    article = db.session.scalar(knowledge_query(bought_model_ids=scope).where(KnowledgeArticle.id == article_id))
    if article is None:
        abort(404)
    return render_template("network/knowledge_article.html", article=article,
                           documents=sources.documents_for(current_user, article.document_ids or []),
                           staff=current_user.role in NETWORK_STAFF)
