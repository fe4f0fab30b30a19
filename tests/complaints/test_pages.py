from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from portal.complaints.models import Complaint, EarlyWarning
from portal.complaints.services import ComplaintInput, open_complaint


def complaint_of(client, title="Panel lines"):
    return open_complaint(client, ComplaintInput(title=title, description="d", level="high"))


def test_a_client_files_a_complaint_and_sees_only_its_own(db, world, client):
    mine, theirs = complaint_of(world.acme, "Ours"), complaint_of(world.other, "Theirs")
    client.login(world.acme_user.email)
    response = client.post("/complaints/new", data={"title": "Dark screens", "level": "urgent",
                                                    "models_text": "CPX-55", "description": "Dead on arrival"})
    assert response.status_code == 302
    created = db.session.scalars(select(Complaint).where(Complaint.title == "Dark screens")).one()
    assert (created.client_id, created.level, created.model_id) == (world.acme.id, "urgent", world.model.id)
    page = client.get("/complaints/").get_data(as_text=True)
    assert "Ours" in page and "Dark screens" in page and "Theirs" not in page
    assert client.get(f"/complaints/{mine.id}").status_code == 200
    assert client.get(f"/complaints/{theirs.id}").status_code == 404
    assert client.post(f"/complaints/{mine.id}/escalate").status_code == 403


def test_bad_input_keeps_what_was_typed(db, world, client):
    client.login(world.acme_user.email)
    response = client.post("/complaints/new", data={"title": "Kept title", "level": "normal",
                                                    "models_text": "NOPE-9", "description": "kept text"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "NOPE-9" in page and "Kept title" in page and "kept text" in page
    response = client.post("/complaints/new", data={"title": "", "level": "bogus", "description": ""})
    assert response.status_code == 422
    assert not db.session.scalars(select(Complaint)).all()


def test_staff_escalate_and_close_through_the_pages(db, world, client):
    c = complaint_of(world.acme)
    client.login(world.staff.email)
    due = (date.today() + timedelta(days=3)).isoformat()
    response = client.post(f"/complaints/{c.id}/escalate", data={"escalate-team": "rnd",
                                                                 "escalate-assignee": world.quality.id,
                                                                 "escalate-due": due})
    assert response.status_code == 302
    db.session.refresh(c)
    assert (c.status, c.escalated_to, c.assignee_id) == ("escalated", "rnd", world.quality.id)
    response = client.post(f"/complaints/{c.id}/close", data={"close-satisfaction": "90", "close-note": "ok"})
    assert response.status_code == 422 and "cannot be" in response.get_data(as_text=True)
    db.session.refresh(c)
    assert c.status == "escalated"
    assert client.post(f"/complaints/{c.id}/resolve", data={
        "resolve-emergency_fix": "swap", "resolve-root_cause": "ESD", "resolve-responsibility": "client"}
    ).status_code == 302
    bad = client.post(f"/complaints/{c.id}/close", data={"close-satisfaction": "150", "close-note": "ok"})
    assert bad.status_code == 422
    assert client.post(f"/complaints/{c.id}/close", data={"close-satisfaction": "75", "close-note": "visited"}
                       ).status_code == 302
    db.session.refresh(c)
    assert (c.status, c.satisfaction) == ("closed", 75)
    assert client.post(f"/complaints/{c.id}/nonsense").status_code == 404


def warning(db, world):
    w = EarlyWarning(key="batch_category:1:main_board", kind="batch_category", batch_id=world.batch.id,
                     model_id=world.model.id, category="main_board", window_count=9, baseline_count=6,
                     expected=1, p_value=1e-6, evidence={"window": ["2025-09-01", "2025-09-30"], "baseline_days": 180,
                                                         "baseline_per_30_days": 1, "ratio": 9, "sources": {"rma": 9},
                                                         "batches": [{"batch": "CPX-B1", "count": 9}],
                                                         "parts": [{"batch": "CPX-B1", "category": "main_board",
                                                                    "part": "MB-777", "description": "x"}],
                                                         "causes": {}},
                     status="open", detected_at=datetime.now(timezone.utc))
    db.session.add(w)
    db.session.flush()
    return w


def test_quality_acknowledges_notes_and_closes_a_warning(db, world, client):
    w = warning(db, world)
    client.login(world.quality.email)
    page = client.get("/early-warnings/").get_data(as_text=True)
    assert w.label in page
    detail = client.get(f"/early-warnings/{w.id}").get_data(as_text=True)
    assert "MB-777" in detail and "CPX-B1" in detail
    assert client.post(f"/early-warnings/{w.id}/acknowledge", data={"note": ""}).status_code == 302
    assert client.post(f"/early-warnings/{w.id}/close", data={"note": ""}).status_code == 422
    assert client.post(f"/early-warnings/{w.id}/close", data={"note": "Supplier lot replaced"}).status_code == 302
    db.session.refresh(w)
    assert w.status == "closed" and "Supplier lot replaced" in w.action_note and w.acknowledged_by_id == world.quality.id
    assert client.post(f"/early-warnings/{w.id}/acknowledge", data={}).status_code == 303
    db.session.refresh(w)
    assert w.status == "closed"


def test_clients_never_see_warnings(db, world, client):
    w = warning(db, world)
    client.login(world.acme_user.email)
    assert client.get("/early-warnings/").status_code == 403
    assert client.get(f"/early-warnings/{w.id}").status_code == 403
    assert client.post("/early-warnings/run").status_code == 403


def test_quality_runs_the_detection_as_a_job(db, world, client):
    client.login(world.quality.email)
    response = client.post("/early-warnings/run")
    assert response.status_code == 302 and "/jobs/" in response.location
