from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, DecimalField, FieldList, Form, FormField, IntegerField, SelectField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from ..labels import choices

MAX_ORDER_LINES = 50
BLANK_LINES = 5

MOVE_KIND_LABELS = [("receipt", _l("Receipt")), ("transfer", _l("Transfer")), ("adjustment", _l("Adjustment")),
                    ("consumption", _l("Production consumption"))]
LAYOUT_LABELS = {"a4_3x8": _l("A4, 3 × 8 labels"), "a4_2x5": _l("A4, 2 × 5 labels"),
                 "single_100x50": _l("Single label 100 × 50 mm")}


class MoveForm(FlaskForm):
    kind = SelectField(_l("Kind of move"), choices=MOVE_KIND_LABELS)
    part_number = StringField(_l("Part number"), validators=[DataRequired(), Length(max=40)])
    from_location = SelectField(_l("From"), choices=[], validate_choice=False)
    to_location = SelectField(_l("To"), choices=[], validate_choice=False)
    quantity = IntegerField(_l("Quantity"), validators=[InputRequired(), NumberRange(min=1, max=1_000_000)])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=300)])
    submit = SubmitField(_l("Record the move"))


class BinForm(FlaskForm):
    bin = StringField(_l("Bin"), validators=[Length(max=30)],
                      description=_l("Shelf or bin code where the part is kept; leave empty when unknown."))
    submit = SubmitField(_l("Save"))


class LineForm(Form):
    part_number = StringField(_l("Part number"))
    model_code = StringField(_l("Model"))
    batch_code = StringField(_l("Batch"))
    category = SelectField(_l("Part category"), choices=[], validate_choice=False)
    quantity = StringField(_l("Quantity"), render_kw={"inputmode": "numeric"})

    def is_blank(self) -> bool:
        return not any((self[name].data or "").strip() for name in ("part_number", "model_code", "batch_code",
                                                                     "quantity"))


class OrderForm(FlaskForm):
    client = SelectField(_l("Client"), choices=[], validate_choice=False)
    note = StringField(_l("Note"), validators=[Length(max=500)])
    lines = FieldList(FormField(LineForm), max_entries=MAX_ORDER_LINES)
    submit = SubmitField(_l("Place the order"))

    def pad_lines(self, count: int = BLANK_LINES) -> None:
        while len(self.lines) < count:
            self.lines.append_entry()
        category_choices = [("", "—")] + [(code, text) for code, text in choices("category")]
        for entry in self.lines:
            entry.form.category.choices = category_choices


class ShipForm(FlaskForm):
    location = SelectField(_l("Ship from"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Ship what is in stock"))


class StepForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=[("not_possible", _l("Not possible, go on to the next step")),
                                                   ("resolved", _l("Resolved"))])
    day = DateField(_l("Date"), validators=[InputRequired()])
    note = StringField(_l("Note"), validators=[Length(max=500)])
    submit = SubmitField(_l("Record the step"))


class SubstituteForm(FlaskForm):
    part_number = StringField(_l("Part"), validators=[DataRequired(), Length(max=40)])
    substitute_number = StringField(_l("May be replaced by"), validators=[DataRequired(), Length(max=40)])
    both_ways = BooleanField(_l("Both ways"))
    instruction = TextAreaField(_l("Substitute repair instruction"), render_kw={"rows": 4})
    instruction_url = StringField(_l("Link to the instruction"), validators=[Optional(), URL(), Length(max=500)])
    document_id = IntegerField(_l("Document number"), validators=[Optional(), NumberRange(min=1)])
    submit = SubmitField(_l("Add the substitute"))


class LabelForm(FlaskForm):
    part_numbers = TextAreaField(_l("Part numbers, one per line"), validators=[DataRequired()],
                                 render_kw={"rows": 5})
    client = SelectField(_l("For client"), choices=[], validate_choice=False)
    layout = SelectField(_l("Sheet layout"), choices=list(LAYOUT_LABELS.items()))
    code = SelectField(_l("Code"), choices=[("code128", _l("Barcode (Code 128)")), ("qr", _l("QR code"))])
    copies = IntegerField(_l("Copies of each"), default=1, validators=[InputRequired(), NumberRange(min=1, max=100)])
    submit = SubmitField(_l("Print labels (PDF)"))


class ForecastForm(FlaskForm):
    method = SelectField(_l("Method"), choices=[("sba", "SBA"), ("croston", "Croston"), ("tsb", "TSB")])
    service_level = DecimalField(_l("Service level"), default=0.95, places=4,
                                 validators=[InputRequired(), NumberRange(min=0.5, max=0.999)])
    submit = SubmitField(_l("Forecast every part"))



class ClientNumberForm(FlaskForm):
    client = SelectField(_l("Client"), choices=[], validate_choice=False, validators=[DataRequired()])
    part_number = StringField(_l("ODM part number"), validators=[DataRequired(), Length(max=40)])
    number = StringField(_l("The client's part number"), validators=[DataRequired(), Length(max=60)])
    description = StringField(_l("Description in the client's language"), validators=[Length(max=200)])
    submit = SubmitField(_l("Save the client's number"))
