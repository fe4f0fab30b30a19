"""Bad input for every field of a claim: a clear, translated error and nothing written."""
from __future__ import annotations

import pytest

from portal.claims.intake import ClaimInput
from portal.claims.models import Claim
from portal.claims.services import ClaimsInvalid, submit_claims

from .conftest import claim_data

BAD = [
    ("serial", dict(serial=""), "The serial number is missing."),
    ("serial", dict(serial="SN 1; DROP"), "is not a serial number"),
    ("repair_date", dict(repair_date="2025-02-30"), "is not a valid date"),
    ("repair_date", dict(repair_date="2025-04-01"), "cannot be in the future"),
    ("station", dict(station="NOPE"), "is not one of your company's stations"),
    ("station", dict(station="GX-01"), "is not one of your company's stations"),  # another client's
    ("station", dict(station=""), "Choose the repair station."),
    ("parts", dict(parts="NOPE-1:1"), "There is no part NOPE-1."),
    ("parts", dict(parts="MB-55A:0"), "must be a whole number from 1"),
    ("parts", dict(parts="MB-55A:1; MB-55A:2"), "listed twice"),
    ("claimed_labour", dict(claimed_labour="-5"), "cannot be negative"),
    ("claimed_parts", dict(claimed_parts="abc"), "is not an amount"),
    ("claimed_handling", dict(claimed_handling="1.234"), "at most 2 decimals"),
    ("claimed_labour", dict(claimed_labour="0", claimed_parts="0", claimed_handling="0"), "above zero"),
    ("currency", dict(currency="USD"), "in CNY under your contract, not USD"),
    ("fault_cause", dict(fault_cause="aliens"), "Choose one of"),
    ("repair_level", dict(repair_level="L9"), "Choose one of: L1, L2, L3."),
    ("repaired_category", dict(repaired_category="engine"), "Choose one of"),
    ("model", dict(model="NOPE"), "There is no model NOPE."),
    ("preauthorisation", dict(preauthorisation="PA-999"), "no such pre-authorisation"),
    ("description", dict(description="x" * 4001), "At most 4000 characters."),
]


@pytest.mark.parametrize(("field", "change", "message"), BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_field(db, world, field, change, message):
    with pytest.raises(ClaimsInvalid) as caught:
        submit_claims(world.acme, [ClaimInput(**claim_data(**change))], world.acme_user)
    errors = caught.value.rows[0]
    assert any(message in m for m in errors[field]), errors
    assert db.session.query(Claim).count() == 0


def test_an_inactive_station_is_refused(db, world):
    world.st2.active = False
    db.session.flush()
    with pytest.raises(ClaimsInvalid) as caught:
        submit_claims(world.acme, [ClaimInput(**claim_data(station="ST-02"))], world.acme_user)
    assert "no longer active" in caught.value.rows[0]["station"][0]


def test_one_bad_claim_writes_nothing(db, world):
    with pytest.raises(ClaimsInvalid) as caught:
        submit_claims(world.acme, [ClaimInput(**claim_data()), ClaimInput(**claim_data(serial=""))], world.acme_user)
    assert list(caught.value.rows) == [1]
    assert db.session.query(Claim).count() == 0
