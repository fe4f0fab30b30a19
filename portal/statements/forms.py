from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField
from wtforms.fields import DateField
from wtforms.validators import InputRequired, ValidationError


class SendForm(FlaskForm):
    submit = SubmitField(_l("Send by e-mail"))


class IssuePeriodForm(FlaskForm):
    period_start = DateField(_l("First day of the period"), validators=[InputRequired(_l("Enter the first day of the period."))])
    submit = SubmitField(_l("Issue all statements"))

    def validate_period_start(self, field) -> None:
        if field.data and field.data.day != 1:
            raise ValidationError(_l("A period starts on the first day of a month."))
