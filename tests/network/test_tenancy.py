"""Tenancy: every page a client reaches shows only its own company's records; another client's
id answers 404 (visits, questions, attachments, stations, knowledge of models it did not buy)."""
from __future__ import annotations

from datetime import date

from portal.network.question_models import KnowledgeArticle, QuestionAttachment, TechQuestion
from portal.db import utcnow


def _setup(make, net, db):
    mine = make.user(role="client_admin")
    theirs = make.user(role="client_admin")
    model = make.model()
    make.shipment(client=theirs.client, lines=[dict(model_id=model.id, quantity=1, unit_price="1.00")])
    visit = net.visit(theirs.client, address="Their secret address")
    station = net.client_station(theirs.client, code="THEIRS-1", name="Their station")
    net.client_station(mine.client, code="MINE-1", name="My station")
    question = TechQuestion(client_id=theirs.client_id, model_id=model.id, subject="Their question", body="B")
    db.session.add(question)
    db.session.flush()
    attachment = QuestionAttachment(question_id=question.id, key="0" * 64, filename="x.txt")
    article = KnowledgeArticle(question_id=question.id, model_id=model.id, title="Their model's article",
                               question_text="Q", answer="A", published_at=utcnow())
    db.session.add_all([attachment, article])
    db.session.flush()
    return mine, theirs, visit, station, question, attachment, article


def test_another_clients_records_are_404(client, make, net, db):
    mine, theirs, visit, station, question, attachment, article = _setup(make, net, db)
    client.login(mine.email)
    for path in (f"/network/onsite/{visit.id}", f"/network/questions/{question.id}",
                 f"/network/questions/{question.id}/attachments/{attachment.id}",
                 f"/network/client-stations/{station.id}/edit", f"/network/knowledge/{article.id}"):
        assert client.get(path).status_code == 404, path
    for path in (f"/network/onsite/{visit.id}/confirm", f"/network/onsite/{visit.id}/cancel"):
        assert client.post(path, data={}).status_code == 404, path
    assert client.post(f"/network/client-stations/{station.id}/edit", data={"code": "X"}).status_code == 404


def test_lists_show_only_the_clients_own(client, make, net, db):
    mine, theirs, visit, station, question, attachment, article = _setup(make, net, db)
    own_visit = net.visit(mine.client, address="My own address")
    client.login(mine.email)
    visits = client.get("/network/onsite").get_data(as_text=True)
    assert f"#{own_visit.id}<" in visits and f"#{visit.id}<" not in visits
    stations = client.get("/network/client-stations").get_data(as_text=True)
    assert "MINE-1" in stations and "THEIRS-1" not in stations
    assert "Their question" not in client.get("/network/questions").get_data(as_text=True)
    assert "Their model" not in client.get("/network/knowledge").get_data(as_text=True)
    assert "Their" not in client.get("/network/").get_data(as_text=True)


def test_client_cannot_reach_staff_pages(client, make, net):
    user = make.user(role="client_user")
    client.login(user.email)
    for path in ("/network/stations", "/network/stations/1", "/network/hk", "/network/calendar",
                 "/network/performance", "/network/hk/visits/1"):
        assert client.get(path).status_code == 403, path
    assert client.post("/network/technicians", data={}).status_code == 403


def test_staff_see_every_client(client, make, net, db):
    mine, theirs, visit, station, question, attachment, article = _setup(make, net, db)
    client.login(make.user(role="staff").email)
    assert client.get(f"/network/onsite/{visit.id}").status_code == 200
    assert "Their question" in client.get("/network/questions").get_data(as_text=True)
    assert "THEIRS-1" in client.get("/network/client-stations").get_data(as_text=True)
    assert date.today()
