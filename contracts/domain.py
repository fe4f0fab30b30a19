"""Vocabulary shared by the portal and every scheme: part categories, fault causes,
repair levels, money rounding and the warranty clock (DOMAIN.md, "Settlement rules").

Pure Python: no Flask, no database.
"""
from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

# Part categories a warranty is counted for; "unit" is the whole unit.
PART_CATEGORIES = ("unit", "main_board", "power_board", "panel", "remote", "accessory")

# Domestic 三包 defaults, in months, used where a contract is silent.
DOMESTIC_WARRANTY_MONTHS = {
    "unit": 12,
    "panel": 36,
    "main_board": 36,
    "power_board": 12,
    "remote": 12,
    "accessory": 12,
}

# Fault causes recorded on repair returns and claims; coverage depends on them.
FAULT_CAUSES = (
    "normal_failure",
    "transport_odm_packaging",
    "transport_client_logistics",
    "panel_impact",
    "human_damage",
    "lightning",
    "no_fault_found",
)

REPAIR_LEVELS = ("L1", "L2", "L3")

# The portal's five languages; every scheme text (names, labels, messages) covers them all.
LOCALES = ("zh_Hans", "zh_Hant_HK", "en", "fr", "es")

# Minor units per ISO 4217 currency; anything unlisted has two.
CURRENCY_MINOR_UNITS = {"JPY": 0, "KRW": 0, "CNY": 2, "USD": 2, "EUR": 2, "HKD": 2, "GBP": 2}


def minor_units(currency: str) -> int:
    return CURRENCY_MINOR_UNITS.get(currency.upper(), 2)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit (DOMAIN.md: each line is rounded)."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be Decimal, got {type(amount).__name__}")
    exponent = Decimal(1).scaleb(-minor_units(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_UP)


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def warranty_end(ship_date: date, months: int, grace_days: int = 0) -> date:
    """Last day covered: ship date plus grace days plus the category's months, minus one day."""
    return add_months(ship_date + timedelta(days=grace_days), months) - timedelta(days=1)


def in_warranty(ship_date: date, on: date, months: int, grace_days: int = 0) -> bool:
    return on <= warranty_end(ship_date, months, grace_days)
