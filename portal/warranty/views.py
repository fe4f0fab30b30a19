"""Warranty look-up pages: one serial (GET /warranty?serial=...), many serials pasted or
uploaded (POST /warranty/bulk), and the download of a bulk result (POST /warranty/download).

The results page carries the serials it looked up in a hidden field (JSON), so the download
needs no re-pasting and nothing is kept on the server; the download looks them up again
under the current user's tenancy, so editing that field reveals nothing a look-up would not.
"""
from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from contracts.domain import PART_CATEGORIES

from ..auth.access import ANY_ROLE, roles_required
from ..i18n import date_
from ..labels import label
from ..tabular import spreadsheet_response
from . import services
from .forms import BulkLookupForm, SingleLookupForm

bp = Blueprint("warranty", __name__, template_folder="templates")

PREVIEW_ROWS = 100
FORMATS = ("xlsx", "csv")


@bp.url_value_preprocessor
def _allow_large_serial_lists(endpoint, values):
    """A bulk paste (and the hidden list on the results page) can exceed Flask's default
    500 kB form-field limit: BULK_LOOKUP_MAX serials of up to 64 characters. Set before the
    CSRF check reads the form, which is why this is a URL preprocessor."""
    request.max_form_memory_size = max(
        current_app.config.get("MAX_FORM_MEMORY_SIZE") or 0,
        current_app.config["BULK_LOOKUP_MAX"] * 80 + 100_000,
    )


def _page(single=None, bulk=None, **context):
    return render_template(
        "warranty/lookup.html",
        single=single if single is not None else SingleLookupForm(formdata=None),
        bulk=bulk if bulk is not None else BulkLookupForm(formdata=None),
        show_client=not current_user.is_client,
        limit=current_app.config["BULK_LOOKUP_MAX"],
        categories=PART_CATEGORIES,
        scheme_name=services.scheme_name,
        **context,
    )


@bp.get("/warranty")
@roles_required(*ANY_ROLE)
def lookup():
    single = SingleLookupForm(request.args)
    result = None
    if "serial" in request.args and single.validate():
        result = services.lookup([single.serial.data], on=single.on.data)[0]
    elif "serial" not in request.args:
        single = SingleLookupForm(formdata=None)
    return _page(single=single, result=result)


@bp.post("/warranty/bulk")
@roles_required(*ANY_ROLE)
def bulk():
    form = BulkLookupForm()
    if not form.validate_on_submit():
        return _page(bulk=form)
    results = services.lookup(form.parsed, on=form.on.data)
    return _page(
        bulk=form,
        results=results,
        preview=results[:PREVIEW_ROWS],
        summary=services.summarise(results),
        on=results[0].on if results else services.local_today(),
        serials_json=json.dumps([r.serial for r in results], ensure_ascii=False, separators=(",", ":")),
        column=form.column,
    )


@bp.post("/warranty/download")
@roles_required(*ANY_ROLE)
def download():
    """The full result of a bulk look-up, as XLSX or CSV."""
    serials = _posted_serials()
    fmt = request.form.get("format", "xlsx")
    if fmt not in FORMATS:
        abort(400)
    on = _posted_date(request.form.get("on"))
    results = services.lookup(serials, on=on)
    on = results[0].on if results else on or services.local_today()
    headers, rows = export_table(results, show_client=not current_user.is_client)
    return spreadsheet_response(headers, rows, f"warranty-{on.isoformat()}", fmt)


def _posted_serials() -> list[str]:
    try:
        serials = json.loads(request.form.get("serials", ""))
    except ValueError:
        abort(400)
    if not isinstance(serials, list) or not serials or not all(isinstance(s, str) for s in serials):
        abort(400)
    if services.count_serials(serials) > current_app.config["BULK_LOOKUP_MAX"]:
        abort(400)
    return serials


def _posted_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        abort(400)


def status_label(status: str) -> str:
    return {
        services.STATUS_IN: label("warranty", "in"),
        services.STATUS_PARTS: _("Some parts in warranty"),
        services.STATUS_OUT: label("warranty", "out"),
        services.STATUS_NOT_FOUND: _("Not found"),
        services.STATUS_CLIENT: _("Client's own warranty"),
    }[status]


def export_table(results: list[services.WarrantyResult], show_client: bool):
    """Headers (translated) and rows of the download; dates stay dates (XLSX date cells).
    The warranty scheme comes last, so the columns before it keep their places."""
    on = date_(results[0].on) if results else ""
    headers = [_("Serial number"), _("Found"), _("Model"), _("Model name"), _("Batch"), _("Ship date"),
               _("Shipment")]
    if show_client:
        headers += [_("Client"), _("Client name")]
    headers.append(_("Status on %(date)s", date=on))
    for category in PART_CATEGORIES:
        name = label("category", category)
        headers += [_("%(category)s: covered until", category=name), _("%(category)s: status", category=name)]
    headers.append(_("Warranty scheme"))
    yes, no = _("Yes"), _("No")
    status_text = {s: status_label(s) for s in (services.STATUS_IN, services.STATUS_PARTS, services.STATUS_OUT,
                                                 services.STATUS_NOT_FOUND, services.STATUS_CLIENT)}
    scheme_names: dict[str | None, str | None] = {}
    in_text, out_text = label("warranty", "in"), label("warranty", "out")

    def rows():
        for r in results:
            row = [r.serial, yes if r.found else no, r.model_code, r.model_name, r.batch_code, r.ship_date,
                   r.shipment_number]
            if show_client:
                row += [r.client_code, r.client_name]
            row.append(status_text[r.status])
            if r.categories:
                for c in r.categories:
                    row += [c.ends_on, in_text if c.in_warranty else out_text]
            else:  # not found, or the client's own warranty: no ODM coverage to show
                row += [None, None] * len(PART_CATEGORIES)
            if r.scheme_key not in scheme_names:
                scheme_names[r.scheme_key] = services.scheme_name(r.scheme_key)
            row.append(scheme_names[r.scheme_key])
            yield row

    return headers, rows()
