"""Forms of the documents pages. The checks that matter (file content, models, batches) are
the services' own; their field errors are put back on these forms."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from ..i18n import LOCALE_NAMES
from ..labels import choices


def strip(value):
    return value.strip() if isinstance(value, str) else value


class DocumentForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip],
                        validators=[Length(max=200, message=_l("Use at most %(n)d characters.", n=200))])
    doc_type = SelectField(_l("Type"), validate_choice=False)
    language = SelectField(_l("Language"), validate_choice=False)
    model_ids = SelectMultipleField(_l("Models"), coerce=int, validate_choice=False,
                                    description=_l("Hold Ctrl (or ⌘) to choose several."))
    batch_ids = SelectMultipleField(_l("Batches (optional)"), coerce=int, validate_choice=False,
                                    description=_l("Only for documents about particular batches, such as batch "
                                                   "material lists: then only clients that received one of these "
                                                   "batches see the document."))
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, model_choices=(), batch_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.doc_type.choices = [("", "—")] + [(k, str(v)) for k, v in choices("doc_type")]
        self.language.choices = [("", "—")] + list(LOCALE_NAMES.items())
        self.model_ids.choices = list(model_choices)
        self.batch_ids.choices = list(batch_choices)

    def values(self) -> dict:
        return {"title": self.title.data, "doc_type": self.doc_type.data, "language": self.language.data,
                "model_ids": self.model_ids.data or [], "batch_ids": self.batch_ids.data or [],
                "description": self.description.data}


class NewDocumentForm(DocumentForm):
    file = FileField(_l("File"), description=_l("PDF, Word, Excel, PowerPoint, PNG or JPEG; board software as "
                                                 ".bin or .zip. Checked by its content."))
    release_notes = TextAreaField(_l("Release notes"), filters=[strip])
    submit = SubmitField(_l("Publish"))


class VersionForm(FlaskForm):
    file = FileField(_l("File"))
    release_notes = TextAreaField(_l("Release notes"), filters=[strip],
                                  description=_l("What changed since the previous version."))
    submit = SubmitField(_l("Publish the new version"))


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Words in the title"), filters=[strip])
    model = SelectField(_l("Model"), validate_choice=False)
    type = SelectField(_l("Type"), validate_choice=False)
    language = SelectField(_l("Language"), validate_choice=False)

    def __init__(self, *args, model_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.model.choices = [("", _l("All models"))] + [(str(i), n) for i, n in model_choices]
        self.type.choices = [("", _l("All types"))] + [(k, str(v)) for k, v in choices("doc_type")]
        self.language.choices = [("", _l("All languages"))] + list(LOCALE_NAMES.items())


def put_errors(form, errors: dict[str, str]) -> None:
    """Show a service's field errors on the form (unknown fields as form errors)."""
    for name, message in errors.items():
        field = form._fields.get(name)
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = list(field.errors or []) + [message]
