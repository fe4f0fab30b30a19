from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields import DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..labels import choices
from .issuing import CreditLineInput

MAX_LINES = 50
BLANK_LINES = 3


class FilterForm(FlaskForm):
    """The list's filters (GET; no CSRF token)."""

    class Meta:
        csrf = False

    client = SelectField(_l("Client"), choices=[], validate_choice=False)
    period = DateField(_l("Period containing"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], validate_choice=False)
    kind = SelectField(_l("Kind"), choices=[], validate_choice=False)

    def set_choices(self, clients) -> None:
        self.client.choices = [("", _l("All clients"))] + [(str(c.id), f"{c.code} · {c.name}") for c in clients]
        self.status.choices = [("", _l("All statuses"))] + choices("settlement_status")
        self.kind.choices = [("", _l("All kinds"))] + choices("settlement_kind")


class ComputeForm(FlaskForm):
    client_id = SelectField(_l("Client"), choices=[], validate_choice=False)
    period_start = SelectField(_l("Period"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Compute draft"))


class ActionForm(FlaskForm):
    """A button that changes something (recompute, issue): the CSRF token only."""


class CreditLineForm(Form):
    description = StringField(_l("Description"), render_kw={"maxlength": 200})
    direction = SelectField(_l("Who owes it"), choices=[], validate_choice=False)
    amount = StringField(_l("Amount"), render_kw={"inputmode": "decimal"})

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.description, self.amount))


class CreditNoteForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), render_kw={"rows": 3, "maxlength": 2000})
    mode = RadioField(_l("Correction"), choices=[SelectChoice("lines", _l("Enter the lines of the correction")),
                                                  SelectChoice("reverse", _l("Reverse the whole settlement"))],
                      default="lines", validate_choice=False)
    lines = FieldList(FormField(CreditLineForm), max_entries=MAX_LINES)
    add_line = SubmitField(_l("Add a line"))
    submit = SubmitField(_l("Issue credit note"))

    def pad_lines(self, count: int = BLANK_LINES) -> None:
        while len(self.lines) < min(count, MAX_LINES):
            self.lines.append_entry()
        direction_choices = [("", "—")] + choices("direction")
        for entry in self.lines:
            entry.form.direction.choices = direction_choices

    def typed_lines(self) -> tuple[list[CreditLineInput], list[int]]:
        """The typed lines (blank ones skipped) and the row of each in the form."""
        lines, rows = [], []
        for index, entry in enumerate(self.lines):
            sub = entry.form
            if sub.is_blank():
                continue
            lines.append(CreditLineInput(sub.description.data, sub.direction.data or None, sub.amount.data))
            rows.append(index)
        return lines, rows

    def show_errors(self, errors: dict, rows: list[int]) -> None:
        for name in ("reason",):
            if errors.get(name):
                self[name].errors = list(self[name].errors) + list(errors[name])
        for name in ("reverse_all",):
            if errors.get(name):
                self.mode.errors = list(self.mode.errors) + list(errors[name])
        lines = errors.get("lines")
        if isinstance(lines, list):
            self.form_errors.extend(lines)
        elif isinstance(lines, dict):
            for index, fields in lines.items():
                sub = self.lines[rows[index]].form
                for name, messages in fields.items():
                    sub[name].errors = list(sub[name].errors) + list(messages)
            self.lines.errors = [entry.errors for entry in self.lines]
