"""The state machine: every legal step, a set of illegal ones, who may take them, receiving,
diagnosing, quotes, and the e-mails to the client."""
from __future__ import annotations

from email import message_from_bytes
from email import policy as email_policy
from pathlib import Path

from flask_babel import force_locale
from flask_babel import gettext as _

import pytest

from portal.rma import states
from portal.rma.models import Rma, RmaEvent
from portal.rma.workflow import Diagnosis, TransitionRefused, apply, diagnose_line, perform

from .conftest import D, file_rma

DATA = {"ship": dict(carrier="SF Express", tracking="SF123"), "ship_back": dict(carrier="DHL", tracking="DH9"),
        "decline": dict(reason="Not our product"), "receive": dict(serials=["A-1", "A-2"])}


def to_received(rma, world):
    apply(rma, "approve", world.staff)
    apply(rma, "ship", world.acme_user, **DATA["ship"])
    apply(rma, "receive", world.staff, serials=["A-1", "A-2"])


def diagnose_all(rma, world, cause="normal_failure", level="L2", parts=(("MB-100", 1),)):
    for line in list(rma.lines):
        if line.receipt == "received":
            diagnose_line(line, Diagnosis(cause, level, "repair", list(parts)), world.staff)


def test_the_free_path_to_closed(db, world, rma):
    to_received(rma, world)
    diagnose_all(rma, world)  # in warranty, normal failure: free
    assert rma.status == "diagnosed"
    for action in ("repair", "repackage"):
        apply(rma, action, world.staff)
    apply(rma, "ship_back", world.staff, **DATA["ship_back"])
    apply(rma, "close", world.staff)
    assert rma.status == "closed" and rma.closed_at is not None and rma.charged_on is None
    assert [e.to_status for e in rma.events] == ["requested", "approved", "shipped", "received", "diagnosed",
                                                  "repaired", "repackaged", "shipped_back", "closed"]
    assert all(e.user_name for e in rma.events)


def test_the_quoted_path_and_the_decline_of_a_quote(db, world):
    rma = file_rma(world, serials=["A-OLD"])
    apply(rma, "approve", world.staff)
    apply(rma, "ship", world.acme_user, **DATA["ship"])
    apply(rma, "receive", world.staff, serials=["A-OLD"])
    diagnose_all(rma, world)  # whole unit out of warranty: labour + parts
    with pytest.raises(TransitionRefused, match="send the quote first"):
        apply(rma, "repair", world.staff)
    apply(rma, "quote", world.staff)
    assert rma.status == "quoted" and rma.quote_total == D("80.00") + D("341.00")
    apply(rma, "reject", world.acme_user)
    apply(rma, "repackage", world.staff)
    assert rma.status == "repackaged"


def test_an_accepted_quote_is_charged_on_the_day_it_ships_back(db, world):
    rma = file_rma(world, serials=["A-OLD"])
    apply(rma, "approve", world.staff)
    apply(rma, "ship", world.acme_user, **DATA["ship"])
    apply(rma, "receive", world.staff, serials=["A-OLD"])
    diagnose_all(rma, world)
    apply(rma, "quote", world.staff)
    apply(rma, "accept", world.acme_user)
    apply(rma, "repair", world.staff)
    apply(rma, "repackage", world.staff)
    apply(rma, "ship_back", world.staff, **DATA["ship_back"])
    assert rma.charged_on is not None


def test_decline_needs_a_reason_and_is_final(db, world, rma):
    with pytest.raises(TransitionRefused, match="reason"):
        apply(rma, "decline", world.staff)
    assert rma.status == "requested"
    apply(rma, "decline", world.staff, reason="Not our product")
    assert rma.status == "declined" and rma.decline_reason == "Not our product"
    assert states.available("declined") == []


def test_every_transition_of_the_table_is_reachable():
    sources = {t.source for t in states.TRANSITIONS}
    targets = {t.target for t in states.TRANSITIONS} | {"requested"}
    assert set(states.STATES) == sources | targets
    assert not set(states.FINAL) & sources


ILLEGAL = [("requested", "ship"), ("requested", "receive"), ("requested", "close"), ("approved", "approve"),
           ("approved", "receive"), ("shipped", "diagnose"), ("received", "quote"), ("received", "ship_back"),
           ("quoted", "repair"), ("declined", "approve"), ("closed", "approve"), ("repaired", "close"),
           ("shipped_back", "repair"), ("accepted", "quote")]


@pytest.mark.parametrize("status,action", ILLEGAL)
def test_illegal_transitions_change_nothing(db, world, rma, status, action):
    rma.status = status
    db.session.flush()
    events = len(rma.events)
    with pytest.raises(TransitionRefused) as caught:
        apply(rma, action, world.staff, **DATA.get(action, {}))
    assert "cannot be moved" in caught.value.message
    assert rma.status == status and len(rma.events) == events


@pytest.mark.parametrize("transition", states.TRANSITIONS, ids=lambda t: f"{t.source}-{t.action}")
def test_each_legal_transition(db, world, rma, transition):
    rma.status = transition.source
    if transition.action == "quote":
        rma.lines[0].receipt, rma.lines[0].charge = "received", D("10.00")
    if transition.action == "diagnose":
        for line in rma.lines:
            line.receipt = "missing"
        rma.lines[0].receipt = "received"
        rma.lines[0].diagnosed_at = rma.created_at
    db.session.flush()
    actor = world.acme_user if transition.actor == states.CLIENT else world.staff
    apply(rma, transition.action, actor, **DATA.get(transition.action, {}))
    assert rma.status == transition.target
    assert rma.events[-1].from_status == transition.source and rma.events[-1].action == transition.action


def test_a_client_cannot_take_the_teams_steps(db, world, rma):
    with pytest.raises(TransitionRefused, match="after-sales team"):
        apply(rma, "approve", world.acme_user)
    apply(rma, "approve", world.staff)
    with pytest.raises(TransitionRefused):
        apply(rma, "ship", world.other_user, **DATA["ship"])
    assert rma.status == "approved"


def test_receiving_flags_missing_and_unexpected_units(db, world, rma):
    apply(rma, "approve", world.staff)
    apply(rma, "ship", world.acme_user, **DATA["ship"])
    with pytest.raises(TransitionRefused, match="None of the scanned"):
        apply(rma, "receive", world.staff, serials=["X-9"])
    assert {line.receipt for line in rma.lines} == {"expected"}
    apply(rma, "receive", world.staff, serials=["A-1", "X-9"])
    receipts = {line.serial: line.receipt for line in rma.lines}
    assert receipts == {"A-1": "received", "A-2": "missing", "X-9": "unexpected"}
    assert rma.events[-1].details == {"received": 1, "missing": ["A-2"], "unexpected": ["X-9"]}


def test_diagnosis_refuses_bad_input(db, world, rma):
    to_received(rma, world)
    line = rma.lines[0]
    with pytest.raises(TransitionRefused, match="Unknown part number"):
        diagnose_line(line, Diagnosis("normal_failure", "L1", "repair", [("NOPE", 1)]), world.staff)
    with pytest.raises(TransitionRefused, match="fault cause"):
        diagnose_line(line, Diagnosis("gremlins", "L1", "repair", []), world.staff)
    with pytest.raises(TransitionRefused, match="whole number"):
        diagnose_line(line, Diagnosis("normal_failure", "L1", "repair", [("MB-100", 0)]), world.staff)
    with pytest.raises(TransitionRefused, match="after-sales team"):
        diagnose_line(line, Diagnosis("normal_failure", "L1", "repair", []), world.acme_user)
    assert line.diagnosed_at is None and rma.status == "received"


def mail_text(path: Path) -> str:
    """Recipients, decoded subject and body of an outbox e-mail."""
    message = message_from_bytes(path.read_bytes(), policy=email_policy.default)
    return f"{message['To']}\n{message['Subject']}\n{message.get_body().get_content()}"


def test_the_client_gets_mail_when_it_must_act(db, world, rma, app):
    outbox = Path(app.config["OUTBOX_DIR"])
    perform(rma, "approve", world.staff)
    mails = list(outbox.glob("*.eml"))
    assert len(mails) == 1
    text = mail_text(mails[0])
    assert "rma@acme.example" in text and rma.number in text
    perform(rma, "ship", world.acme_user, **DATA["ship"])
    assert len(list(outbox.glob("*.eml"))) == 1  # nothing to do for the client now


def test_perform_rolls_back_a_refused_step(db, world, rma):
    number = rma.number
    db.session.commit()  # the request was committed before (a SAVEPOINT of this test)
    with pytest.raises(TransitionRefused):
        perform(rma, "close", world.staff)
    fresh = db.session.get(Rma, rma.id)
    assert fresh.status == "requested" and fresh.number == number
    assert db.session.query(RmaEvent).filter_by(rma_id=rma.id).count() == 1


def test_mail_for_a_quote_and_the_return_trip(db, world, app):
    from portal.rma.workflow import diagnose_line as diagnose

    outbox = Path(app.config["OUTBOX_DIR"])
    rma = file_rma(world, serials=["B-1"], client=world.buyer, user=world.buyer_user)
    db.session.commit()
    perform(rma, "approve", world.staff)
    perform(rma, "ship", world.buyer_user, carrier="DHL", tracking="1")
    perform(rma, "receive", world.staff, serials=["B-1"])
    diagnose(rma.lines[0], Diagnosis("lightning", "L1", "repair", []), world.staff)
    db.session.commit()
    perform(rma, "quote", world.staff)
    perform(rma, "reject", world.buyer_user)
    perform(rma, "repackage", world.staff)
    perform(rma, "ship_back", world.staff, carrier="DHL", tracking="XYZ")
    texts = sorted(mail_text(path) for path in outbox.glob("*.eml"))
    assert len(texts) == 3
    assert all("rma@buyer.example" in t and world.buyer_user.email in t for t in texts)
    with app.test_request_context(), force_locale("zh_Hant_HK"):  # the client's language
        quote_subject = _("%(number)s: a quote awaits your answer", number=rma.number)
    assert any("XYZ" in t for t in texts) and any(quote_subject in t for t in texts)
