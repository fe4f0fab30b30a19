"""The contract's own checks: on results, facts and scheme declarations."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from contracts import (
    CurrencyMismatch,
    DuplicateScheme,
    LedgerRow,
    MalformedResult,
    MalformedScheme,
    Period,
    RejectedClaim,
    SettlementLine,
    SettlementResult,
    build_plugin_manager,
    check_currency,
    collect_schemes,
    hookimpl,
    validate_result,
    validate_scheme_info,
)
from plugins import buyout_rebate
from tests.schemes.scheme_builders import SCHEMES, D, facts, shipment

GOOD = SettlementLine("rebate", "credit", D("10.00"), "CNY", "rebate_model", {"model": "M"},
                      "M", quantity=1)


def result_with(**changes) -> SettlementResult:
    return SettlementResult(lines=(replace(GOOD, **changes),))


@pytest.mark.parametrize("changes, why", [
    ({"amount": 10.0}, "not a finite Decimal"),
    ({"amount": D("NaN")}, "not a finite Decimal"),
    ({"amount": D("10.005")}, "not rounded"),
    ({"amount": D("-10.00")}, "negative"),
    ({"currency": "USD"}, "not the contract's CNY"),
    ({"direction": "refund"}, "neither 'credit' nor 'debit'"),
    ({"quantity": 1.5}, "quantity"),
    ({"unit_price": 3.2}, "unit price"),
    ({"params": {"rate": 1.5}}, "param rate"),
    ({"description_key": "no_such_text"}, "no message"),
])
def test_validate_result_refuses_what_must_not_be_persisted(changes, why):
    with pytest.raises(MalformedResult, match=why) as error:
        validate_result(result_with(**changes), "CNY", scheme_key="buyout_rebate",
                        info=SCHEMES["buyout_rebate"])
    assert error.value.scheme_key == "buyout_rebate"


def test_validate_result_knows_jpy_has_no_minor_unit():
    with pytest.raises(MalformedResult, match="not rounded"):
        validate_result(result_with(currency="JPY", amount=D("10.50")), "JPY")
    assert validate_result(result_with(currency="JPY", amount=D("11")), "JPY")


def test_validate_result_checks_ledger_and_rejections():
    with pytest.raises(MalformedResult, match="ledger"):
        validate_result(SettlementResult(ledger=(LedgerRow("M", "panel", 1, 2, -1),)), "CNY")
    with pytest.raises(MalformedResult, match="no reasons"):
        validate_result(SettlementResult(rejected_claims=(RejectedClaim("C", "S", ()),)), "CNY")
    with pytest.raises(MalformedResult, match="SettlementResult"):
        validate_result([GOOD], "CNY")


def test_total_is_credits_minus_debits_of_rounded_lines():
    result = SettlementResult(lines=(GOOD, replace(GOOD, direction="debit", amount=D("2.50"))))
    assert result.total == D("7.50")
    assert SettlementResult().total == 0


def test_check_currency_names_the_fact():
    with pytest.raises(CurrencyMismatch) as error:
        check_currency(facts("CNY", shipments=(shipment(ref="SH-42/1", currency="HKD"),)))
    assert (error.value.ref, error.value.currency, error.value.expected) == (
        "SH-42/1", "HKD", "CNY")
    assert str(error.value).startswith("shipment SH-42/1 is in HKD")


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2024, 2, 1), date(2024, 1, 31))
    assert date(2024, 1, 31) in Period(date(2024, 1, 1), date(2024, 1, 31))


def test_every_built_in_declaration_is_complete():
    for info in SCHEMES.values():
        assert validate_scheme_info(info) is info


@pytest.mark.parametrize("changes, why", [
    ({"key": "Bad Key"}, "key"),
    ({"names": {"en": "Only English"}}, "names miss locales"),
    ({"messages": {"rebate": {"en": "x"}}}, "misses locales"),
    ({"messages": {"m": {"zh_Hans": "{a}", "zh_Hant_HK": "{a}", "en": "{a}", "fr": "{b}",
                         "es": "{a}"}}}, "different placeholders"),
    ({"terms_schema": dict}, "Schema class"),
    ({"version": ""}, "version"),
    ({"shipment_grain": "model_week"}, "shipment_grain 'model_week' is not one of"),
])
def test_validate_scheme_info_finds_what_is_missing(changes, why):
    with pytest.raises(MalformedScheme, match=why):
        validate_scheme_info(replace(buyout_rebate.INFO, **changes))


def test_an_unlabelled_terms_field_is_refused():
    from marshmallow import Schema, fields

    class Unlabelled(Schema):
        rate = fields.Decimal()

    with pytest.raises(MalformedScheme, match="terms field 'rate' has no label"):
        validate_scheme_info(replace(buyout_rebate.INFO, terms_schema=Unlabelled))


def test_two_plugins_with_one_key_are_refused():
    class Impostor:
        @hookimpl
        def portal_scheme_info(self):
            return buyout_rebate.INFO

    manager = build_plugin_manager(buyout_rebate, Impostor(), entry_points=False)
    with pytest.raises(DuplicateScheme, match="buyout_rebate"):
        collect_schemes(manager)


def test_every_terms_field_has_a_label_and_help_in_five_locales():
    for info in SCHEMES.values():
        for name, field in info.terms_schema().fields.items():
            for kind in ("label", "help"):
                assert set(field.metadata[kind]) == {"zh_Hans", "zh_Hant_HK", "en", "fr",
                                                     "es"}, (info.key, name, kind)
