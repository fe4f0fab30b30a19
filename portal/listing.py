"""What the list pages share: filters read from the query string, and one page of rows.
The markup side is `templates/_list.html`."""
from __future__ import annotations

from flask import current_app, request

from .extensions import db
from .labels import label


def paginated(stmt):
    """The page of `stmt` the query string asks for (`?page=`), PAGE_SIZE rows long."""
    return db.paginate(stmt, per_page=current_app.config["PAGE_SIZE"])


def text_filter(name: str = "q") -> str:
    """A free-text filter, trimmed; "" when absent."""
    return request.args.get(name, "").strip()


def choice_filter(name: str, allowed) -> str:
    """A filter among known codes; an unknown one is read as no filter ("")."""
    value = request.args.get(name, "")
    return value if value in allowed else ""


def date_filter(field):
    """A date field of a filter form after `validate()`: an unreadable date is no filter
    (the form shows its error beside the field)."""
    return None if field.errors else field.data


def labelled(kind: str, codes) -> list[tuple[str, str]]:
    """(code, translated label) pairs for a filter's <select>."""
    return [(code, label(kind, code)) for code in codes]
