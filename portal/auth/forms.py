from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length

from ..i18n import LOCALE_NAMES

MIN_PASSWORD = 10


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(_l("Enter your e-mail address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    submit = SubmitField(_l("Sign in"))


def new_password_field(label):
    return PasswordField(
        label,
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(min=MIN_PASSWORD, message=_l("Use at least %(n)d characters.", n=MIN_PASSWORD)),
        ],
    )


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))])
    new = new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new", message=_l("The two new passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


class LanguageForm(FlaskForm):
    locale = StringField(validators=[AnyOf(list(LOCALE_NAMES))])
