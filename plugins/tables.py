"""Texts and terms fields of the built-in schemes, built from small tables.

A row gives a text's translations in ``contracts.domain.LOCALES`` order (zh_Hans,
zh_Hant_HK, en, fr, es) instead of spelling out each locale, so a table of messages or of
terms fields reads as one row per entry, and one loop builds them all.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from marshmallow import Schema, fields

from contracts.domain import LOCALES

Texts = Sequence[str]


def localised(texts: Texts) -> dict[str, str]:
    """One text per locale, from its translations in LOCALES order (all of them)."""
    if len(texts) != len(LOCALES):
        raise ValueError(f"expected {len(LOCALES)} translations ({', '.join(LOCALES)}), got {len(texts)}")
    return dict(zip(LOCALES, texts))


def texts_table(rows: Iterable[Sequence[str]]) -> dict[str, dict[str, str]]:
    """key -> text per locale, from rows (key, translations in LOCALES order)."""
    return {key: localised(texts) for key, *texts in rows}


def fields_table(rows: Iterable[Sequence[Any]]) -> dict[str, fields.Field]:
    """name -> terms field, from rows (name, make, label, help): ``make(label, help)`` with
    both texts per locale. A row (name, make) without texts calls ``make()`` (a shared field
    that carries its own texts)."""
    built: dict[str, fields.Field] = {}
    for name, make, *texts in rows:
        build: Callable[..., fields.Field] = make
        built[name] = build(*map(localised, texts))
    return built


def schema_class(name: str, rows: Iterable[Sequence[Any]], module: str,
                 base: type[Schema] = Schema) -> type[Schema]:
    """The terms Schema class ``name`` with the fields of a ``fields_table``, in ``module``:
    the same class a ``class name(base):`` statement listing the fields would make (its
    checks, e.g. a ``@validates_schema``, come from ``base``)."""
    return type(name, (base,), {"__module__": module, "__qualname__": name, **fields_table(rows)})
