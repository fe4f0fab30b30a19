"""Technical questions: asking (with attachments), answering, escalation, the knowledge base."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.network.errors import NetworkError
from portal.network.question_models import KnowledgeArticle, QuestionAttachment, TechQuestion
from portal.network.questions import escalate_question, is_overdue


@pytest.fixture
def storage_dir(app, tmp_path):
    app.extensions.pop("storage", None)
    app.config["STORAGE_DIR"] = str(tmp_path)
    yield tmp_path
    app.extensions.pop("storage", None)
    app.config.pop("STORAGE_DIR", None)


def buyer(make, role="client_user"):
    user = make.user(role=role)
    model = make.model()
    make.shipment(client=user.client, lines=[dict(model_id=model.id, quantity=10, unit_price="100.00")])
    return user, model


def question(make, user, model, **kw):
    found = TechQuestion(client_id=user.client_id, model_id=model.id, asked_by_id=user.id,
                         subject=kw.pop("subject", "No picture"), body=kw.pop("body", "Backlight on, no image"), **kw)
    make.session.add(found)
    make.session.flush()
    return found


def test_client_asks_with_attachments_and_downloads_them(client, make, db, storage_dir):
    user, model = buyer(make)
    client.login(user.email)
    data = {"model_id": str(model.id), "subject": "Flicker", "body": "After 2 hours",
            "attachments": [(io.BytesIO(b"log line"), "panel.log"), (io.BytesIO(b"%PDF-1.4"), "report.pdf")]}
    response = client.post("/network/questions/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    found = db.session.scalar(select(TechQuestion).where(TechQuestion.client_id == user.client_id))
    assert [a.filename for a in found.attachments] == ["panel.log", "report.pdf"]
    download = client.get(f"/network/questions/{found.id}/attachments/{found.attachments[0].id}")
    assert download.status_code == 200 and download.data == b"log line"


def test_bad_questions_write_nothing(client, make, db, storage_dir):
    user, model = buyer(make)
    not_bought = make.model()
    client.login(user.email)
    good = {"model_id": str(model.id), "subject": "Kept subject", "body": "Body"}
    cases = [({"model_id": str(not_bought.id)}, "Choose one of your models"),
             ({"body": ""}, "Describe the problem"),
             ({"attachments": [(io.BytesIO(b"MZ"), "virus.exe")]}, "cannot be attached"),
             ({"attachments": [(io.BytesIO(b"x"), f"f{i}.txt") for i in range(6)]}, "at most 5 files")]
    for change, message in cases:
        page = client.post("/network/questions/new", data={**good, **change}, content_type="multipart/form-data")
        text = page.get_data(as_text=True)
        assert message in text and "Kept subject" in text, message
    assert db.session.scalar(select(func.count()).select_from(TechQuestion).where(
        TechQuestion.client_id == user.client_id)) == 0
    assert db.session.scalar(select(func.count()).select_from(QuestionAttachment)) == 0


def test_too_large_attachment_is_refused(client, make, db, storage_dir, monkeypatch):
    monkeypatch.setattr("portal.network.questions.MAX_ATTACHMENT_BYTES", 10)
    user, model = buyer(make)
    client.login(user.email)
    page = client.post("/network/questions/new", content_type="multipart/form-data",
                       data={"model_id": str(model.id), "subject": "S", "body": "B",
                             "attachments": [(io.BytesIO(b"x" * 11), "big.png")]})
    assert "big.png is larger than" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(TechQuestion)) == 0


def test_answer_publishes_an_anonymous_article_for_buyers_of_the_model(client, make, db):
    asker, model = buyer(make)
    asked = question(make, asker, model, body="ACME Ltd (Mr Wang): the set shows no image")
    other_buyer = make.user(role="client_user")
    make.shipment(client=other_buyer.client, lines=[dict(model_id=model.id, quantity=1, unit_price="1.00")])
    stranger = make.user(role="client_user")
    engineer = make.user(role="staff")
    client.login(engineer.email)
    bad = client.post(f"/network/questions/{asked.id}/answer", data={"answer": "", "links": "ftp://x"})
    assert bad.status_code == 422 and "Write the answer" in bad.get_data(as_text=True)
    bad_link = client.post(f"/network/questions/{asked.id}/answer", data={"answer": "Reseat", "links": "javascript:x"})
    assert "A link starts with" in bad_link.get_data(as_text=True)
    bad_doc = client.post(f"/network/questions/{asked.id}/answer", data={"answer": "Reseat", "document_ids": "3, x"})
    assert "whole numbers" in bad_doc.get_data(as_text=True)
    ok = client.post(f"/network/questions/{asked.id}/answer", data={
        "answer": "Reseat the LVDS cable", "links": "https://example.com/manual", "publish": "y",
        "kb_title": "No image, backlight on", "kb_question": "The set shows no image"})
    assert ok.status_code == 302
    article = db.session.scalar(select(KnowledgeArticle).where(KnowledgeArticle.question_id == asked.id))
    assert article.model_id == model.id and "ACME" not in article.question_text
    client.post("/logout")
    client.login(other_buyer.email)
    listed = client.get("/network/knowledge?q=lvds").get_data(as_text=True)
    assert "No image, backlight on" in listed
    page = client.get(f"/network/knowledge/{article.id}").get_data(as_text=True)
    assert "Reseat the LVDS cable" in page and "ACME" not in page and asker.name not in page
    assert client.get(f"/network/questions/{asked.id}").status_code == 404  # the question itself stays private
    client.post("/logout")
    client.login(stranger.email)
    assert "No image, backlight on" not in client.get("/network/knowledge").get_data(as_text=True)
    assert client.get(f"/network/knowledge/{article.id}").status_code == 404


def test_unpublishing_removes_the_article(client, make, db):
    asker, model = buyer(make)
    asked = question(make, asker, model)
    client.login(make.user(role="quality").email)
    client.post(f"/network/questions/{asked.id}/answer", data={"answer": "A", "publish": "y"})
    client.post(f"/network/questions/{asked.id}/answer", data={"answer": "A, corrected"})
    assert db.session.scalar(select(func.count()).select_from(KnowledgeArticle).where(
        KnowledgeArticle.question_id == asked.id)) == 0


def test_escalation_to_qa_with_assignee_and_due_date(client, make, db):
    asker, model = buyer(make)
    asked = question(make, asker, model)
    qa = make.user(role="quality", name="QA Zhou")
    finance = make.user(role="finance")
    client.login(make.user(role="staff").email)
    due = (date.today() + timedelta(days=5)).isoformat()
    for data, message in (({"team": "qa", "assignee_id": finance.id, "due": due}, "assignee of that department"),
                          ({"team": "sales", "assignee_id": qa.id, "due": due}, "Choose QA or R&amp;D"),
                          ({"team": "qa", "assignee_id": qa.id, "due": "2001-01-01"}, "cannot be in the past"),
                          ({"team": "qa", "assignee_id": qa.id, "due": ""}, "Enter the due date")):
        page = client.post(f"/network/questions/{asked.id}/escalate", data={**data, "note": "kept note"})
        text = page.get_data(as_text=True)
        assert page.status_code == 422 and message in text and "kept note" in text, message
    db.session.expire_all()
    assert db.session.get(TechQuestion, asked.id).status == "open"
    ok = client.post(f"/network/questions/{asked.id}/escalate",
                     data={"team": "qa", "assignee_id": qa.id, "due": due, "note": "reproduced"})
    assert ok.status_code == 302
    db.session.expire_all()
    found = db.session.get(TechQuestion, asked.id)
    assert (found.status, found.escalated_to, found.escalation_assignee_id) == ("escalated", "qa", qa.id)
    mine = client.get(f"/network/questions?mine=1").get_data(as_text=True)
    assert found.subject not in mine  # escalated to QA Zhou, not to this staff member
    client.post("/logout")
    client.login(qa.email)
    assert found.subject in client.get("/network/questions?mine=1").get_data(as_text=True)


def test_escalation_rules_in_the_service(make, app):
    asker, model = buyer(make)
    asked = question(make, asker, model, status="answered")
    rnd = make.user(role="staff")
    with app.test_request_context(), pytest.raises(NetworkError, match="answered already"):
        escalate_question(asked, "rnd", rnd.id, date(2030, 1, 1), "", date(2026, 1, 1))
    open_one = question(make, asker, model)
    with app.test_request_context():
        escalate_question(open_one, "rnd", rnd.id, date(2026, 1, 10), "", date(2026, 1, 1))
    assert not is_overdue(open_one, date(2026, 1, 10)) and is_overdue(open_one, date(2026, 1, 11))


def test_client_cannot_answer_or_escalate(client, make):
    asker, model = buyer(make, role="client_admin")
    asked = question(make, asker, model)
    client.login(asker.email)
    assert client.post(f"/network/questions/{asked.id}/answer", data={"answer": "x"}).status_code == 403
    assert client.post(f"/network/questions/{asked.id}/escalate", data={"team": "qa"}).status_code == 403
