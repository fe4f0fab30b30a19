"""portal.listing: the filters and the page size every list page reads the same way."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import DateField, Form

from portal.clients.models import Client
from portal.listing import choice_filter, date_filter, labelled, paginated, text_filter


class DateForm(Form):
    day = DateField()


def test_text_and_choice_filters_read_the_query_string(app):
    with app.test_request_context("/?q=%20KTV%20&kind=tv&status=bogus"):
        assert text_filter() == "KTV"
        assert text_filter("missing") == ""
        assert choice_filter("kind", ("tv", "monitor")) == "tv"
        assert choice_filter("status", ("current", "discontinued")) == ""  # unknown: no filter
        assert choice_filter("missing", ("tv",)) == ""


def test_an_unreadable_date_is_no_filter():
    good, bad = DateForm(MultiDict({"day": "2025-03-01"})), DateForm(MultiDict({"day": "not a date"}))
    good.validate(), bad.validate()
    assert date_filter(good.day) == date(2025, 3, 1)
    assert bad.day.errors and date_filter(bad.day) is None


def test_labelled_pairs_codes_with_their_translated_labels(app):
    with app.test_request_context("/"):
        pairs = labelled("market", ["domestic", "unknown"])
    assert pairs == [("domestic", "Domestic (mainland China)"), ("unknown", "unknown")]
    assert all(isinstance(text, str) for _code, text in pairs)


def test_paginated_uses_the_page_size_and_the_page_argument(app, make, monkeypatch):
    for n in range(3):
        make.client(code=f"LIST{n}")
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    stmt = select(Client).where(Client.code.like("LIST%")).order_by(Client.code)
    with app.test_request_context("/?page=2"):
        page = paginated(stmt)
    assert page.per_page == 2 and page.page == 2 and page.total == 3
    assert [c.code for c in page.items] == ["LIST2"]
