"""End to end with the DOMAIN compensation example: the settlement of the decision month
credits the accepted claim at 300.00 and lists the rejected repeat with its reason."""
from __future__ import annotations

from datetime import date

from portal.claims.facts import decided_claim_facts
from portal.claims.intake import ClaimInput
from portal.claims.models import Claim
from portal.claims.services import submit_claims
from portal.settlements.engine import compute_draft
from portal.settlements.facts import FactQuery, fact_providers
from portal.settlements.services import present

from contracts.types import Period

from .conftest import D, claim_data


def test_domain_example_flows_into_the_settlement(db, world, monkeypatch):
    submit_claims(world.acme, [ClaimInput(**claim_data())], world.acme_user)
    monkeypatch.setattr("portal.claims.services.today", lambda: date(2025, 3, 31))
    submit_claims(world.acme, [ClaimInput(**claim_data(repair_date="2025-03-22"))], world.acme_user)
    draft = compute_draft(world.acme.id, date(2025, 3, 1))
    assert draft.total == D("300.00")
    claims_lines = [line for line in draft.lines if line.section == "claims_accepted"]
    assert [(line.amount, line.direction) for line in claims_lines] == [(D("300.00"), "credit")]
    assert len(draft.rejected_claims) == 1 and draft.rejected_claims[0]["reasons"] == ["repeat_within_30_days"]
    shown = present(draft, "en")
    assert shown.rejected[0]["reason_texts"] == ["Repeat repair within 30 days of an accepted claim on the same serial"]
    assert "adjusted 300.00" in shown.sections[0].lines[0].description
    assert compute_draft(world.acme.id, date(2025, 4, 1)).total == D("0.00")  # decided in March only


def test_claims_in_review_are_not_facts_and_the_decision_date_counts(db, world):
    ids, _ = submit_claims(world.acme, [ClaimInput(**claim_data())], world.acme_user)
    claim = db.session.get(Claim, ids[0])
    claim.status, claim.decided_on = "review", None
    db.session.flush()
    query = FactQuery(world.acme.id, "ACME", "CNY", date(2025, 1, 1), Period(date(2025, 3, 1), date(2025, 3, 31)))
    assert decided_claim_facts(query) == {"claims": []}
    claim.status, claim.decided_on = "accepted", date(2025, 4, 2)
    db.session.flush()
    assert decided_claim_facts(query) == {"claims": []}
    april = FactQuery(world.acme.id, "ACME", "CNY", date(2025, 1, 1), Period(date(2025, 4, 1), date(2025, 4, 30)))
    (fact,) = decided_claim_facts(april)["claims"]
    assert fact.claim.model_code == "KTV-55A" and fact.claim.parts[0].part_number == "MB-55A"
    assert fact.decision.adjusted_amount == D("300.00") and fact.claim.decided_on == date(2025, 4, 2)


def test_the_provider_is_registered():
    assert "claims" in fact_providers()
