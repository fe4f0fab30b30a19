from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import FieldList, Form, FormField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields import DateField
from wtforms.validators import Optional

from .services import ShipmentInput
from .validation import Errors, LineInput, parse_date, parse_price, parse_quantity, split_serials

MAX_LINES = 50
BLANK_LINES = 5


class LineForm(Form):
    """One line of the new-shipment form (a plain sub-form: the outer form carries the CSRF token)."""

    model_code = SelectField(_l("Model"), choices=[], validate_choice=False)
    batch_code = StringField(_l("Batch"))
    quantity = StringField(_l("Quantity"), render_kw={"inputmode": "numeric"})
    unit_price = StringField(_l("Unit price"), render_kw={"inputmode": "decimal"})
    currency = StringField(_l("Currency"), render_kw={"maxlength": 3, "placeholder": _l("client's")})
    serials = TextAreaField(_l("Serial numbers"), render_kw={"rows": 2})

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in self)


class ShipmentForm(FlaskForm):
    client_code = SelectField(_l("Client"), choices=[], validate_choice=False)
    number = StringField(_l("Shipment number"))
    ship_date = StringField(_l("Ship date"), render_kw={"type": "date"})
    # No min_entries: WTForms would fill the padding entries from the posted rows again (it
    # renumbers posted rows first); `pad_lines` adds blank rows without reading the request.
    lines = FieldList(FormField(LineForm), max_entries=MAX_LINES)
    add_line = SubmitField(_l("Add a line"))
    submit = SubmitField(_l("Create shipment"))

    def pad_lines(self, count: int = BLANK_LINES) -> None:
        while len(self.lines) < min(count, MAX_LINES):
            self.lines.append_entry()

    def set_choices(self, clients, models) -> None:
        self.client_code.choices = [("", _l("Choose a client"))] + [(c.code, f"{c.code} · {c.name}") for c in clients]
        model_choices = [("", "—")] + [(m.code, f"{m.code} · {m.name}" if m.name else m.code) for m in models]
        for entry in self.lines:
            entry.form.model_code.choices = model_choices

    def to_input(self, client_currency: str | None) -> tuple[ShipmentInput, list[int]]:
        """The typed shipment (blank lines skipped) and, for each input line, its row in the form.
        Text that cannot be parsed gets its error on its field here."""
        errors = Errors()
        ship_date = parse_date(self.ship_date.data, errors)
        self.ship_date.errors = list(self.ship_date.errors) + errors.get("ship_date", [])
        lines, rows = [], []
        for index, entry in enumerate(self.lines):
            sub = entry.form
            if sub.is_blank():
                continue
            found = Errors()
            currency = (sub.currency.data or "").strip() or client_currency
            lines.append(LineInput(
                model_code=sub.model_code.data or "",
                quantity=parse_quantity(sub.quantity.data, found),
                unit_price=parse_price(sub.unit_price.data, found),
                currency=currency,
                batch_code=(sub.batch_code.data or "").strip() or None,
                serials=split_serials(sub.serials.data),
            ))
            rows.append(index)
            for name, messages in found.items():
                sub[name].errors = list(sub[name].errors) + messages
        self._sync_line_errors()
        spec = ShipmentInput(number=self.number.data, client_code=self.client_code.data,
                             ship_date=ship_date if "ship_date" not in errors else None, lines=lines)
        return spec, rows

    def show_errors(self, errors: dict, rows: list[int]) -> None:
        """Put the service's errors on the fields they concern."""
        for name in ("number", "client_code", "ship_date"):
            if errors.get(name) and not self[name].errors:  # an unparsable date is reported once
                self[name].errors = list(errors[name])
        lines = errors.get("lines")
        if isinstance(lines, list):
            self.form_errors.extend(lines)
            lines = {}
        for index, fields in (lines or {}).items():
            sub = self.lines[rows[index]].form
            for name, messages in fields.items():
                sub[name].errors = list(sub[name].errors) + [m for m in messages if m not in sub[name].errors]
        self._sync_line_errors()

    def _sync_line_errors(self) -> None:
        """FieldList keeps the errors it found when validated; refresh them from the lines, so
        `form.errors` tells whether anything on the form is marked."""
        found = [entry.errors for entry in self.lines]
        self.lines.errors = found if any(found) else []


class ImportForm(FlaskForm):
    file = FileField(
        _l("CSV or XLSX file"),
        validators=[FileRequired(_l("Choose a file.")),
                    FileAllowed(["csv", "xlsx"], _l("Only .csv and .xlsx files can be imported."))],
    )
    submit = SubmitField(_l("Import"))


class FilterForm(FlaskForm):
    """The list's filters (GET; no CSRF token)."""

    class Meta:
        csrf = False

    client = SelectField(_l("Client"), choices=[], validate_choice=False)
    model = SelectField(_l("Model"), choices=[], validate_choice=False)
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    q = StringField(_l("Shipment number"))
