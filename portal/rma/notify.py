"""E-mails to the client when it has to act on an RMA (ship it, answer a quote) and when its
units are on their way back, in the client's language, through portal.outbox."""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import outbox
from ..auth.models import User
from ..extensions import db
from ..i18n import money

NOTIFIED = ("approved", "quoted", "shipped_back", "declined")


def recipients(rma) -> list[str]:
    found = [rma.client.contact_email]
    if rma.created_by_id:
        user = db.session.get(User, rma.created_by_id)
        if user is not None and user.client_id == rma.client_id:
            found.append(user.email)
    return list(dict.fromkeys(e for e in found if e))


def message(rma, status: str) -> tuple[str, str]:
    """Subject and body of the e-mail for `status`, in the current locale."""
    link = url_for("rma.detail", rma_id=rma.id, _external=True)
    if status == "approved":
        subject = _("%(number)s approved: please send the units", number=rma.number)
        body = _("Your repair return %(number)s has been approved. Please send the %(n)s units, print the "
                 "packing list and labels from the RMA page, and record the carrier and tracking number there.",
                 number=rma.number, n=rma.line_count)
    elif status == "quoted":
        subject = _("%(number)s: a quote awaits your answer", number=rma.number)
        body = _("The diagnosis of %(number)s found chargeable repairs: %(total)s. Please accept or decline "
                 "the quote on the RMA page.", number=rma.number, total=money(rma.quote_total, rma.currency))
    elif status == "declined":
        subject = _("%(number)s declined", number=rma.number)
        body = _("Your repair return %(number)s was declined: %(reason)s", number=rma.number,
                 reason=rma.decline_reason)
    else:
        subject = _("%(number)s shipped back", number=rma.number)
        body = _("The units of %(number)s are on their way back: %(carrier)s, tracking number %(tracking)s.",
                 number=rma.number, carrier=rma.return_carrier, tracking=rma.return_tracking)
    return subject, body + "\n\n" + link


def after(rma, transition) -> None:
    if transition.target not in NOTIFIED:
        return
    to = recipients(rma)
    if not to:
        return
    with force_locale(rma.client.locale or "en"):
        subject, body = message(rma, transition.target)
    try:
        outbox.send_mail(to, subject, body)
    except OSError:  # the change is committed; a mail server outage must not undo it
        current_app.logger.exception("RMA %s: the e-mail to %s could not be sent", rma.number, to)
