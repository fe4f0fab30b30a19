"""The terms form built from each scheme's marshmallow schema: every built-in scheme is
enterable without JSON, errors land on their input in the user's language, what was typed
is kept."""
from __future__ import annotations

from decimal import Decimal

import pytest
from babel.support import Translations
from werkzeug.datastructures import MultiDict

from contracts import dump_terms
from portal.schemes.messages import translate, translate_errors
from portal.schemes.terms_form import TermsForm, summarise

from .conftest import BUILT_INS, VALID_TERMS

D = Decimal


@pytest.fixture
def schemes(app):
    return app.extensions["schemes"]


@pytest.fixture
def in_request(app):
    def enter(language="en"):
        return app.test_request_context(headers={"Accept-Language": language})
    return enter


def typed(**values) -> MultiDict:
    data = MultiDict()
    for name, value in values.items():
        for one in value if isinstance(value, list) else [value]:
            data.add("t." + (name if "." in name else name.replace("__", ".")), one)
    return data


def form_for(schemes, key, **values) -> TermsForm:
    return TermsForm(schemes.info(key), formdata=typed(**values))


@pytest.mark.parametrize("key", BUILT_INS)
def test_stored_terms_come_back_unchanged_through_the_inputs(schemes, in_request, key):
    info = schemes.info(key)
    with in_request():
        stored = dump_terms(info, info.terms_schema().load(VALID_TERMS[key]))
        shown = TermsForm(info, terms=stored)
        again = TermsForm(info, formdata=shown.flat)
        assert again.validate(), again.errors
        assert dump_terms(info, again.data) == stored


def test_buyout(schemes, in_request):
    with in_request():
        form = form_for(schemes, "buyout_rebate", rebate_rate=" 1.5 ")
        assert form.validate() and form.data == {"rebate_rate": D("1.5")}
        form = form_for(schemes, "buyout_rebate", rebate_rate="0", spare_parts_allowance="abc")
        assert not form.validate()
        assert form.errors == {"t.rebate_rate": ["Enter a value above 0 and at most 100."],
                               "t.spare_parts_allowance": ["Enter a number."]}
        form = form_for(schemes, "buyout_rebate")
        assert not form.validate() and form.errors == {"t.rebate_rate": ["This field is required."]}


def test_numbers_may_be_typed_in_the_users_locale(schemes, in_request):
    with in_request("fr"):
        form = form_for(schemes, "price_discount", discount_rate="2,5")
        assert form.validate() and form.data["discount_rate"] == D("2.5")
    with in_request("en"):
        form = form_for(schemes, "repair_compensation", labour_fees__L1="1,200", labour_fees__L2="80",
                        labour_fees__L3="90", handling_fee="5")
        assert form.validate(), form.errors
        assert form.data["labour_fees"]["L1"] == D("1200")


def test_parts_ratio_tables(schemes, in_request):
    with in_request():
        form = form_for(schemes, "parts_ratio", category_ratios__main_board="1", category_ratios__panel="",
                        model_ratios__0__key="KTV-55A", model_ratios__0__value__main_board="2",
                        model_ratios__1__key="", part_prices__0__key="MB-55A", part_prices__0__value="310.00",
                        part_prices__3__key="", part_prices__3__value="")
        assert form.validate(), form.errors
        assert form.data == {"category_ratios": {"main_board": D("1")},
                             "model_ratios": {"KTV-55A": {"main_board": D("2")}},
                             "part_prices": {"MB-55A": D("310.00")}, "category_prices": {}}


def test_parts_ratio_errors_land_on_their_inputs(schemes, in_request):
    with in_request():
        form = form_for(schemes, "parts_ratio", category_ratios__panel="200",
                        model_ratios__0__key="KTV-55A", model_ratios__0__value__remote="x",
                        part_prices__0__key="", part_prices__0__value="3",
                        part_prices__1__key="P1", part_prices__1__value="-3",
                        part_prices__2__key="P1", part_prices__2__value="4")
        assert not form.validate()
        assert form.errors == {
            "t.category_ratios.panel": ["Enter a value from 0 to 100."],
            "t.model_ratios.0.value.remote": ["Enter a number."],
            "t.part_prices.0.key": ["Fill in this column for the row."],
            "t.part_prices.1.value": ["Enter a value of at least 0."],
            "t.part_prices.2.key": ["P1 appears twice."],
        }


def test_parts_ratio_needs_a_ratio_and_a_price(schemes, in_request):
    with in_request():
        form = form_for(schemes, "parts_ratio")
        assert not form.validate()
        assert form.errors == {"t.category_ratios": ["This field is required."]}
        form = form_for(schemes, "parts_ratio", category_ratios__main_board="1")
        assert not form.validate()
        assert form.errors == {"t.category_prices": ["Give an agreed price per part number or per category."]}


def test_repair_compensation(schemes, in_request):
    info = schemes.info("repair_compensation")
    with in_request():
        fresh = TermsForm(info)  # starts from the schema's defaults
        assert fresh.value("t.submission_window_days") == "60"
        assert fresh.values("t.excluded_fault_causes") == ["transport_client_logistics", "panel_impact",
                                                           "human_damage", "lightning"]
        form = form_for(schemes, "repair_compensation", labour_fees__L1="40", handling_fee="5",
                        **{"excluded_fault_causes.__present": "1"}, excluded_fault_causes=["lightning", "human_damage"],
                        grace_days="1.5")
        assert not form.validate()
        assert form.errors == {"t.grace_days": ["Enter a whole number."]}
        form = form_for(schemes, "repair_compensation", labour_fees__L1="40", handling_fee="5",
                        **{"excluded_fault_causes.__present": "1"}, excluded_fault_causes=["lightning", "human_damage"])
        assert not form.validate()
        assert form.errors == {"t.labour_fees": ["Give a labour fee for L2, L3."]}
        form = form_for(schemes, "repair_compensation", labour_fees__L1="40", labour_fees__L2="80",
                        labour_fees__L3="120", handling_fee="5", cap_per_claim="300",
                        warranty_months__panel="24", **{"excluded_fault_causes.__present": "1"})
        assert form.validate(), form.errors
        assert form.data["excluded_fault_causes"] == []  # every box unticked: nothing excluded
        assert form.data["warranty_months"] == {"panel": 24}
        assert form.data["submission_window_days"] == 60 and form.data["cap_per_claim"] == D("300")


def test_choices_in_error_messages_are_labelled(in_request):
    with in_request():
        assert translate("Must be one of: main_board, panel.") == "Choose one of: Main board, Panel."
        assert translate("Must be greater than or equal to 0.") == "Enter a value of at least 0."
        assert translate("Something a plugin says.") == "Something a plugin says."
        assert translate_errors({"a": {0: ["Not a valid integer."]}}) == {"a": {0: ["Enter a whole number."]}}


def test_errors_are_translated_by_the_portals_catalogue(schemes, in_request, monkeypatch):
    """marshmallow's English default goes through the portal's gettext: with a French
    catalogue holding the portal's message, the French text is shown."""
    french = Translations()
    french._catalog = {"This field is required.": "Ce champ est obligatoire.",
                       "Enter a value above %(min)s and at most %(max)s.":
                           "Saisissez une valeur supérieure à %(min)s et au plus %(max)s."}
    monkeypatch.setattr("flask_babel.Domain.get_translations", lambda self: french)
    with in_request("fr"):
        form = form_for(schemes, "buyout_rebate")
        assert not form.validate()
        assert form.errors == {"t.rebate_rate": ["Ce champ est obligatoire."]}
        form = form_for(schemes, "buyout_rebate", rebate_rate="150")
        assert not form.validate()
        assert form.errors == {"t.rebate_rate": ["Saisissez une valeur supérieure à 0 et au plus 100."]}


def test_labels_and_summary_follow_the_locale(schemes, in_request):
    info = schemes.info("parts_ratio")
    with in_request("fr"):
        form = TermsForm(info)
        assert form.nodes[0].label("fr") == "Taux de pièces gratuites par catégorie (%)"
        rows = summarise(info, {"category_ratios": {"main_board": "1.5"}, "model_ratios": {},
                                "part_prices": {"MB-1": "310"}, "category_prices": {}}, "fr")
        assert rows[0] == ("Taux de pièces gratuites par catégorie (%)", "Carte mère: 1,5")
        assert rows[2][1] == "MB-1: 310"
