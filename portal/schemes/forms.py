"""Forms of the scheme pages. The terms part of an offer is not a WTForms form: it is built
from the scheme's own marshmallow schema by ``terms_form.TermsForm`` and rendered inside
the OfferForm's <form>, under the same CSRF token."""
from __future__ import annotations

from babel.numbers import get_currency_name
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length

from ..clients.services import CURRENCIES
from ..i18n import current_locale
from ..labels import choices
from .offers import REASON_MAX
from .periods import PERIOD_KINDS


class ActionForm(FlaskForm):
    """A button that changes something (CSRF token only)."""


class SchemeSwitchForm(FlaskForm):
    enabled = HiddenField(validators=[AnyOf(("0", "1"))])


class OfferForm(FlaskForm):
    scheme_key = HiddenField()
    currency = SelectField(_l("Currency"), validate_choice=False,
                           validators=[AnyOf(CURRENCIES, message=_l("Choose one of the listed currencies."))],
                           description=_l("Every fact settled under the contract must be in this "
                                          "currency; nothing is converted."))
    period_kind = SelectField(_l("Settlement period"), validate_choice=False,
                              validators=[AnyOf(PERIOD_KINDS, message=_l("Choose a month or a quarter."))])
    submit = SubmitField(_l("Make the offer"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale = current_locale()
        self.currency.choices = [(code, f"{code} — {get_currency_name(code, locale=locale)}")
                                 for code in CURRENCIES]
        self.period_kind.choices = choices("period_kind")


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[DataRequired(_l("Give the reason the client will read.")),
                    Length(max=REASON_MAX, message=_l("Use at most %(n)d characters.", n=REASON_MAX))],
        description=_l("The client reads this reason beside its choice."),
    )
    submit = SubmitField(_l("Decline the choice"))
