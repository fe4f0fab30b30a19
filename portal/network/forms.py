"""Forms of the service network. Choices are set by the views; services check the rules."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Email, InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..catalogue.forms import DateInput, IntegerInput, _Parsed, length, strip
from ..labels import choices


class TimeInput(_Parsed, TimeField):
    def parse_error(self) -> str:
        return _("Enter a time as HH:MM.")


def optional_int(value):
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


def region_choices():
    return [("", _l("Choose a region"))] + choices("region")


class ClientStationForm(FlaskForm):
    client_id = SelectField(_l("Client"), coerce=optional_int, validate_choice=False)
    code = StringField(_l("Station code"), filters=[strip], validators=[DataRequired(_l("Enter the station code.")), length(20)])
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(_l("Enter the name.")), length(200)])
    city = StringField(_l("City"), filters=[strip], validators=[DataRequired(_l("Enter the city.")), length(80)])
    region = SelectField(_l("Region"), validate_choice=False)
    address = StringField(_l("Address"), filters=[strip], validators=[Optional(), length(400)])
    contact_name = StringField(_l("Contact"), filters=[strip], validators=[Optional(), length(120)])
    contact_phone = StringField(_l("Phone"), filters=[strip], validators=[Optional(), length(40)])
    contact_email = StringField(_l("E-mail"), filters=[strip],
                                validators=[Optional(), Email(_l("Enter a valid e-mail address.")), length(254)])
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        return {n: self[n].data for n in ("code", "name", "city", "region", "address", "contact_name",
                                          "contact_phone", "contact_email", "active")}


class ScheduleForm(FlaskForm):
    weekday = SelectField(_l("Day of the week"), coerce=optional_int, validate_choice=False)
    visit_time = TimeInput(_l("Time"), validators=[InputRequired(_l("Enter the time."))])
    note = StringField(_l("Note"), filters=[strip], validators=[Optional(), length(400)])
    submit = SubmitField(_l("Save the schedule"))


class ServicePointItemForm(FlaskForm):
    client_id = SelectField(_l("Client"), coerce=optional_int, validate_choice=False)
    kind = SelectField(_l("Kind"), validate_choice=False)
    model_id = SelectField(_l("Model"), coerce=optional_int, validate_choice=False)
    serial = StringField(_l("Serial number"), filters=[strip], validators=[Optional(), length(80)])
    description = StringField(_l("Description"), filters=[strip], validators=[Optional(), length(400)])
    rma_ref = StringField(_l("RMA reference"), filters=[strip], validators=[Optional(), length(40)])
    received_on = DateInput(_l("Received on"), validators=[InputRequired(_l("Enter the date it arrived."))])
    submit = SubmitField(_l("Record the item"))


class MultiCheckbox(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ServicePointVisitForm(FlaskForm):
    visit_date = DateInput(_l("Visit date"), validators=[InputRequired(_l("Enter the visit date."))])
    visitor_id = SelectField(_l("Who went"), coerce=optional_int, validate_choice=False)
    item_ids = MultiCheckbox(_l("Items collected"), coerce=int, validate_choice=False)
    notes = TextAreaField(_l("What else was collected, remarks"), filters=[strip], render_kw={"rows": 3})
    submit = SubmitField(_l("Record the visit"))


class OnsiteRequestForm(FlaskForm):
    model_id = SelectField(_l("Model"), coerce=optional_int, validate_choice=False)
    address = StringField(_l("Address of the visit"), filters=[strip],
                          validators=[DataRequired(_l("Enter the address of the visit.")), length(400)])
    contact_name = StringField(_l("Contact on site"), filters=[strip], validators=[Optional(), length(120)])
    contact_phone = StringField(_l("Phone"), filters=[strip], validators=[Optional(), length(40)])
    serials = TextAreaField(_l("Serial numbers"), render_kw={"rows": 2},
                            description=_l("One per line, or separated by commas."))
    fault = TextAreaField(_l("Fault"), filters=[strip], render_kw={"rows": 3},
                          validators=[DataRequired(_l("Describe the fault."))])
    preferred_date = DateInput(_l("Preferred date"), validators=[Optional()])
    preferred_times = StringField(_l("Preferred times"), filters=[strip], validators=[Optional(), length(400)],
                                  description=_l("For example: mornings, or after 14:00."))
    submit = SubmitField(_l("Request the visit"))

    def values(self) -> dict:
        return {n: self[n].data for n in ("model_id", "address", "contact_name", "contact_phone", "serials",
                                          "fault", "preferred_date", "preferred_times")}


class ScheduleVisitForm(FlaskForm):
    technician_id = SelectField(_l("Technician"), coerce=optional_int, validate_choice=False)
    day = DateInput(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    start = TimeInput(_l("Start"), validators=[InputRequired(_l("Enter the start time."))])
    minutes = IntegerInput(_l("Duration (minutes)"), default=120,
                           validators=[InputRequired(_l("Enter the duration in minutes."))])
    submit = SubmitField(_l("Schedule"))


class CompleteVisitForm(FlaskForm):
    outcome = SelectField(_l("Result"), validate_choice=False)
    parts_used = TextAreaField(_l("Parts used"), filters=[strip], render_kw={"rows": 2})
    follow_up_rma = BooleanField(_l("A follow-up RMA is needed"))
    notes = TextAreaField(_l("Notes"), filters=[strip], render_kw={"rows": 2})
    submit = SubmitField(_l("Record the result"))


class ConfirmVisitForm(FlaskForm):
    feedback = TextAreaField(_l("Your remarks"), filters=[strip], render_kw={"rows": 2})
    submit = SubmitField(_l("Confirm the visit"))


class TechnicianForm(FlaskForm):
    user_id = SelectField(_l("Staff member"), coerce=optional_int, validate_choice=False)
    skills = StringField(_l("Skills"), filters=[strip], validators=[Optional(), length(200)])
    submit = SubmitField(_l("Add as technician"))


class QuestionForm(FlaskForm):
    model_id = SelectField(_l("Model"), coerce=optional_int, validate_choice=False)
    subject = StringField(_l("Subject"), filters=[strip],
                          validators=[DataRequired(_l("Enter a subject.")), length(200)])
    body = TextAreaField(_l("Question"), filters=[strip], render_kw={"rows": 6},
                         validators=[DataRequired(_l("Describe the problem."))])
    attachments = MultipleFileField(_l("Attachments"),
                                    description=_l("Up to 5 files of 10 MB: photos, logs, PDF, spreadsheets."))
    submit = SubmitField(_l("Send the question"))


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer"), filters=[strip], render_kw={"rows": 6},
                           validators=[DataRequired(_l("Write the answer."))])
    document_ids = StringField(_l("Linked documents (numbers)"), filters=[strip],
                               description=_l("Numbers of documents in the document library, separated by commas."))
    links = TextAreaField(_l("Links"), render_kw={"rows": 2}, description=_l("One per line."))
    publish = BooleanField(_l("Publish in the knowledge base of this model"), default=True)
    kb_title = StringField(_l("Title in the knowledge base"), filters=[strip], validators=[Optional(), length(200)])
    kb_question = TextAreaField(_l("Question as published"), filters=[strip], render_kw={"rows": 3},
                                description=_l("Remove any name of the client or of people before publishing."))
    submit = SubmitField(_l("Save the answer"))


class EscalateForm(FlaskForm):
    team = SelectField(_l("Escalate to"), validate_choice=False)
    assignee_id = SelectField(_l("Assignee"), coerce=optional_int, validate_choice=False)
    due = DateInput(_l("Due date"), validators=[InputRequired(_l("Enter the due date."))])
    note = TextAreaField(_l("What has been tried"), filters=[strip], render_kw={"rows": 3})
    submit = SubmitField(_l("Escalate"))

