"""Building blocks for a scheme's terms schema (marshmallow 3.22+ and 4).

Every field carries ``metadata={"label": {locale: text}, "help": {locale: text}}`` so the
portal can render the contract form and its errors in every language. Money and percents
are ``fields.Decimal(as_string=True)``: they load from a JSON string or number and dump
back to a string, so stored terms are plain JSON.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from marshmallow import fields, validate

from contracts.domain import LOCALES, PART_CATEGORIES

Texts = Mapping[str, str]


def tr(*, zh_Hans: str, zh_Hant_HK: str, en: str, fr: str, es: str) -> dict[str, str]:
    """One text in the five locales; keyword-only so none can be forgotten."""
    return {"zh_Hans": zh_Hans, "zh_Hant_HK": zh_Hant_HK, "en": en, "fr": fr, "es": es}


def described(label: Texts, help: Texts) -> dict[str, Any]:
    """The metadata every terms field carries."""
    return {"label": dict(label), "help": dict(help)}


def field_text(field: fields.Field, kind: str, locale: str) -> str:
    """A field's label or help in a locale, English when that locale is missing."""
    texts = field.metadata.get(kind) or {}
    return texts.get(locale) or texts.get("en", "")


class WholeNumber(fields.Integer):
    """An integer that refuses fractions (plain Integer truncates 60.5 to 60) but still
    accepts the digit strings an HTML form sends."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int | None:
        if isinstance(value, (float, Decimal)) and not _is_whole(value):
            raise self.make_error("invalid")
        if isinstance(value, str) and not value.strip().lstrip("+-").isdigit():
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def _is_whole(value: float | Decimal) -> bool:
    try:
        return value == int(value)
    except (ValueError, OverflowError):  # NaN, infinity
        return False


def days_field(label: Texts, help: Texts, **kwargs: Any) -> WholeNumber:
    """A number of days or months: a whole number ≥ 0."""
    return WholeNumber(validate=validate.Range(min=0), metadata=described(label, help), **kwargs)


def percent_field(label: Texts, help: Texts, *, allow_zero: bool = False,
                  **kwargs: Any) -> fields.Decimal:
    """A percentage: 0 < value ≤ 100 (or 0 ≤ value with ``allow_zero``)."""
    return fields.Decimal(
        as_string=True,
        validate=validate.Range(min=Decimal(0), max=Decimal(100), min_inclusive=allow_zero),
        metadata=described(label, help),
        **kwargs,
    )


def percent_values(**kwargs: Any) -> fields.Decimal:
    """A percentage used inside a Dict or List (no label of its own)."""
    return fields.Decimal(
        as_string=True, validate=validate.Range(min=Decimal(0), max=Decimal(100)), **kwargs
    )


def money_values(**kwargs: Any) -> fields.Decimal:
    """An amount of money ≥ 0 inside a Dict or List."""
    return fields.Decimal(as_string=True, validate=validate.Range(min=Decimal(0)), **kwargs)


def money_field(label: Texts, help: Texts, *, positive: bool = False,
                **kwargs: Any) -> fields.Decimal:
    """An amount in the contract's currency: ≥ 0, or > 0 with ``positive``."""
    return fields.Decimal(
        as_string=True,
        validate=validate.Range(min=Decimal(0), min_inclusive=not positive),
        metadata=described(label, help),
        **kwargs,
    )


def category_key(**kwargs: Any) -> fields.String:
    return fields.String(validate=validate.OneOf(PART_CATEGORIES), **kwargs)


PART_PRICES_LABEL = tr(
    zh_Hans="零件约定价格（按料号）",
    zh_Hant_HK="零件協定價格（按料號）",
    en="Agreed part prices (by part number)",
    fr="Prix convenus des pièces (par référence)",
    es="Precios acordados de piezas (por número de pieza)",
)
PART_PRICES_HELP = tr(
    zh_Hans="每个料号的约定单价，以合同币种计。料号价格优先于类别价格。",
    zh_Hant_HK="每個料號的協定單價，以合約貨幣計。料號價格優先於類別價格。",
    en="Agreed unit price of each part number, in the contract's currency. "
       "A part number's price wins over its category's.",
    fr="Prix unitaire convenu de chaque référence, dans la devise du contrat. "
       "Le prix d'une référence l'emporte sur celui de sa catégorie.",
    es="Precio unitario acordado de cada número de pieza, en la moneda del contrato. "
       "El precio de la pieza prevalece sobre el de su categoría.",
)
CATEGORY_PRICES_LABEL = tr(
    zh_Hans="零件约定价格（按类别）",
    zh_Hant_HK="零件協定價格（按類別）",
    en="Agreed part prices (by category)",
    fr="Prix convenus des pièces (par catégorie)",
    es="Precios acordados de piezas (por categoría)",
)
CATEGORY_PRICES_HELP = tr(
    zh_Hans="未单独定价的料号按其类别（主板、电源板、屏、遥控器……）的单价计。",
    zh_Hant_HK="未單獨定價的料號按其類別（主板、電源板、屏、遙控器……）的單價計。",
    en="Unit price for parts of a category (main board, power board, panel, remote…) "
       "that have no price of their own.",
    fr="Prix unitaire des pièces d'une catégorie (carte mère, carte d'alimentation, "
       "dalle, télécommande…) sans prix propre.",
    es="Precio unitario de las piezas de una categoría (placa base, placa de "
       "alimentación, panel, mando…) sin precio propio.",
)


def part_prices_field(**kwargs: Any) -> fields.Dict:
    """part number -> agreed unit price."""
    return fields.Dict(
        keys=fields.String(validate=validate.Length(min=1)), values=money_values(),
        load_default=dict, metadata=described(PART_PRICES_LABEL, PART_PRICES_HELP), **kwargs,
    )


def category_prices_field(**kwargs: Any) -> fields.Dict:
    """part category -> agreed unit price, for part numbers without their own."""
    return fields.Dict(
        keys=category_key(), values=money_values(), load_default=dict,
        metadata=described(CATEGORY_PRICES_LABEL, CATEGORY_PRICES_HELP), **kwargs,
    )


def agreed_part_price(terms: Mapping[str, Any], part_number: str,
                      category: str) -> Decimal | None:
    """The agreed price of a part: its own, else its category's, else None."""
    own = (terms.get("part_prices") or {}).get(part_number)
    if own is not None:
        return own
    return (terms.get("category_prices") or {}).get(category)


def check_locales(texts: Mapping[str, str]) -> list[str]:
    """The locales missing (or empty) in a text."""
    return [locale for locale in LOCALES if not texts.get(locale)]
