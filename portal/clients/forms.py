from __future__ import annotations

from babel.numbers import get_currency_name
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Email, Length, Optional, Regexp

from ..i18n import LOCALE_NAMES, current_locale
from ..labels import choices
from .models import MARKETS
from .services import CURRENCIES

CODE_PATTERN = r"^[A-Za-z0-9_-]+$"
PHONE_PATTERN = r"^[0-9+()\-. /x]*$"


def strip(value):
    return value.strip() if isinstance(value, str) else value


def length(n: int):
    return Length(max=n, message=_l("Use at most %(n)d characters.", n=n))


class ClientForm(FlaskForm):
    code = StringField(
        _l("Code"),
        filters=[strip, lambda v: v.upper() if isinstance(v, str) else v],
        validators=[
            DataRequired(_l("Enter the client's code.")),
            length(20),
            Regexp(CODE_PATTERN, message=_l("Use only letters, digits, '-' and '_' in the code.")),
        ],
        description=_l("A short unique code, e.g. HUAXIA. Letters, digits, '-' and '_'."),
    )
    name = StringField(_l("Company name"), filters=[strip],
                       validators=[DataRequired(_l("Enter the company name.")), length(200)])
    market = SelectField(_l("Market"), validate_choice=False,
                         validators=[AnyOf(MARKETS, message=_l("Choose domestic or overseas."))])
    locale = SelectField(_l("Language"), validate_choice=False,
                         validators=[AnyOf(list(LOCALE_NAMES), message=_l("Choose one of the portal's languages."))],
                         description=_l("Documents and statements for this client are written in this language."))
    currency = SelectField(_l("Currency"), validate_choice=False,
                           validators=[AnyOf(CURRENCIES, message=_l("Choose one of the listed currencies."))])
    contact_name = StringField(_l("Contact person"), filters=[strip], validators=[Optional(), length(120)])
    contact_email = EmailField(
        _l("Contact e-mail"), filters=[strip],
        validators=[Optional(), length(254), Email(message=_l("Enter a valid e-mail address."))],
    )
    contact_phone = StringField(
        _l("Contact phone"), filters=[strip],
        validators=[Optional(), length(40),
                    Regexp(PHONE_PATTERN, message=_l("Use only digits, spaces and + ( ) - . / x in a phone number."))],
    )
    address = TextAreaField(_l("Address"), filters=[strip], validators=[Optional(), length(400)])
    active = BooleanField(_l("Active (its users may sign in)"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.market.choices = [("", _l("Choose…"))] + choices("market")
        self.locale.choices = [("", _l("Choose…"))] + list(LOCALE_NAMES.items())
        locale = current_locale()
        self.currency.choices = [("", _l("Choose…"))] + [
            (code, f"{code} — {get_currency_name(code, locale=locale)}") for code in CURRENCIES
        ]

    def values(self) -> dict:
        """The submitted values, as the service expects them (empty strings, never None)."""
        data = {name: self[name].data for name in (
            "code", "name", "market", "locale", "currency",
            "contact_name", "contact_email", "contact_phone", "address", "active",
        )}
        for name, value in data.items():
            if value is None:
                data[name] = ""
        data["contact_email"] = data["contact_email"].lower()
        return data
