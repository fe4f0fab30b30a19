"""Two claims on one serial submitted at the same moment, with real commits: the submissions
run one after the other (a per-serial advisory lock on PostgreSQL, the database write lock on
SQLite), so the second one sees the first: it is flagged as a repeat (and rejected by the
repeat rule), or on SQLite possibly refused with "try again" - never both accepted unseen.

This test commits, so it does not use the SAVEPOINT `db` fixture: it makes its own client,
contract, station, part and shipped serial (unique codes) and deletes them afterwards."""
from __future__ import annotations

import threading
import uuid
from datetime import date

from sqlalchemy import delete, select

from portal.auth.models import User
from portal.claims.intake import ClaimInput
from portal.claims.models import Claim, ClaimPart
from portal.claims.services import ClaimsInvalid, submit_claims
from portal.catalogue.models import Part, ProductModel
from portal.clients.models import Client
from portal.extensions import db as _db
from portal.network.models import ClientStation
from portal.schemes.models import Contract
from portal.shipments.models import Serial, Shipment, ShipmentLine
from tests.factories import Factories

from .conftest import D, TERMS, claim_data


def _setup_race(code: str) -> dict:
    make = Factories(_db.session)
    owner = make.client(code=code, name=f"Race {code}", currency="CNY", locale="en")
    model = make.model(code=f"M-{code}")
    part = make.part(number=f"MB-{code}", category="main_board")
    make.shipment(client=owner, ship_date=date(2025, 1, 10), number=f"SH-{code}", lines=[
        dict(model=model, quantity=1, unit_price=D("1850.00"), serials=[f"SN-{code}"])])
    _db.session.add_all([
        Contract(client_id=owner.id, scheme_key="repair_compensation", terms=dict(TERMS), currency="CNY",
                 period_kind="month", starts_on=date(2025, 1, 1)),
        ClientStation(client_id=owner.id, code=f"ST-{code}", name="Race station", city="Shenzhen", region="south")])
    user = make.user(role="client_user", client=owner, email=f"{code.lower()}@race.example.com")
    _db.session.commit()
    return {"client": owner.id, "user": user.id, "model": model.id, "part": part.id, "code": code}


def _cleanup_race(ids: dict) -> None:
    _db.session.remove()
    claim, line = Claim.__table__.c, ShipmentLine.__table__.c
    with _db.engine.begin() as conn:
        conn.execute(delete(ClaimPart.__table__).where(ClaimPart.__table__.c.claim_id.in_(
            select(claim.id).where(claim.client_id == ids["client"]))))
        conn.execute(delete(Claim.__table__).where(claim.client_id == ids["client"]))
        conn.execute(delete(Serial.__table__).where(Serial.__table__.c.client_id == ids["client"]))
        conn.execute(delete(ShipmentLine.__table__).where(line.client_id == ids["client"]))
        conn.execute(delete(Shipment.__table__).where(Shipment.__table__.c.client_id == ids["client"]))
        conn.execute(delete(ClientStation.__table__).where(ClientStation.__table__.c.client_id == ids["client"]))
        conn.execute(delete(Contract.__table__).where(Contract.__table__.c.client_id == ids["client"]))
        conn.execute(delete(User.__table__).where(User.__table__.c.id == ids["user"]))
        conn.execute(delete(Client.__table__).where(Client.__table__.c.id == ids["client"]))
        conn.execute(delete(Part.__table__).where(Part.__table__.c.id == ids["part"]))
        conn.execute(delete(ProductModel.__table__).where(ProductModel.__table__.c.id == ids["model"]))


def test_two_claims_on_one_serial_at_once_see_each_other(app):
    code = "R" + uuid.uuid4().hex[:8].upper()
    with app.app_context():
        ids = _setup_race(code)
    barrier = threading.Barrier(2)
    results = []

    def file_claim(repair_day: str):
        with app.test_request_context(headers={"Accept-Language": "en"}):
            given = ClaimInput(**claim_data(serial=f"SN-{code}", station=f"ST-{code}", parts=f"MB-{code}:1",
                                            repair_date=repair_day))
            owner, user = _db.session.get(Client, ids["client"]), _db.session.get(User, ids["user"])
            barrier.wait()
            try:
                submit_claims(owner, [given], user)
                _db.session.commit()
                results.append("ok")
            except ClaimsInvalid as refused:
                _db.session.rollback()
                results.append(" ".join(refused.general) or "invalid")
            finally:
                _db.session.remove()

    try:
        threads = [threading.Thread(target=file_claim, args=(day,)) for day in ("2025-03-10", "2025-03-12")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert "ok" in results and len(results) == 2, results
        with app.app_context():
            claims = _db.session.scalars(select(Claim).where(Claim.client_id == ids["client"])
                                         .order_by(Claim.id)).all()
        assert len(claims) == results.count("ok")
        if len(claims) == 2:  # the later one waited for the earlier one, then saw it
            first, second = claims
            assert first.status == "accepted" and first.signals == []
            assert second.status == "rejected" and second.signals == ["repeat_serial"]
            assert second.reasons == ["repeat_within_30_days"]
        else:  # SQLite: the loser could not take the write lock after the winner's commit
            assert _db.engine.dialect.name == "sqlite" and "try again" in [r for r in results if r != "ok"][0]
    finally:
        with app.app_context():
            _cleanup_race(ids)
