"""Forms for managing users (administrators; client administrators for their own company)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, Length

from ..i18n import LOCALE_NAMES
from ..labels import label
from .forms import new_password_field


def strip(value):
    return value.strip() if isinstance(value, str) else value


def optional_id(value):
    """A select's value as an id: "" means none; anything not a number matches no row (0)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class UserEditForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[
        DataRequired(_l("Enter the user's name.")),
        Length(max=120, message=_l("Use at most %(n)d characters.", n=120)),
    ])
    role = SelectField(_l("Role"), validate_choice=False)
    client_id = SelectField(_l("Client"), coerce=optional_id, validate_choice=False,
                            description=_l("Client roles need a client; internal roles have none."))
    locale = SelectField(_l("Language"), validate_choice=False, validators=[
        AnyOf([""] + list(LOCALE_NAMES), message=_l("Choose one of the portal's languages."))])
    active = BooleanField(_l("Active (may sign in)"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, roles=(), clients=None, **kwargs):
        """`roles`: the roles offered; `clients`: (id, name) pairs, or None to leave the client
        out of the form (a client administrator's users belong to its own company)."""
        super().__init__(*args, **kwargs)
        self.role.choices = [("", _l("Choose…"))] + [(code, label("role", code)) for code in roles]
        self.role.validators = [AnyOf(list(roles), message=_l("Choose one of the roles offered."))]
        if clients is None:
            del self.client_id
        else:
            self.client_id.choices = [("", _l("None (internal user)"))] + list(clients)
        self.locale.choices = [("", _l("The browser's language"))] + list(LOCALE_NAMES.items())

    def values(self) -> dict:
        data = {"name": self.name.data, "role": self.role.data, "locale": self.locale.data or None,
                "active": bool(self.active.data)}
        if "client_id" in self:
            data["client_id"] = self.client_id.data
        return data


class UserCreateForm(UserEditForm):
    email = EmailField(_l("E-mail"), filters=[strip], validators=[
        DataRequired(_l("Enter the user's e-mail address.")),
        Length(max=254, message=_l("Use at most %(n)d characters.", n=254)),
        Email(message=_l("Enter a valid e-mail address.")),
    ])
    password = new_password_field(_l("Password"))
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[EqualTo("password", message=_l("The two passwords differ."))])

    def values(self) -> dict:
        return {**super().values(), "email": self.email.data}


class SetPasswordForm(FlaskForm):
    new = new_password_field(_l("New password"))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[EqualTo("new", message=_l("The two new passwords differ."))])
    submit = SubmitField(_l("Set password"))
