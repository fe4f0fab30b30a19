from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..labels import LABELS
from .models import DEPARTMENTS, LEVELS, RESPONSIBILITIES

LEVEL_LABELS = {"urgent": _l("Urgent"), "high": _l("High"), "normal": _l("Normal")}
RESP_LABELS = {"odm": _l("ODM"), "client": _l("Client")}
DEPT_LABELS = {"rnd": _l("R&D"), "production": _l("Production"), "qa": _l("Quality (QA)"),
               "logistics": _l("Logistics"), "after_sales": _l("After-sales")}


class ComplaintForm(FlaskForm):
    client = SelectField(_l("Client"), coerce=int, validators=[Optional()])
    title = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    level = SelectField(_l("Level"), choices=[(k, LEVEL_LABELS[k]) for k in LEVELS], default="normal")
    models_text = StringField(_l("Models concerned"), validators=[Length(max=400)],
                              description=_l("Model codes, separated by commas"))
    batches_text = StringField(_l("Batches concerned"), validators=[Length(max=400)])
    serials_text = TextAreaField(_l("Serials concerned"), validators=[Length(max=5000)])
    category = SelectField(_l("Part at fault"), validators=[Optional()],
                           choices=[("", "—")] + [(k, v) for k, v in LABELS["category"].items()])
    fault_cause = SelectField(_l("Fault cause"), validators=[Optional()],
                              choices=[("", "—")] + [(k, v) for k, v in LABELS["fault_cause"].items()])
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=10000)])
    submit = SubmitField(_l("Open the complaint"))


class AnalysisForm(FlaskForm):
    emergency_fix = TextAreaField(_l("Emergency fix"), validators=[Length(max=5000)])
    root_cause = TextAreaField(_l("Root cause"), validators=[Length(max=5000)])
    improvement_plan = TextAreaField(_l("Improvement plan"), validators=[Length(max=5000)])
    responsibility = SelectField(_l("Responsibility"), validators=[Optional()],
                                 choices=[("", "—")] + [(k, RESP_LABELS[k]) for k in RESPONSIBILITIES])
    department = SelectField(_l("ODM department"), validators=[Optional()],
                             choices=[("", "—")] + [(k, DEPT_LABELS[k]) for k in DEPARTMENTS])


class EscalateForm(FlaskForm):
    team = SelectField(_l("Escalate to"), choices=[("qa", _l("Quality (QA)")), ("rnd", _l("R&D"))])
    assignee = SelectField(_l("Assignee"), coerce=int)
    due = DateField(_l("Due date"), validators=[InputRequired()])


class CompensateForm(FlaskForm):
    amount = DecimalField(_l("Agreed compensation"), places=None,
                          validators=[InputRequired(), NumberRange(min=0.01)])


class CloseForm(FlaskForm):
    satisfaction = IntegerField(_l("Satisfaction (0–100)"), validators=[InputRequired(), NumberRange(min=0, max=100)])
    note = TextAreaField(_l("Follow-up visit"), validators=[DataRequired(), Length(max=5000)])


class ReopenForm(FlaskForm):
    note = TextAreaField(_l("Why reopen"), validators=[DataRequired(), Length(max=2000)])


class WarningActionForm(FlaskForm):
    note = TextAreaField(_l("Action taken"), validators=[Length(max=5000)])
