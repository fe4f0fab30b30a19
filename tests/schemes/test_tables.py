"""plugins.tables: the tables the built-in schemes' texts and terms fields are built from."""
from __future__ import annotations

import pytest
from marshmallow import Schema

from contracts.terms import percent_field, tr
from plugins.tables import fields_table, localised, schema_class, texts_table

ROW = ("一", "一", "One", "Un", "Uno")


def test_a_row_is_a_text_in_every_locale_in_order():
    assert localised(ROW) == tr(zh_Hans="一", zh_Hant_HK="一", en="One", fr="Un", es="Uno")
    assert texts_table([("one", *ROW)]) == {"one": localised(ROW)}


def test_a_missing_translation_is_refused():
    with pytest.raises(ValueError, match="expected 5 translations"):
        localised(ROW[:4])


def test_fields_and_schema_from_a_table():
    made = fields_table([("rate", percent_field, ROW, ROW)])
    assert made["rate"].metadata == {"label": localised(ROW), "help": localised(ROW)}
    terms = schema_class("RateTerms", [("rate", percent_field, ROW, ROW)], __name__)
    assert issubclass(terms, Schema) and terms.__name__ == "RateTerms" and terms.__module__ == __name__
    assert list(terms().fields) == ["rate"] and str(terms().load({"rate": "2.5"})["rate"]) == "2.5"
