"""Automatic adjudication through the scheme's hook, the DOMAIN compensation example, review
routing, pre-authorisation and a fixed number of queries per batch."""
from __future__ import annotations

from datetime import date

from portal.claims.intake import ClaimInput
from portal.claims.models import Claim, PreAuthorisation
from portal.claims.services import submit_claims

from .conftest import D, add_contract, claim_data


def submit(world, user=None, **kw) -> Claim:
    ids, _ = submit_claims(world.acme, [ClaimInput(**claim_data(**kw))], user or world.acme_user)
    from portal.extensions import db

    return db.session.get(Claim, ids[0])


def test_domain_example_capped_then_repeat_rejected(db, world):
    first = submit(world)
    assert first.status == "accepted"
    assert (first.claimed_amount, first.schedule_amount, first.adjusted_amount) == (D("420.00"), D("395.00"), D("300.00"))
    assert first.reasons == ["reduced_to_schedule", "capped_per_claim"]
    assert first.decided_on == date(2025, 3, 31) and first.decided_by_id is None
    assert first.contract_id == world.contract.id and first.signals == []
    second = submit(world, repair_date="2025-03-22")
    assert second.status == "rejected" and second.reasons == ["repeat_within_30_days"]
    assert second.adjusted_amount == D("0.00") and second.signals == ["repeat_serial"]


def test_every_failed_rule_is_a_reason(db, world):
    claim = submit(world, serial="SN-G1", fault_cause="lightning", repair_date="2025-01-05")
    assert claim.status == "rejected"
    assert set(claim.reasons) == {"not_shipped_to_client", "excluded_fault_cause", "late_submission"}
    assert "serial_not_shipped" in claim.signals


def test_review_threshold_sends_to_review(db, world):
    world.contract.terms = dict(world.contract.terms, review_threshold="200.00")
    db.session.flush()
    claim = submit(world)
    assert claim.status == "review" and claim.decided_on is None
    assert claim.reasons[0] == "above_review_threshold" and claim.adjusted_amount == D("300.00")


def test_a_signal_sends_an_accepted_claim_to_review(db, world):
    submit(world, serial="SN-A2", fault_cause="lightning")  # rejected, but a repair of the serial
    claim = submit(world, serial="SN-A2", repair_date="2025-03-20")
    assert claim.status == "review" and claim.signals == ["repeat_serial"] and claim.reasons[-1] == "capped_per_claim"


def test_same_serial_twice_in_one_batch(db, world):
    ids, outcome = submit_claims(world.acme, [ClaimInput(**claim_data()), ClaimInput(**claim_data(repair_date="2025-03-20"))],
                                 world.acme_user)
    claims = [db.session.get(Claim, i) for i in ids]
    # Each repairs the serial within 30 days of the other: both carry the signal, a person decides.
    assert [c.status for c in claims] == ["review", "review"]
    assert all(c.signals == ["repeat_serial"] for c in claims)
    assert (outcome.accepted, outcome.rejected, outcome.review) == (0, 0, 2)


def test_preauthorisation_missing_and_given(db, world):
    world.contract.terms = dict(world.contract.terms, preauthorisation_threshold="250.00")
    db.session.flush()
    without = submit(world)
    assert without.status == "rejected" and without.reasons == ["preauthorisation_missing"]
    preauth = PreAuthorisation(client_id=world.acme.id, serial="SN-A3", station_id=world.st1.id, planned_repair="board",
                               repair_level="L2", estimated_amount=D("395.00"), currency="CNY", status="approved")
    db.session.add(preauth)
    db.session.flush()
    claim = submit(world, serial="SN-A3", preauthorisation=preauth.ref)
    assert claim.status == "accepted" and claim.preauthorisation_id == preauth.id


def test_out_of_warranty_category(db, world):
    world.contract.terms = dict(world.contract.terms, warranty_months={"main_board": 1})
    db.session.flush()
    assert submit(world).reasons == ["out_of_warranty"]


def test_a_fixed_number_of_queries_whatever_the_batch(db, world, count_queries):
    def batch(n: int) -> int:
        inputs = [ClaimInput(**claim_data(serial=f"SN-A{1 + i % 4}", repair_date=f"2025-0{1 + i % 3}-1{i % 9}"))
                  for i in range(n)]
        with count_queries() as counted:
            submit_claims(world.acme, inputs, world.acme_user)
        return counted[0]

    few = batch(3)
    assert batch(40) <= few + 4  # one UPDATE per distinct decision, not per claim


def test_a_client_without_compensation_contract_cannot_file(db, world):
    from portal.claims.services import ClaimsInvalid

    try:
        submit_claims(world.globex, [ClaimInput(**claim_data(station="GX-01", currency="USD"))], world.globex_user)
    except ClaimsInvalid as exc:
        assert "no repair-fee compensation contract" in exc.general[0]
    else:
        raise AssertionError("a buyout client filed a claim")
    assert db.session.query(Claim).count() == 0


def test_a_contract_starting_later_does_not_count(db, world, make):
    other = make.client(code="LATER", currency="CNY")
    add_contract(db.session, other, starts_on=date(2025, 5, 1))
    from portal.claims.adjudication import compensation_contract

    assert compensation_contract(other.id, date(2025, 3, 31)) is None
