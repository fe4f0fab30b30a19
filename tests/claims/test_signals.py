"""Review signals, with the part-rate rule on made data whose answer is known."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert

from portal.claims.intake import ClaimInput
from portal.claims.models import Claim, ClaimPart
from portal.claims.services import submit_claims
from portal.claims.signals import load_part_outliers, part_outliers

from .conftest import TODAY, claim_data, station


def test_rule_on_known_numbers():
    # Five stations with 10 claims each; part P used in 1 claim at four of them, 8 at S5.
    claims = {s: 10 for s in range(1, 6)}
    uses = {(s, "P"): 1 for s in range(1, 5)} | {(5, "P"): 8}
    assert part_outliers(claims, uses) == {(5, "P")}  # 0.8 > 3 × median 0.1
    uses[(5, "P")] = 3  # rate 0.3 is not above 3 × 0.1, and 3 < the minimum count
    assert part_outliers(claims, uses) == set()
    assert part_outliers({1: 10}, {(1, "P"): 9}) == set()  # alone: its own rate is the median
    # Peers never use the part: any station with the minimum count stands out.
    assert part_outliers({1: 10, 2: 10, 3: 10}, {(1, "Q"): 5}) == {(1, "Q")}
    assert part_outliers({1: 10, 2: 10, 3: 10}, {(1, "Q"): 4}) == set()


def test_outlier_station_from_the_database(db, world):
    stations = [world.st1, world.st2] + [station(db.session, world.acme, f"ST-0{n}") for n in (3, 4)]
    rows = []
    for s in stations:
        for n in range(10):
            rows.append({"client_id": world.acme.id, "serial": f"X{s.id}-{n}", "station_id": s.id,
                         "repair_date": TODAY - timedelta(days=n), "submitted_on": TODAY, "fault_cause": "normal_failure",
                         "repair_level": "L1", "repaired_category": "power_board", "claimed_labour": 1, "claimed_parts": 0,
                         "claimed_handling": 0, "currency": "CNY", "description": "", "status": "accepted", "reasons": [],
                         "signals": [], "staff_comment": "", "answer": ""})
    table = Claim.__table__
    ids = db.session.execute(insert(table).returning(table.c.id, table.c.station_id, table.c.serial), rows).all()
    uses = [{"claim_id": cid, "part_id": world.power.id, "quantity": 1, "client_id": world.acme.id}
            for cid, sid, serial in ids if (sid == world.st1.id and int(serial.rsplit("-", 1)[1]) < 8)
            or (sid != world.st1.id and serial.endswith("-0"))]
    db.session.execute(insert(ClaimPart.__table__), uses)
    assert load_part_outliers([world.acme.id], TODAY)[world.acme.id] == {(world.st1.id, "PB-55A")}
    # Outside the 90-day window nothing counts.
    assert load_part_outliers([world.acme.id], TODAY + timedelta(days=200))[world.acme.id] == set()
    # A new claim from ST-01 using that part goes to review with the signal.
    ids, _ = submit_claims(world.acme, [ClaimInput(**claim_data(parts="PB-55A:1", repaired_category="power_board",
                                                                claimed_parts="120.00"))], world.acme_user)
    claim = db.session.get(Claim, ids[0])
    assert claim.status == "review" and claim.signals == ["part_rate_outlier"]
    ids, _ = submit_claims(world.acme, [ClaimInput(**claim_data(serial="SN-A2", station="ST-02", parts="PB-55A:1",
                                                                repaired_category="power_board"))], world.acme_user)
    assert db.session.get(Claim, ids[0]).signals == []


def test_repeat_signal_looks_both_ways(db, world):
    submit_claims(world.acme, [ClaimInput(**claim_data(repair_date="2025-03-20", fault_cause="lightning"))],
                  world.acme_user)
    ids, _ = submit_claims(world.acme, [ClaimInput(**claim_data(repair_date="2025-02-19"))], world.acme_user)
    assert "repeat_serial" in db.session.get(Claim, ids[0]).signals
    ids, _ = submit_claims(world.acme, [ClaimInput(**claim_data(serial="SN-A4", repair_date="2025-02-01"))],
                           world.acme_user)
    assert db.session.get(Claim, ids[0]).signals == [] and date(2025, 2, 1)
