"""Numbers in line descriptions: the fast formatter agrees with Babel's for every language."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from portal.settlements.content import exact_number

LOCALES = ("zh_Hans", "zh_Hant_HK", "en", "fr", "es")


def babel_exact(value, locale: str) -> str:
    if isinstance(value, Decimal):
        places = max(0, -value.as_tuple().exponent)
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(value, format=pattern, locale=locale, decimal_quantization=False)
    return format_decimal(value, locale=locale)


def samples() -> list:
    rng = random.Random(20261124)
    values = [0, 7, -7, 999, 1000, -1000, 1234567, Decimal("0.00"), Decimal("-0.50"), Decimal("1E+3"),
              Decimal("27195.00"), Decimal("1.5"), Decimal("-1234567.891"), Decimal("1000000.0001")]
    for _ in range(300):
        values.append(rng.randint(-10**9, 10**9))
        places = rng.randint(0, 4)
        values.append(Decimal(rng.randint(-10**10, 10**10)).scaleb(-places))
    return values


@pytest.mark.parametrize("locale", LOCALES)
def test_exact_number_matches_babel(locale):
    for value in samples():
        assert exact_number(value, locale) == babel_exact(value, locale), value


def test_exact_number_keeps_the_decimals_and_the_locale_symbols():
    assert exact_number(Decimal("27195.00"), "en") == "27,195.00"
    assert exact_number(Decimal("27195.00"), "fr") == "27\u202f195,00"
    assert exact_number(Decimal("-1234.5"), "es") == "-1.234,5"
    assert exact_number(1234, "zh_Hans") == "1,234"
