from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional

from ..tabular import TabularError
from . import services


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SingleLookupForm(FlaskForm):
    """One serial; sent by GET, so a result can be bookmarked and needs no CSRF token."""

    class Meta:
        csrf = False

    serial = StringField(
        _l("Serial number"), filters=[_strip], validators=[DataRequired(_l("Enter a serial number."))]
    )
    on = DateField(_l("Status on"), validators=[Optional()], description=_l("Leave empty for today."))


class BulkLookupForm(FlaskForm):
    """Many serials, pasted or uploaded. After validation `serials` holds what was read
    (in order, with duplicates) and `column` the file's column they came from."""

    serials = TextAreaField(_l("Serial numbers"), render_kw={"rows": 6, "spellcheck": "false"})
    file = FileField(
        _l("Or upload a CSV or XLSX file"),
        validators=[FileAllowed(["csv", "xlsx"], _l("Upload a CSV or XLSX file."))],
    )
    on = DateField(_l("Status on"), validators=[Optional()], description=_l("Leave empty for today."))
    submit = SubmitField(_l("Look up all"))

    parsed: list[str]
    column: str | None = None

    def validate(self, extra_validators=None) -> bool:
        self.parsed, self.column = [], None
        if not super().validate(extra_validators):
            return False
        limit = current_app.config["BULK_LOOKUP_MAX"]
        pasted = services.split_serials(self.serials.data)
        if len(pasted) > limit:
            self.serials.errors.append(services.message_too_many(limit))
            return False
        upload = self.file.data
        from_file: list[str] = []
        if upload and upload.filename:
            try:
                from_file, self.column = services.serials_from_file(
                    upload.stream, upload.filename, limit - len(pasted)
                )
            except services.TooManySerials:
                self.file.errors.append(services.message_too_many(limit))
                return False
            except TabularError as error:
                self.file.errors.append(str(error))
                return False
            if not from_file:
                self.file.errors.append(_("The file holds no serial numbers."))
                return False
        if not pasted and not from_file:
            self.serials.errors.append(_("Enter or upload at least one serial number."))
            return False
        self.parsed = pasted + from_file
        return True
