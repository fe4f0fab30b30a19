"""Languages: which locale a request uses, and locale-aware formatting for templates.

Locales are zh_Hans, zh_Hant_HK, en, fr, es. The user's saved choice wins, then the
language picked on the sign-in page, then the browser's Accept-Language, mapped by
script and region (zh-TW must become Traditional, which plain best_match gets wrong).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal, format_percent
from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

LOCALE_NAMES = {
    "zh_Hans": "简体中文",
    "zh_Hant_HK": "繁體中文（香港）",
    "en": "English",
    "fr": "Français",
    "es": "Español",
}
TRADITIONAL_REGIONS = {"HK", "TW", "MO"}


def map_language_tag(tag: str) -> str | None:
    """Map one Accept-Language tag to a portal locale, or None when we have no match."""
    tag = tag.strip().replace("_", "-")
    if not tag or tag == "*":
        return None
    try:
        loc = Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        loc = None
    language = (loc.language if loc else tag.split("-")[0]).lower()
    if language == "zh":
        # Babel fills in the likely script: zh-HK, zh-TW, zh-MO are Hant; zh, zh-CN, zh-SG Hans.
        parts = {p.upper() for p in tag.split("-")[1:]}
        script = loc.script if loc else ("Hant" if parts & ({"HANT"} | TRADITIONAL_REGIONS) else None)
        return "zh_Hant_HK" if script == "Hant" else "zh_Hans"
    return language if language in ("en", "fr", "es") else None


def locale_from_accept_language(header: str) -> str | None:
    """The best portal locale for an Accept-Language header, honouring q-values."""
    choices = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            choices.append((-quality, position, tag))
    for _, _, tag in sorted(choices):
        mapped = map_language_tag(tag)
        if mapped:
            return mapped
    return None


def select_locale() -> str:
    if not has_request_context():  # background jobs, commands: the default (or force_locale)
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale:
        return current_user.locale
    if session.get("locale") in LOCALE_NAMES:
        return session["locale"]
    return locale_from_accept_language(request.headers.get("Accept-Language", "")) or "en"


def current_locale() -> str:
    return str(get_locale() or "en")


def money(amount: Decimal | None, currency: str, locale: str | None = None) -> str:
    if amount is None:
        return ""
    return format_currency(amount, currency, locale=locale or current_locale())


def number(value, locale: str | None = None) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale=locale or current_locale())


def percent(value: Decimal, locale: str | None = None) -> str:
    """`value` is a percentage figure (1.5 means 1.5 %)."""
    return format_percent(Decimal(value) / 100, format="#,##0.##%", locale=locale or current_locale())


def date_(value: date | datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, fmt)
    return format_date(value, fmt)


def init_app(app) -> None:
    from .extensions import babel

    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(translations_dir()),
    )
    app.jinja_env.filters.update(money=money, number=number, percent=percent, date=date_)
    app.jinja_env.globals.update(LOCALE_NAMES=LOCALE_NAMES, current_locale=current_locale)


def translations_dir():
    from pathlib import Path

    import translations

    return Path(translations.__file__).parent
