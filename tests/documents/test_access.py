"""The one access rule (portal.documents.access), through the services, pages and API."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.clients.models import Client
from portal.documents.access import clients_with_access, get_visible_document
from portal.documents.models import DocumentGrant, DocumentTypePermission
from portal.extensions import db as _db

from .conftest import buyer


def sees(user, document_id) -> bool:
    return get_visible_document(user, document_id) is not None


@pytest.fixture
def world(make, publish):
    model_a, model_b = make.model(), make.model()
    client_a, user_a = buyer(make, model_a)
    client_b, user_b = buyer(make, model_b)
    manual_a = publish(models=[model_a], title="Manual A").document
    manual_b = publish(models=[model_b], title="Manual B").document
    schematic_a = publish(models=[model_a], doc_type="schematic", title="Schematic A").document
    return locals()


def test_a_client_sees_the_documents_of_the_models_it_bought(world):
    w = world
    assert sees(w["user_a"], w["manual_a"].id)
    assert not sees(w["user_a"], w["manual_b"].id)
    assert sees(w["user_b"], w["manual_b"].id) and not sees(w["user_b"], w["manual_a"].id)


def test_staff_see_everything(world, make):
    for role in ("staff", "quality", "finance", "admin"):
        user = make.user(role=role)
        assert all(sees(user, world[k].id) for k in ("manual_a", "manual_b", "schematic_a"))


def test_an_explicit_grant_gives_a_document_to_that_client_only(world, make):
    w = world
    _db.session.add(DocumentGrant(document_id=w["manual_b"].id, client_id=w["client_a"].id))
    _db.session.flush()
    assert sees(w["user_a"], w["manual_b"].id)
    other_user = make.user(role="client_user", client=make.client())
    assert not sees(other_user, w["manual_b"].id)  # another client's grant gives it nothing


def test_confidential_needs_the_permission_even_for_a_bought_model(world):
    w = world
    assert not sees(w["user_a"], w["schematic_a"].id)
    _db.session.add(DocumentTypePermission(client_id=w["client_b"].id, doc_type="schematic"))
    _db.session.flush()
    assert not sees(w["user_a"], w["schematic_a"].id)  # another client's permission
    assert not sees(w["user_b"], w["schematic_a"].id)  # permission, but not its model
    _db.session.add(DocumentTypePermission(client_id=w["client_a"].id, doc_type="schematic"))
    _db.session.flush()
    assert sees(w["user_a"], w["schematic_a"].id)


def test_a_grant_does_not_waive_the_confidential_permission(world):
    w = world
    _db.session.add(DocumentGrant(document_id=w["schematic_a"].id, client_id=w["client_b"].id))
    _db.session.flush()
    assert not sees(w["user_b"], w["schematic_a"].id)
    _db.session.add(DocumentTypePermission(client_id=w["client_b"].id, doc_type="schematic"))
    _db.session.flush()
    assert sees(w["user_b"], w["schematic_a"].id)


def test_a_document_narrowed_to_batches_needs_one_of_those_batches(make, publish):
    model = make.model()
    batch_1, batch_2 = make.batch(model=model), make.batch(model=model)
    _, got_1 = buyer(make, model, batch_1)
    _, got_2 = buyer(make, model, batch_2)
    materials = publish(models=[model], batches=[batch_1], doc_type="batch_materials").document
    assert sees(got_1, materials.id) and not sees(got_2, materials.id)


def test_clients_with_access_is_the_same_rule_seen_from_the_document(world):
    w = world
    ids = lambda doc: {c.id for c in _db.session.scalars(clients_with_access(doc.id))}  # noqa: E731
    assert w["client_a"].id in ids(w["manual_a"]) and w["client_b"].id not in ids(w["manual_a"])
    assert ids(w["schematic_a"]).isdisjoint({w["client_a"].id, w["client_b"].id})
    _db.session.add(DocumentTypePermission(client_id=w["client_a"].id, doc_type="schematic"))
    _db.session.flush()
    assert w["client_a"].id in ids(w["schematic_a"])
    w["client_a"].active = False
    _db.session.flush()
    assert w["client_a"].id not in ids(w["manual_a"])


def test_pages_and_api_follow_the_rule(world, client, app):
    w = world
    client.login(w["user_a"].email)
    listing = client.get("/documents/").get_data(as_text=True)
    assert "Manual A" in listing and "Manual B" not in listing and "Schematic A" not in listing
    for doc, status in ((w["manual_a"], 200), (w["manual_b"], 404), (w["schematic_a"], 404)):
        assert client.get(f"/documents/{doc.id}").status_code == status
        assert client.get(f"/documents/{doc.id}/download").status_code == status
        version = doc.current
        assert client.get(f"/documents/{doc.id}/versions/{version.id}/download").status_code == status
    # a version id of another document under a visible one
    assert client.get(f"/documents/{w['manual_a'].id}/versions/{w['manual_b'].current.id}/download").status_code == 404

    token = client.post("/api/v1/auth/tokens", json={"email": w["user_a"].email,
                                                     "password": "correct-horse-battery"}).json["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert [d["title"] for d in client.get("/api/v1/documents/", headers=auth).json] == ["Manual A"]
    for doc, status in ((w["manual_a"], 200), (w["manual_b"], 404), (w["schematic_a"], 404)):
        assert client.get(f"/api/v1/documents/{doc.id}", headers=auth).status_code == status
        assert client.get(f"/api/v1/documents/{doc.id}/download", headers=auth).status_code == status
        assert client.get(f"/api/v1/documents/{doc.id}/versions/{doc.current.id}/download",
                          headers=auth).status_code == status


def test_clients_cannot_reach_the_staff_pages(world, client):
    w = world
    client.login(w["user_a"].email)
    doc = w["manual_a"].id
    for path in ("/documents/new", f"/documents/{doc}/edit", f"/documents/{doc}/downloads", "/documents/permissions"):
        assert client.get(path).status_code == 403, path
    for path in (f"/documents/{doc}/versions", f"/documents/{doc}/grants", "/documents/permissions"):
        assert client.post(path, data={"client_id": w["client_a"].id, "doc_type": "schematic",
                                       "allowed": "1"}).status_code == 403, path
    assert _db.session.scalar(select(DocumentTypePermission.id)) is None
    assert _db.session.scalar(select(Client.id).where(Client.id == w["client_a"].id))
