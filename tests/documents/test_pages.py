"""Publishing, versions, downloads and their log through the pages."""
from __future__ import annotations

import io

from sqlalchemy import func, select

from portal.audit import AuditEntry
from portal.documents.models import Document, DocumentDownload, DocumentGrant, DocumentTypePermission, DocumentVersion
from portal.extensions import db as _db

from .conftest import FIRMWARE, buyer, pdf_bytes


def form(model, **kw):
    data = {"title": "Service manual KTV", "doc_type": "service_manual", "language": "en",
            "model_ids": [str(model.id)], "release_notes": "First issue", "description": "All chassis"}
    data.update(kw)
    return data


def test_staff_publish_a_document_and_a_new_version(client, staff, make):
    model = make.model()
    client.login(staff.email)
    assert client.get("/documents/new").status_code == 200
    response = client.post("/documents/new", data=form(model, file=(io.BytesIO(pdf_bytes()), "manual v1.pdf")),
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    document = _db.session.scalar(select(Document))
    assert document.title == "Service manual KTV" and [m.id for m in document.models] == [model.id]
    v1 = document.current
    assert (v1.number, v1.filename, v1.file_format, v1.release_notes) == (1, "manual v1.pdf", "pdf", "First issue")

    new = pdf_bytes("Second edition")
    response = client.post(f"/documents/{document.id}/versions",
                           data={"file": (io.BytesIO(new), "manual v2.pdf"), "release_notes": "Fixes"},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    _db.session.expire_all()
    assert [v.number for v in document.versions] == [2, 1]
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Superseded" in page and "Current" in page and "Fixes" in page
    old = client.get(f"/documents/{document.id}/versions/{v1.id}/download")
    assert old.status_code == 200 and old.data == pdf_bytes()
    assert client.get(f"/documents/{document.id}/download").data == new
    assert _db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "document.publish")) == 2


def test_a_rejected_upload_keeps_what_was_typed_and_writes_nothing(client, staff, make):
    model = make.model()
    client.login(staff.email)
    for name, data in (("../../etc/passwd", pdf_bytes()), ("manual.pdf", b"<html>not a pdf</html>"),
                       ("manual.pdf", b""), ("report.exe", b"MZ" + b"\0" * 50)):
        response = client.post("/documents/new", data=form(model, title="Kept title", file=(io.BytesIO(data), name)),
                               content_type="multipart/form-data")
        page = response.get_data(as_text=True)
        assert response.status_code == 400, name
        assert 'value="Kept title"' in page and "is-invalid" in page and "All chassis" in page
    response = client.post("/documents/new", data=form(model), content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a file" in response.get_data(as_text=True)
    response = client.post("/documents/new", data=form(model, model_ids=[], doc_type="nope",
                                                       file=(io.BytesIO(pdf_bytes()), "m.pdf")),
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert _db.session.scalar(select(func.count(Document.id))) == 0
    assert _db.session.scalar(select(func.count(DocumentVersion.id))) == 0


def test_a_batch_must_belong_to_a_chosen_model(client, staff, make):
    model, other = make.model(), make.model()
    batch = make.batch(model=other)
    client.login(staff.email)
    response = client.post("/documents/new", data=form(model, batch_ids=[str(batch.id)],
                                                       file=(io.BytesIO(pdf_bytes()), "m.pdf")),
                           content_type="multipart/form-data")
    assert response.status_code == 400 and "must belong" in response.get_data(as_text=True)


def test_board_software_and_edit(client, staff, make, publish):
    model = make.model()
    version = publish(models=[model], doc_type="board_software", data=FIRMWARE, filename="MB v1.bin")
    client.login(staff.email)
    doc = version.document
    assert client.get(f"/documents/{doc.id}/edit").status_code == 200
    response = client.post(f"/documents/{doc.id}/edit", data={
        "title": "Main board firmware", "doc_type": "board_software", "language": "zh_Hans",
        "model_ids": [str(model.id)]})
    assert response.status_code == 302
    _db.session.expire_all()
    assert (doc.title, doc.language) == ("Main board firmware", "zh_Hans")
    bad = client.post(f"/documents/{doc.id}/edit", data={"title": "", "doc_type": "board_software", "language": "en",
                                                        "model_ids": [str(model.id)]})
    assert bad.status_code == 400
    download = client.get(f"/documents/{doc.id}/download")
    assert download.data == FIRMWARE and download.mimetype == "application/octet-stream"
    assert download.headers["Content-Disposition"] == 'attachment; filename="MB v1.bin"; filename*=UTF-8\'\'MB%20v1.bin'
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_every_download_is_recorded_and_shown_to_staff(client, staff, make, publish):
    model = make.model()
    owner, user = buyer(make, model, name="Brand Alpha")
    document = publish(models=[model]).document
    client.login(user.email)
    assert client.get(f"/documents/{document.id}/download").status_code == 200
    rows = list(_db.session.scalars(select(DocumentDownload)))
    assert [(r.user_id, r.client_id, r.version_id, r.stamped, r.via_api) for r in rows] == [
        (user.id, owner.id, document.current.id, False, False)]
    client.post("/logout")
    client.login(staff.email)
    page = client.get(f"/documents/{document.id}/downloads").get_data(as_text=True)
    assert user.email in page and "Brand Alpha" in page


def test_grants_and_permissions_pages(client, staff, make, publish):
    model = make.model()
    other, other_user = buyer(make, make.model())
    schematic = publish(models=[model], doc_type="schematic").document
    client.login(staff.email)
    response = client.post(f"/documents/{schematic.id}/grants", data={"client_id": other.id}, follow_redirects=True)
    assert "no permission for confidential" in response.get_data(as_text=True)
    assert _db.session.scalar(select(DocumentGrant.client_id)) == other.id
    assert client.get("/documents/permissions").status_code == 200
    assert client.post("/documents/permissions", data={"client_id": other.id, "doc_type": "schematic",
                                                       "allowed": "1"}).status_code == 302
    assert client.post("/documents/permissions", data={"client_id": other.id, "doc_type": "bom",
                                                       "allowed": "1"}).status_code == 400
    assert _db.session.scalar(select(DocumentTypePermission.client_id)) == other.id
    client.post("/logout")
    client.login(other_user.email)
    assert client.get(f"/documents/{schematic.id}").status_code == 200
    client.post("/logout")
    client.login(staff.email)
    client.post(f"/documents/{schematic.id}/grants", data={"client_id": other.id, "action": "revoke"})
    assert _db.session.scalar(select(DocumentGrant.id)) is None
    client.post("/logout")
    client.login(other_user.email)
    assert client.get(f"/documents/{schematic.id}").status_code == 404


def test_search_and_filters(client, staff, make, publish):
    tv, monitor = make.model(), make.model(kind="monitor")
    publish(models=[tv], title="KTV service manual", language="en")
    publish(models=[monitor], title="Monitor BOM", doc_type="bom", data=pdf_bytes("bom"), filename="bom.pdf",
            language="zh_Hans")
    client.login(staff.email)

    def titles(query):
        page = client.get("/documents/" + query).get_data(as_text=True)
        return {t for t in ("KTV service manual", "Monitor BOM") if t in page}

    assert titles("") == {"KTV service manual", "Monitor BOM"}
    assert titles("?q=bom") == {"Monitor BOM"}
    assert titles("?q=%25") == set()  # wildcards are taken literally
    assert titles(f"?model={tv.id}") == {"KTV service manual"}
    assert titles("?type=bom") == {"Monitor BOM"}
    assert titles("?language=en") == {"KTV service manual"}
    assert titles("?model=abc&type=&language=") == {"KTV service manual", "Monitor BOM"}


def test_the_list_is_paginated_without_n_plus_1(client, staff, make, publish, app, monkeypatch):
    from sqlalchemy import event

    model = make.model()
    _, user = buyer(make, model)
    client.login(user.email)
    statements = []

    def count(*_args):
        statements.append(1)

    def queries_for(path):
        statements.clear()
        event.listen(_db.engine, "before_cursor_execute", count)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(_db.engine, "before_cursor_execute", count)
        return len(statements)

    publish(models=[model], title="Doc first")
    one = queries_for("/documents/")
    for n in range(5):
        publish(models=[model, make.model()], title=f"Doc {n}")
    assert queries_for("/documents/") == one
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    page = client.get("/documents/?page=3").get_data(as_text=True)
    assert page.count('/download"') == 2 and "6 in all" in page


def test_a_rejected_new_version_shows_the_error_and_keeps_the_notes(client, staff, publish):
    document = publish().document
    client.login(staff.email)
    response = client.post(f"/documents/{document.id}/versions",
                           data={"file": (io.BytesIO(b"<html>x</html>"), "manual.pdf"), "release_notes": "Kept notes"},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Kept notes" in page and "not what its name says" in page
    assert client.post("/documents/999999/versions", data={}).status_code == 404
    _db.session.expire_all()
    assert [v.number for v in document.versions] == [1]
