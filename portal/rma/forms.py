from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import DecimalField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from contracts.domain import FAULT_CAUSES, REPAIR_LEVELS

from ..labels import label
from ..tabular import TabularError, read_rows
from ..warranty.services import SERIAL_HEADERS, split_serials
from .models import DESTINATIONS, KINDS, OUTCOMES


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RmaForm(FlaskForm):
    client = SelectField(_l("Client"), choices=[], validate_choice=False)
    kind = SelectField(_l("What goes back"), choices=[])
    destination = SelectField(_l("Where it goes"), choices=[])
    station = SelectField(_l("Authorised repair station"), choices=[], validate_choice=False,
                          description=_l("Only when it goes to an authorised repair station."))
    serials = TextAreaField(_l("Serial numbers"), render_kw={"rows": 5, "spellcheck": "false"},
                            description=_l("One per line, or separated by spaces, commas or semicolons."))
    file = FileField(_l("Or upload a CSV or XLSX file"),
                     validators=[FileAllowed(["csv", "xlsx"], _l("Upload a CSV or XLSX file."))],
                     description=_l("A column named serial (or the first column)."))
    fault_description = TextAreaField(_l("Fault description"), filters=[_strip], render_kw={"rows": 3},
                                      validators=[DataRequired(_l("Describe the fault.")), Length(max=5000)])
    suspected_cause = SelectField(_l("Suspected fault cause"), choices=[])
    submit = SubmitField(_l("Request the return"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k, label("rma_kind", k)) for k in KINDS]
        self.destination.choices = [(d, label("rma_destination", d)) for d in DESTINATIONS]
        self.suspected_cause.choices = [("", _("Not known"))] + [(c, label("fault_cause", c)) for c in FAULT_CAUSES]

    def read_serials(self) -> tuple[list[str], list[str]] | None:
        """(serials, where each came from) from the text and the file; None with an error."""
        pasted = split_serials(self.serials.data)
        serials = list(pasted)
        sources = [_("typed entry %(n)s", n=i + 1) for i in range(len(pasted))]
        upload = self.file.data
        if upload and getattr(upload, "filename", ""):
            try:
                column = None
                for row in read_rows(upload.stream, upload.filename):
                    if column is None:
                        column = next((n for n in SERIAL_HEADERS if n in row.values), next(iter(row.values), None))
                    value = (row.values.get(column) or "").strip() if column else ""
                    if value:
                        serials.append(value)
                        sources.append(_("file row %(n)s", n=row.number))
                    if len(serials) > 1000:
                        break
            except TabularError as error:
                self.file.errors = list(self.file.errors) + [str(error)]
                return None
        return serials, sources


class ActionForm(FlaskForm):
    note = TextAreaField(_l("Note"), filters=[_strip], render_kw={"rows": 2})
    reason = TextAreaField(_l("Reason"), filters=[_strip], render_kw={"rows": 2})
    carrier = StringField(_l("Carrier"), filters=[_strip])
    tracking = StringField(_l("Tracking number"), filters=[_strip])
    serials = TextAreaField(_l("Serial numbers scanned"), render_kw={"rows": 4, "spellcheck": "false"})


class DiagnoseForm(FlaskForm):
    fault_cause = SelectField(_l("Fault cause"), choices=[])
    repair_level = SelectField(_l("Repair level"), choices=[])
    outcome = SelectField(_l("Outcome"), choices=[])
    parts = TextAreaField(_l("Parts used"), render_kw={"rows": 2, "spellcheck": "false"},
                          description=_l("One part number per line, optionally followed by a quantity: P000123 2"))
    note = TextAreaField(_l("Diagnosis"), filters=[_strip], render_kw={"rows": 2})
    submit = SubmitField(_l("Save the diagnosis"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fault_cause.choices = [(c, label("fault_cause", c)) for c in FAULT_CAUSES]
        self.repair_level.choices = [("", _("None"))] + [(lv, lv) for lv in REPAIR_LEVELS]
        self.outcome.choices = [(o, label("repair_outcome", o)) for o in OUTCOMES]

    def parsed_parts(self) -> list[tuple[str, int]] | None:
        parts = []
        for number, line in enumerate((self.parts.data or "").splitlines(), start=1):
            bits = line.replace(",", " ").replace("×", " ").split()
            if not bits:
                continue
            quantity = 1
            if len(bits) > 1:
                try:
                    quantity = int(bits[1])
                except ValueError:
                    self.parts.errors = [_("Line %(n)s: the quantity is not a whole number.", n=number)]
                    return None
            parts.append((bits[0], quantity))
        return parts


class PriceListForm(FlaskForm):
    currency = StringField(_l("Currency"), filters=[lambda v: v.strip().upper() if isinstance(v, str) else v],
                           validators=[DataRequired(), Length(min=3, max=3)])
    labour_l1 = DecimalField(_l("Labour, level L1"), places=2, validators=[DataRequired(), NumberRange(min=0)])
    labour_l2 = DecimalField(_l("Labour, level L2"), places=2, validators=[DataRequired(), NumberRange(min=0)])
    labour_l3 = DecimalField(_l("Labour, level L3"), places=2, validators=[DataRequired(), NumberRange(min=0)])
    cny_rate = DecimalField(_l("Agreed rate: 1 CNY of cost price in this currency"), places=6,
                            validators=[DataRequired(), NumberRange(min=0.000001)])
    parts_markup = DecimalField(_l("Parts at the agreed price: mark-up on cost (%)"), places=2,
                                validators=[Optional(), NumberRange(min=0, max=500)])
    submit = SubmitField(_l("Save the price list"))
