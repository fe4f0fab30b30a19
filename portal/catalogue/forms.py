"""Forms of the catalogue. Number and date fields here say what is wrong in the user's language
(WTForms' own parse messages are not in the portal's catalogues)."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from contracts.domain import PART_CATEGORIES

from ..labels import LABELS, choices
from .models import PRODUCT_KINDS
from .services import MATERIAL_CATEGORIES, money_places_ok

CODE_HELP = _l("Unique; letters, digits and - _ . / are usual.")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def length(n: int):
    return Length(max=n, message=_l("Use at most %(n)d characters.", n=n))


class _Parsed:
    """A blank input is no value (the required validator speaks); a malformed one is one clear error."""

    def parse_error(self) -> str:
        raise TypeError(f"{type(self).__name__} must define parse_error()")  # abstract

    def process_formdata(self, valuelist):
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            super().process_formdata([str(valuelist[0]).strip()])
        except ValueError:
            self.data = None
            raise ValueError(self.parse_error()) from None


class DateInput(_Parsed, DateField):
    def parse_error(self) -> str:
        return _("Enter a date as YYYY-MM-DD.")


class IntegerInput(_Parsed, IntegerField):
    def parse_error(self) -> str:
        return _("Enter a whole number.")


class DecimalInput(_Parsed, DecimalField):
    def parse_error(self) -> str:
        return _("Enter a number.")

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, Decimal) and not self.data.is_finite():  # "NaN", "Infinity"
            self.data = None
            raise ValueError(self.parse_error())


def decimal_places(places: int, message):
    def check(form, field):
        if field.data is not None and not money_places_ok(field.data, places):
            raise ValidationError(message)
    return check


class ModelForm(FlaskForm):
    code = StringField(_l("Model code"), filters=[strip], description=CODE_HELP,
                       validators=[DataRequired(_l("Enter the model code.")), length(40)])
    name = StringField(_l("Name"), filters=[strip], validators=[Optional(), length(200)])
    kind = SelectField(_l("Kind"), validate_choice=False,
                       validators=[AnyOf(PRODUCT_KINDS, message=_l("Choose TV or monitor."))])
    size_inches = DecimalInput(_l("Size (inches)"), places=1, validators=[
        InputRequired(_l("Enter the screen size in inches.")),
        NumberRange(min=5, max=150, message=_l("Enter a size between %(min)d and %(max)d inches.", min=5, max=150)),
        decimal_places(1, _l("Give the size to one decimal place at most.")),
    ])
    launch_date = DateInput(_l("Launch date"), validators=[InputRequired(_l("Enter the launch date."))])
    end_of_production = DateInput(_l("End of production"), validators=[Optional()],
                                  description=_l("Leave empty while the model is still produced."))
    service_years = SelectField(
        _l("Service years after end of production"), coerce=lambda v: int(v) if str(v).isdigit() else 0,
        validate_choice=False,
        validators=[AnyOf((3, 4, 5), message=_l("Choose 3, 4 or 5 years."))], default=5,
    )
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("Choose…"))] + choices("kind")
        self.service_years.choices = [(n, _("%(n)d years", n=n)) for n in (3, 4, 5)]

    def validate_end_of_production(self, field):
        if field.data and self.launch_date.data and field.data < self.launch_date.data:
            raise ValidationError(_("The end of production cannot be before the launch date."))

    def values(self) -> dict:
        data = {name: self[name].data for name in (
            "code", "kind", "size_inches", "launch_date", "end_of_production", "service_years")}
        return data | {"name": self.name.data or ""}


class BatchForm(FlaskForm):
    code = StringField(_l("Batch code"), filters=[strip], description=CODE_HELP,
                       validators=[DataRequired(_l("Enter the batch code.")), length(40)])
    model_id = SelectField(_l("Model"), coerce=lambda v: int(v) if str(v).isdigit() else 0, validate_choice=False)
    produced_on = DateInput(_l("Production date"), validators=[InputRequired(_l("Enter the production date."))])
    quantity = IntegerInput(_l("Quantity produced"), validators=[
        InputRequired(_l("Enter the quantity produced.")),
        NumberRange(min=1, max=10_000_000, message=_l("Enter a quantity between 1 and %(max)s.", max="10,000,000")),
    ])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, models=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.model_id.choices = [("", _l("Choose…"))] + list(models)
        known = [mid for mid, _name in models]
        self.model_id.validators = [AnyOf(known, message=_l("Choose a model from the list."))]

    def values(self) -> dict:
        return {name: self[name].data for name in ("code", "model_id", "produced_on", "quantity")}


class PartForm(FlaskForm):
    number = StringField(_l("Part number"), filters=[strip], description=CODE_HELP,
                         validators=[DataRequired(_l("Enter the part number.")), length(40)])
    category = SelectField(_l("Category"), validate_choice=False,
                           validators=[AnyOf(PART_CATEGORIES, message=_l("Choose a category from the list."))])
    description = StringField(_l("Description"), filters=[strip],
                              validators=[DataRequired(_l("Enter a description.")), length(200)])
    cost_price = DecimalInput(_l("Cost price (CNY)"), places=2, validators=[
        InputRequired(_l("Enter the cost price.")),
        NumberRange(min=0, max=Decimal("999999999999.99"), message=_l("Enter a price of 0 or more.")),
        decimal_places(2, _l("Give the price to the cent (two decimal places at most).")),
    ], description=_l("The ODM's own cost, in CNY."))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", _l("Choose…"))] + choices("category")

    def values(self) -> dict:
        return {name: self[name].data for name in ("number", "category", "description", "cost_price")}


class MaterialsForm(FlaskForm):
    """One part number per material category (fields named after the categories, added below);
    an empty field means no part recorded for that category."""

    submit = SubmitField(_l("Save the material list"))

    def values(self) -> dict[str, str]:
        return {cat: self[cat].data or "" for cat in MATERIAL_CATEGORIES}

    def category_fields(self):
        return [self[cat] for cat in MATERIAL_CATEGORIES]


for _category in MATERIAL_CATEGORIES:
    setattr(MaterialsForm, _category, StringField(LABELS["category"][_category], filters=[strip],
                                                  validators=[Optional(), length(40)]))
