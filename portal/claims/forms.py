from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, MultipleFileField
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields import DateField
from wtforms.validators import Optional

from contracts.domain import FAULT_CAUSES, PART_CATEGORIES, REPAIR_LEVELS

from ..labels import label
from ..schemes.models import Contract
from .intake import ClaimInput
from .preauth import PreAuthInput


def _coded(kind: str, codes) -> list[tuple[str, str]]:
    return [("", "—")] + [(code, label(kind, code)) for code in codes]


class ClaimForm(FlaskForm):
    serial = StringField(_l("Serial number"))
    repair_date = StringField(_l("Repair date"), render_kw={"type": "date"})
    station = SelectField(_l("Repair station"), choices=[], validate_choice=False)
    model = StringField(_l("Model (optional; taken from the serial otherwise)"))
    fault_cause = SelectField(_l("Fault cause"), choices=[], validate_choice=False)
    repair_level = SelectField(_l("Repair level"), choices=[], validate_choice=False)
    repaired_category = SelectField(_l("Repaired part category"), choices=[], validate_choice=False)
    parts = TextAreaField(_l("Parts used"), render_kw={"rows": 2, "placeholder": "P000123:1; P000456:2"},
                          description=_l("Part numbers with quantities: PART:QTY, separated by semicolons."))
    claimed_labour = StringField(_l("Labour claimed"), render_kw={"inputmode": "decimal"})
    claimed_parts = StringField(_l("Parts claimed"), render_kw={"inputmode": "decimal"})
    claimed_handling = StringField(_l("Handling claimed"), render_kw={"inputmode": "decimal"})
    currency = StringField(_l("Currency"), render_kw={"maxlength": 3})
    preauthorisation = SelectField(_l("Pre-authorisation"), choices=[], validate_choice=False)
    description = TextAreaField(_l("Description"), render_kw={"rows": 3})
    attachments = MultipleFileField(_l("Attachments (PDF, JPEG or PNG)"))
    submit = SubmitField(_l("Submit claim"))

    def set_choices(self, stations, preauths, contract: Contract) -> None:
        self.station.choices = [("", _l("Choose a station"))] + [(s.code, f"{s.code} · {s.name}") for s in stations]
        self.fault_cause.choices = _coded("fault_cause", FAULT_CAUSES)
        self.repair_level.choices = [("", "—")] + [(level, level) for level in REPAIR_LEVELS]
        self.repaired_category.choices = _coded("category", PART_CATEGORIES)
        self.preauthorisation.choices = [("", _l("None"))] + [(p.ref, f"{p.ref} · {p.serial}") for p in preauths]
        if not self.currency.data:
            self.currency.data = contract.currency

    def to_input(self) -> ClaimInput:
        return ClaimInput(**{name: self[name].data or "" for name in ClaimInput.__dataclass_fields__})

    def show_errors(self, errors: dict) -> None:
        for name, messages in errors.items():
            target = self[name] if name in self else None
            if target is None:
                self.form_errors.extend(messages)
            else:
                target.errors = list(target.errors) + list(messages)


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), validators=[
        FileRequired(_l("Choose a file.")),
        FileAllowed(["csv", "xlsx"], _l("Only .csv and .xlsx files can be imported."))])
    submit = SubmitField(_l("Import"))


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=[], validate_choice=False)
    client = SelectField(_l("Client"), choices=[], validate_choice=False)
    station = SelectField(_l("Station"), choices=[], validate_choice=False)
    cause = SelectField(_l("Fault cause"), choices=[], validate_choice=False)
    signal = SelectField(_l("Signal"), choices=[], validate_choice=False)
    date_from = DateField(_l("Repaired from"), validators=[Optional()])
    date_to = DateField(_l("Repaired to"), validators=[Optional()])
    serial = StringField(_l("Serial number"))


class DecisionForm(FlaskForm):
    amount = StringField(_l("Adjusted amount"), render_kw={"inputmode": "decimal"})
    comment = TextAreaField(_l("Comment for the client"), render_kw={"rows": 2})


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Your answer"), render_kw={"rows": 3})
    submit = SubmitField(_l("Send the answer"))


class PreAuthForm(FlaskForm):
    serial = StringField(_l("Serial number"))
    station = SelectField(_l("Repair station"), choices=[], validate_choice=False)
    repair_level = SelectField(_l("Repair level"), choices=[], validate_choice=False)
    planned_repair = TextAreaField(_l("Planned repair"), render_kw={"rows": 3})
    estimated_amount = StringField(_l("Estimated amount"), render_kw={"inputmode": "decimal"})
    submit = SubmitField(_l("Ask for pre-authorisation"))

    def set_choices(self, stations) -> None:
        self.station.choices = [("", _l("Choose a station"))] + [(s.code, f"{s.code} · {s.name}") for s in stations]
        self.repair_level.choices = [("", "—")] + [(level, level) for level in REPAIR_LEVELS]

    def to_input(self) -> PreAuthInput:
        return PreAuthInput(**{name: self[name].data or "" for name in PreAuthInput.__dataclass_fields__})


class PreAuthDecisionForm(FlaskForm):
    comment = TextAreaField(_l("Comment"), render_kw={"rows": 2})
