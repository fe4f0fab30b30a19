"""The texts of notices, by key. A capability that posts notices adds its keys here (one line
each); the params stored with a notice fill the named placeholders when it is shown, in the
reader's language. A param given as {"label": kind, "code": code} is shown as the translated
label of that code (portal.labels). An unknown key shows as the key itself, never as an error."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

NOTICE_TEXTS = {
    "documents.new_document": _l("New document: %(title)s (%(type)s)"),
    "documents.new_version": _l("Version %(version)s of %(title)s (%(type)s) was published"),
}


def render_text(key: str, params: dict | None) -> str:
    text = NOTICE_TEXTS.get(key)
    if text is None:
        return key
    from ..labels import label

    values = {
        name: label(value["label"], value.get("code")) if isinstance(value, dict) and "label" in value else value
        for name, value in (params or {}).items()
    }
    try:
        return str(text) % values
    except (KeyError, TypeError, ValueError):
        return str(text)
