"""The claims upload as a background job: the outcome on the job's page, and a client user's
upload confined to its own company although the job runs outside the request."""
from __future__ import annotations

from sqlalchemy import select

from portal.claims.models import Claim
from portal.jobs import Job
from portal.jobs.uploads import enqueue_import
from portal.storage import storage

from .conftest import as_, claim_data, csv_file
from .test_api import upload_page


def test_the_job_page_shows_the_outcome_to_its_company_only(client, db, world):
    as_(client, world.acme_user)
    url, page = upload_page(client, csv_file([claim_data()]))
    assert "1 claims imported: 1 accepted, 0 rejected, 0 in review." in page
    job = db.session.get(Job, int(url.rsplit("/", 1)[1]))
    assert (job.name, job.status, job.client_id) == ("claims.import", "done", world.acme.id)
    assert job.kwargs["company_id"] == world.acme.id and job.kwargs["user_id"] == world.acme_user.id
    assert job.result == {"ok": True, "claims": 1, "accepted": 1, "rejected": 0, "review": 0, "url": "/claims/"}
    assert not storage().exists(job.kwargs["key"])
    as_(client, world.acme_admin)
    assert client.get(url).status_code == 200
    as_(client, world.globex_user)
    assert client.get(url).status_code == 404


def test_another_companys_serials_never_give_it_claims(client, db, world):
    """SN-G1 was shipped to GLOBEX: ACME's upload naming it makes an ACME claim (rejected: not
    shipped to ACME), never a GLOBEX one."""
    as_(client, world.acme_user)
    _url, page = upload_page(client, csv_file([claim_data(), claim_data(serial="SN-G1")]))
    assert "2 claims imported: 1 accepted, 1 rejected, 0 in review." in page
    claims = db.session.execute(select(Claim.serial, Claim.client_id, Claim.status).order_by(Claim.serial)).all()
    assert claims == [("SN-A1", world.acme.id, "accepted"), ("SN-G1", world.acme.id, "rejected")]


def _tampered(db, client_id, company_id, user):
    job = enqueue_import("claims.import", csv_file([claim_data()]), client_id=client_id, company_id=company_id,
                         user_id=user.id, filename="c.csv")
    db.session.refresh(job)
    return job


def test_a_job_for_another_company_is_refused(db, world):
    """The job checks the company it is given against its user and its own row."""
    for client_id, company_id in [(world.acme.id, world.globex.id),  # the job row says ACME
                                  (world.globex.id, world.globex.id)]:  # the user is ACME's
        job = _tampered(db, client_id, company_id, world.acme_user)
        assert job.status == "failed" and "not for your company" in job.message
        assert not storage().exists(job.kwargs["key"])
    assert db.session.scalars(select(Claim)).all() == []


def test_the_upload_reports_its_progress(app, db, world, monkeypatch):
    from portal.jobs import JobContext

    seen = []
    monkeypatch.setattr(JobContext, "progress", lambda self, done, total, message="": seen.append((done, total, message)))
    monkeypatch.setattr("portal.claims.importer.PROGRESS_EVERY", 2)
    rows = [claim_data(serial=f"SN-A{i}") for i in (1, 2, 3)]
    job = enqueue_import("claims.import", csv_file(rows), client_id=world.acme.id, company_id=world.acme.id,
                         user_id=world.acme_user.id, filename="c.csv")
    assert job.status == "done" and job.result["claims"] == 3
    assert [(d, t) for d, t, _m in seen] == [(0, 3), (2, 3), (3, 3), (3, 3)]
    assert seen[0][2] == "Reading the file…" and seen[-1][2].startswith("3 claims imported")
