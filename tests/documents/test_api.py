"""The documents API: search, detail with versions, downloads, publishing by staff."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from portal.documents.models import Document, DocumentDownload
from portal.extensions import db as _db

from .conftest import FIRMWARE, buyer, pdf_bytes
from tests.factories import PASSWORD


def bearer(client, user) -> dict:
    token = client.post("/api/v1/auth/tokens", json={"email": user.email, "password": PASSWORD}).json["token"]
    return {"Authorization": f"Bearer {token}"}


def test_staff_publish_and_read_through_the_api(client, staff, make):
    model = make.model()
    auth = bearer(client, staff)
    response = client.post("/api/v1/documents/", headers=auth, content_type="multipart/form-data", data={
        "title": "KTV manual", "doc_type": "service_manual", "language": "en", "model_ids": [str(model.id)],
        "release_notes": "First", "file": (io.BytesIO(pdf_bytes()), "manual.pdf")})
    assert response.status_code == 201, response.json
    body = response.json
    assert body["title"] == "KTV manual" and body["model_codes"] == [model.code] and body["current_version"] == 1
    doc_id = body["id"]
    response = client.post(f"/api/v1/documents/{doc_id}/versions", headers=auth, content_type="multipart/form-data",
                           data={"release_notes": "Second", "file": (io.BytesIO(pdf_bytes("v2")), "manual2.pdf")})
    assert response.status_code == 201
    versions = response.json["versions"]
    assert [(v["number"], v["current"]) for v in versions] == [(2, True), (1, False)]
    old = client.get(versions[1]["download_url"], headers=auth)
    assert old.status_code == 200 and old.data == pdf_bytes()
    listing = client.get("/api/v1/documents/?q=ktv&type=service_manual", headers=auth)
    assert [d["id"] for d in listing.json] == [doc_id] and "X-Pagination" in listing.headers
    assert client.get("/api/v1/documents/?type=nonsense", headers=auth).status_code == 422
    row = _db.session.scalar(select(DocumentDownload))
    assert row.via_api is True and row.version_id == versions[1]["id"]


def test_rejected_uploads_answer_422_and_write_nothing(client, staff, make):
    model = make.model()
    auth = bearer(client, staff)
    base = {"title": "T", "doc_type": "board_software", "language": "en", "model_ids": [str(model.id)]}
    cases = [
        ({**base, "file": (io.BytesIO(b"MZ" + b"\0" * 99), "fw.bin")}, "file"),
        ({**base, "file": (io.BytesIO(FIRMWARE), "../../etc/passwd")}, "file"),
        ({**base, "file": (io.BytesIO(b""), "fw.bin")}, "file"),
        ({**base, "model_ids": [], "file": (io.BytesIO(FIRMWARE), "fw.bin")}, "model_ids"),
        ({**base, "doc_type": "poster", "file": (io.BytesIO(FIRMWARE), "fw.bin")}, "doc_type"),
        ({**base, "language": "xx", "file": (io.BytesIO(FIRMWARE), "fw.bin")}, "language"),
        ({**base, "model_ids": ["abc"], "file": (io.BytesIO(FIRMWARE), "fw.bin")}, "model_ids"),
    ]
    for data, field in cases:
        response = client.post("/api/v1/documents/", headers=auth, content_type="multipart/form-data", data=data)
        assert response.status_code == 422, (field, response.json)
        assert field in response.json["errors"]["json"], (field, response.json)
    response = client.post("/api/v1/documents/", headers=auth, content_type="multipart/form-data", data=base)
    assert response.status_code == 422
    assert _db.session.scalar(select(func.count(Document.id))) == 0


def test_clients_cannot_publish_and_tokens_are_required(client, make, publish):
    model = make.model()
    _, user = buyer(make, model)
    document = publish(models=[model]).document
    auth = bearer(client, user)
    data = {"title": "T", "doc_type": "service_manual", "language": "en", "model_ids": [str(model.id)],
            "file": (io.BytesIO(pdf_bytes()), "m.pdf")}
    response = client.post("/api/v1/documents/", headers=auth, content_type="multipart/form-data", data=data)
    assert response.status_code == 403
    assert client.post(f"/api/v1/documents/{document.id}/versions", headers=auth, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(pdf_bytes()), "m.pdf")}).status_code == 403
    assert client.get("/api/v1/documents/").status_code == 401
    assert client.get(f"/api/v1/documents/{document.id}/download").status_code == 401
    detail = client.get(f"/api/v1/documents/{document.id}", headers=auth)
    assert detail.status_code == 200 and "sha256" in detail.json["versions"][0]
    assert client.get("/api/v1/documents/999999", headers=auth).status_code == 404


def test_openapi_describes_the_documents_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"/api/v1/documents/", "/api/v1/documents/{document_id}", "/api/v1/documents/{document_id}/versions",
            "/api/v1/documents/{document_id}/download"} <= set(paths)
