"""Confidential PDFs are stamped on download; publishing notifies the clients with access."""
from __future__ import annotations

import email
import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from portal.documents.models import DocumentDownload, DocumentTypePermission
from portal.extensions import db as _db
from portal.notices.models import Notice
from portal.notices.services import post_notice

from .conftest import buyer, pdf_bytes


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def permit(client, doc_type="schematic"):
    _db.session.add(DocumentTypePermission(client_id=client.id, doc_type=doc_type))
    _db.session.flush()


def test_a_confidential_pdf_is_stamped_on_every_page_for_the_client(client, make, publish, staff):
    model = make.model()
    owner, user = buyer(make, model, name="Brand Omega 欧米茄", locale="en")
    permit(owner)
    original = pdf_bytes("Schematic", pages=3)
    document = publish(models=[model], doc_type="schematic", data=original, filename="sch.pdf").document
    client.login(user.email)
    response = client.get(f"/documents/{document.id}/download")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    texts = page_texts(response.data)
    assert len(texts) == 3
    today = date.today()
    for n, text in enumerate(texts, start=1):
        assert f"Schematic page {n}" in text
        assert "Brand Omega 欧米茄" in text and user.email in text and str(today.year) in text
        assert "Confidential" in text
    row = _db.session.scalar(select(DocumentDownload))
    assert row.stamped is True and row.client_id == owner.id
    client.post("/logout")
    client.login(staff.email)  # internal users get the original
    assert client.get(f"/documents/{document.id}/download").data == original


def test_the_stamp_is_in_the_clients_language(client, make, publish):
    model = make.model()
    owner, user = buyer(make, model, name="品牌甲", locale="zh_Hans")
    permit(owner)
    document = publish(models=[model], doc_type="schematic").document
    client.login(user.email)
    text = page_texts(client.get(f"/documents/{document.id}/download").data)[0]
    assert "品牌甲" in text


def test_other_types_are_not_stamped(client, make, publish):
    model = make.model()
    _, user = buyer(make, model)
    original = pdf_bytes("Manual")
    document = publish(models=[model], data=original).document
    client.login(user.email)
    assert client.get(f"/documents/{document.id}/download").data == original


def test_publishing_notifies_the_clients_with_access_in_portal_and_by_mail(make, publish, isolated_files):
    model = make.model()
    owner, user = buyer(make, model, contact_email="service@alpha.example", locale="en")
    make.user(role="client_admin", client=owner, email="boss@alpha.example")
    make.user(role="client_user", client=owner, email="left@alpha.example", active=False)
    stranger, _ = buyer(make, make.model(), contact_email="service@other.example")
    v1 = publish(models=[model], title="KTV manual", release_notes="First issue")
    publish(document=v1.document, release_notes="Corrected page 4", filename="v2.pdf", data=pdf_bytes("two"))
    notices = list(_db.session.scalars(select(Notice).order_by(Notice.id)))
    assert [(n.client_id, n.key) for n in notices] == [(owner.id, "documents.new_document"),
                                                       (owner.id, "documents.new_version")]
    assert notices[1].link == f"/documents/{v1.document_id}"
    mails = [email.message_from_bytes(p.read_bytes()) for p in sorted((isolated_files / "outbox").glob("*.eml"))]
    assert len(mails) == 2
    for mail in mails:
        to = mail["To"]
        assert "service@alpha.example" in to and "boss@alpha.example" in to and user.email in to
        assert "left@alpha.example" not in to and "other.example" not in to
    bodies = [m.get_payload(decode=True).decode() for m in mails]
    assert any("Corrected page 4" in b for b in bodies)


def test_confidential_versions_notify_only_permitted_clients(make, publish, isolated_files):
    model = make.model()
    allowed, _ = buyer(make, model, contact_email="a@example.com")
    permit(allowed)
    buyer(make, model, contact_email="b@example.com")
    publish(models=[model], doc_type="schematic")
    assert list(_db.session.scalars(select(Notice.client_id))) == [allowed.id]
    mails = list((isolated_files / "outbox").glob("*.eml"))
    assert len(mails) == 1 and "a@example.com" in mails[0].read_text()


def test_notices_page_badge_and_reading(client, make, publish):
    model = make.model()
    owner, user = buyer(make, model)
    other, other_user = buyer(make, make.model())
    document = publish(models=[model], title="KTV manual").document
    foreign = post_notice(other.id, "documents.new_document", {"title": "Secret of other", "type": "x"}, "/documents/")
    _db.session.flush()
    client.login(user.email)
    home = client.get("/documents/").get_data(as_text=True)
    assert 'id="notices-badge"' in home and ">1<span" in home
    page = client.get("/notices/").get_data(as_text=True)
    assert "New document: KTV manual (Service manual)" in page and "Secret of other" not in page
    notice = _db.session.scalar(select(Notice).where(Notice.client_id == owner.id))
    assert client.post(f"/notices/{foreign.id}/open").status_code == 404  # another client's notice
    response = client.post(f"/notices/{notice.id}/open")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/documents/{document.id}")
    _db.session.expire_all()
    assert notice.read_at is not None and notice.read_by_id == user.id and foreign.read_at is None
    assert ">1<span" not in client.get("/documents/").get_data(as_text=True)
    post_notice(owner.id, "documents.new_version", {"title": "T", "version": 2, "type": "y"})
    post_notice(owner.id, "unknown.key")
    _db.session.flush()
    assert "unknown.key" in client.get("/notices/?unread=1").get_data(as_text=True)
    client.post("/notices/read-all")
    _db.session.expire_all()
    assert _db.session.scalar(select(Notice.id).where(Notice.client_id == owner.id, Notice.read_at.is_(None))) is None
    assert foreign.read_at is None
    client.post("/logout")
    client.login(other_user.email)
    assert "Secret of other" in client.get("/notices/").get_data(as_text=True)


def test_staff_have_no_notices_page(client, staff):
    client.login(staff.email)
    assert client.get("/notices/").status_code == 403
    assert 'id="notices-badge"' not in client.get("/documents/").get_data(as_text=True)


def test_a_notice_link_stays_inside_the_portal(make, db):
    owner = make.client()
    assert post_notice(owner.id, "k", link="https://evil.example/").link == ""
    assert post_notice(owner.id, "k", link="//evil.example/").link == ""
    assert post_notice(owner.id, "k", link="/documents/1").link == "/documents/1"


def test_rotated_and_odd_sized_pages_are_stamped(make, app):
    from pypdf import PdfReader, PdfWriter

    from portal.documents.stamp import stamp_pdf

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes("Board", pages=2))))
    writer.pages[0].rotate(90)
    writer.add_blank_page(width=842, height=300)
    source = io.BytesIO()
    writer.write(source)
    stamped = stamp_pdf(source.getvalue(), "Issued to Brand X", "Brand X")
    texts = page_texts(stamped)
    assert len(texts) == 3 and all("Issued to Brand X" in t for t in texts)


def test_giving_a_document_notifies_the_client_when_it_can_see_it(client, make, publish, staff):
    model = make.model()
    manual = publish(models=[model]).document
    schematic = publish(models=[model], doc_type="schematic").document
    other = make.client()
    client.login(staff.email)
    client.post(f"/documents/{manual.id}/grants", data={"client_id": other.id})
    client.post(f"/documents/{schematic.id}/grants", data={"client_id": other.id})  # no permission: no notice
    assert [n.params["title"] for n in _db.session.scalars(select(Notice).where(Notice.client_id == other.id))] == [
        manual.title]
