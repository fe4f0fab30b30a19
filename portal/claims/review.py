"""The after-sales team's decisions on claims in review, and the client's one answer to a
rejection. Each decision is recorded in the audit log; the caller commits."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from contracts.domain import round_money

from ..audit import record
from ..db import utcnow
from .models import Claim

TEAM_ROLES = ("staff", "admin")
COMMENT_MAX = 4000


class ReviewError(ValueError):
    """A decision that cannot be taken; ``field`` names the input at fault."""

    def __init__(self, message: str, field: str = "comment"):
        super().__init__(message)
        self.message, self.field = message, field


def _must_be_in_review(claim: Claim) -> None:
    if claim.status != "review":
        raise ReviewError(_("Only a claim in review can be decided; this one is already decided."), "action")


def _comment(text: str | None, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ReviewError(_("Write a comment for the client."))
    if len(text) > COMMENT_MAX:
        raise ReviewError(_("At most %(n)s characters.", n=COMMENT_MAX))
    return text


def _decide(claim: Claim, user, today, status: str, action: str, **details) -> None:
    claim.status = status
    claim.decided_on = today
    claim.decided_by_id = user.id
    record("claim.adjudicate", claim, decision=action, status=status,
           adjusted=str(claim.adjusted_amount) if claim.adjusted_amount is not None else None, **details)


def accept(claim: Claim, user, today, comment: str = "") -> None:
    """Accept at the scheme's adjusted amount."""
    _must_be_in_review(claim)
    if not claim.adjusted_amount:  # a rejection answered by the client: the scheme set no amount
        raise ReviewError(_("The scheme set no amount for this claim: adjust it, giving the amount to pay."),
                          "amount")
    claim.staff_comment = _comment(comment, required=False)
    _clear_answered_rejection(claim)
    _decide(claim, user, today, "accepted", "accept")


def _clear_answered_rejection(claim: Claim) -> None:
    """Accepting an answered rejection: its rejection reasons no longer apply."""
    if claim.answered_at is not None:
        claim.reasons = []


def adjust(claim: Claim, user, today, amount, comment: str) -> None:
    """Accept at an amount the team sets (at most the amount claimed), with a comment."""
    _must_be_in_review(claim)
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise ReviewError(_("'%(value)s' is not an amount.", value=amount), "amount") from None
    if not value.is_finite() or value < 0:
        raise ReviewError(_("An amount cannot be negative."), "amount")
    if value > claim.claimed_amount:
        raise ReviewError(_("The adjusted amount cannot be above the amount claimed (%(claimed)s).",
                            claimed=claim.claimed_amount), "amount")
    text = _comment(comment, required=True)
    claim.adjusted_amount = round_money(value, claim.currency)
    claim.staff_comment = text
    _clear_answered_rejection(claim)
    _decide(claim, user, today, "accepted", "adjust")


def reject(claim: Claim, user, today, comment: str) -> None:
    """Reject with the reason ``rejected_by_staff`` and a comment for the client."""
    _must_be_in_review(claim)
    claim.staff_comment = _comment(comment, required=True)
    claim.reasons = ["rejected_by_staff"]
    _decide(claim, user, today, "rejected", "reject")


def answer(claim: Claim, user, text: str) -> None:
    """The client answers a rejection once, with more information: back to review once."""
    if not claim.can_be_answered:
        raise ReviewError(_("Only a rejected claim can be answered, and only once."), "answer")
    text = (text or "").strip()
    if not text:
        raise ReviewError(_("Write your answer."), "answer")
    if len(text) > COMMENT_MAX:
        raise ReviewError(_("At most %(n)s characters.", n=COMMENT_MAX), "answer")
    claim.answer = text
    claim.answered_at = utcnow()
    claim.status = "review"
    claim.decided_on = None
    claim.decided_by_id = None
    record("claim.answer", claim)
