"""The contract-terms form, built from a scheme's marshmallow schema.

Each schema field becomes a *node* that knows how to render itself (a Jinja macro per
``kind`` in ``templates/schemes/_terms.html``), how to read what was typed back into the
terms JSON, and where marshmallow's errors belong. Nobody types JSON for the built-in
schemes or the tiered-rebate example:

=============================================  ===================================================
field                                          input
=============================================  ===================================================
Decimal, Integer, String, Date, Boolean        one input (number, text, date, check box)
String with OneOf                              a select
Dict with OneOf keys (per category, level)     one input per key, left empty to leave it out
Dict with free keys (part number -> price)     rows of key + value (value may itself be per key)
List of OneOf strings (excluded causes)        check boxes
List of anything else (tiers)                  rows, one input per sub-field
Nested                                         its sub-fields
anything else (Raw...)                         JSON text, explained
=============================================  ===================================================

Names of the inputs are paths under ``t.`` (``t.category_ratios.panel``,
``t.part_prices.0.key``, ``t.tiers.1.rate``), so what was typed is kept as typed and an
error lands next to the input it is about. Numbers may be typed in the user's locale
(``1,5`` in French). Validation is the scheme's own: ``contracts.load_terms``.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import gettext as _, lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, missing
from werkzeug.datastructures import MultiDict

from contracts import SchemeInfo, load_terms
from contracts.terms import field_text

from ..i18n import current_locale, number
from .introspect import choices_of, default_terms, json_key, nested_schema, scalar_kind
from .messages import _choice, translate

PREFIX = "t"
BLANK_ROWS = 2
TRUE_VALUES = ("y", "yes", "on", "true", "1")

# Column headings for the key of a free-keyed table, by the terms field's name.
KEY_HEADINGS = {"part_prices": _l("Part number"), "model_ratios": _l("Model")}
VALUE_HEADINGS = {"part_prices": _l("Agreed unit price")}


def dom_id(name: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


class Node:
    kind = "json"

    def __init__(self, key: str, field: fields.Field) -> None:
        self.key = key
        self.field = field

    def label(self, locale: str) -> str:
        return field_text(self.field, "label", locale) or self.key.replace("_", " ").capitalize()

    def help(self, locale: str) -> str:
        return field_text(self.field, "help", locale)

    @property
    def required(self) -> bool:
        return bool(self.field.required)

    # JSON value -> inputs
    def flatten(self, value: Any, name: str, out: MultiDict) -> None:
        out.add(name, json.dumps(value, ensure_ascii=False))

    # inputs -> JSON value (or missing); typing errors go to ``errors[name]``
    def parse(self, flat: MultiDict, name: str, errors: dict[str, list[str]]) -> Any:
        raw = (flat.get(name) or "").strip()
        if not raw:
            return missing
        try:
            return json.loads(raw)
        except ValueError:
            errors.setdefault(name, []).append(_("Enter valid JSON, e.g. {\"key\": \"value\"}."))
            return missing

    def is_blank(self, flat: MultiDict, name: str) -> bool:
        return not any(key == name or key.startswith(name + ".") for key, value
                       in flat.items(multi=True) if str(value).strip() and not key.endswith(".__present"))

    # marshmallow messages -> inputs
    def map_errors(self, messages: Any, name: str, flat: MultiDict,
                   out: dict[str, list[str]]) -> None:
        for path, message in _walk(messages):
            where = " › ".join(str(p) for p in path if p not in ("key", "value"))
            text = translate(message)
            out.setdefault(name, []).append(f"{where}: {text}" if where else text)

    def describe(self, value: Any, locale: str) -> str:
        return json.dumps(value, ensure_ascii=False)


def _walk(messages: Any, path: tuple = ()):
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _walk(value, path + (key,))
    elif isinstance(messages, (list, tuple)):
        for message in messages:
            if isinstance(message, (dict, list)):
                yield from _walk(message, path)
            else:
                yield path, message
    else:
        yield path, messages


def _field_level(messages: Any, name: str, out: dict[str, list[str]]) -> None:
    for _path, message in _walk(messages):
        out.setdefault(name, []).append(translate(message))


def normalise_number(raw: str, locale: str) -> str:
    """A number as typed: plain (1.5) or in the user's locale (1,5 · 1 500,25)."""
    text = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    try:
        Decimal(text)
        return text
    except InvalidOperation:
        pass
    try:
        return str(parse_decimal(text, locale=locale, strict=True))
    except (NumberFormatError, ValueError):
        return raw


class Scalar(Node):
    def __init__(self, key: str, field: fields.Field, kind: str) -> None:
        super().__init__(key, field)
        self.kind = kind
        self.choices = choices_of(field) or ()

    def flatten(self, value: Any, name: str, out: MultiDict) -> None:
        if value is None or value is missing:
            return
        if self.kind == "boolean":
            if value:
                out.add(name, "y")
            return
        out.add(name, str(value))

    def parse(self, flat: MultiDict, name: str, errors: dict[str, list[str]]) -> Any:
        raw = (flat.get(name) or "").strip()
        if self.kind == "boolean":
            return raw.lower() in TRUE_VALUES
        if not raw:
            return missing
        if self.kind in ("decimal", "integer"):
            return normalise_number(raw, current_locale())
        return raw

    def is_blank(self, flat: MultiDict, name: str) -> bool:
        raw = (flat.get(name) or "").strip()
        return not raw or (self.kind == "boolean" and raw.lower() not in TRUE_VALUES)

    def map_errors(self, messages, name, flat, out) -> None:
        _field_level(messages, name, out)

    def choice_label(self, code: str) -> str:
        return _choice(code)

    @property
    def inputmode(self) -> str:
        return {"integer": "numeric", "decimal": "decimal"}.get(self.kind, "text")

    def describe(self, value: Any, locale: str) -> str:
        if value is None:
            return "—"
        if self.kind == "boolean":
            return _("Yes") if value else _("No")
        if self.kind in ("decimal", "integer"):
            try:
                return number(Decimal(str(value)), locale)
            except InvalidOperation:
                return str(value)
        if self.kind == "choice":
            return _choice(str(value))
        return str(value)


class EnumDict(Node):
    """A dict whose keys are a fixed list (categories, repair levels): one input per key."""

    kind = "enum_dict"

    def __init__(self, key: str, field: fields.Dict, choices: tuple[str, ...], value: Scalar) -> None:
        super().__init__(key, field)
        self.choices = choices
        self.value = value

    def choice_label(self, code: str) -> str:
        return _choice(code)

    def flatten(self, value, name, out) -> None:
        for code, item in (value or {}).items():
            self.value.flatten(item, f"{name}.{code}", out)

    def parse(self, flat, name, errors) -> Any:
        found = {}
        for code in self.choices:
            item = self.value.parse(flat, f"{name}.{code}", errors)
            if item is not missing and not (self.value.kind == "boolean" and not item):
                found[code] = item
        return found or missing

    def is_blank(self, flat, name) -> bool:
        return all(self.value.is_blank(flat, f"{name}.{code}") for code in self.choices)

    def map_errors(self, messages, name, flat, out) -> None:
        if not isinstance(messages, dict):
            return _field_level(messages, name, out)
        for code, sub in messages.items():
            if isinstance(sub, dict) and ("key" in sub or "value" in sub):
                if "key" in sub:
                    _field_level({code: sub["key"]}, name, out)
                if "value" in sub:
                    target = f"{name}.{code}" if code in self.choices else name
                    self.value.map_errors(sub["value"], target, flat, out)
            else:
                _field_level(sub, name, out)

    def describe(self, value, locale) -> str:
        if not value:
            return "—"
        return "; ".join(f"{_choice(code)}: {self.value.describe(item, locale)}"
                         for code, item in value.items())


class Rows(Node):
    """Something typed as rows (free-keyed tables, lists): the row indexes present."""

    def rows(self, flat: MultiDict, name: str) -> list[int]:
        found = set()
        pattern = re.compile(re.escape(name) + r"\.(\d+)(\.|$)")
        for key in flat.keys():
            match = pattern.match(key)
            if match:
                found.add(int(match.group(1)))
        return sorted(found)

    def display_rows(self, flat: MultiDict, name: str) -> list[int]:
        """The rows to show: those typed (blank ones dropped) plus empty ones to fill in."""
        present = self.rows(flat, name)
        kept = [i for i in present if not self.row_blank(flat, f"{name}.{i}")]
        start = present[-1] + 1 if present else 0
        return kept + list(range(start, start + BLANK_ROWS))

    def row_blank(self, flat: MultiDict, row: str) -> bool:
        raise TypeError(f"{type(self).__name__} must define row_blank()")  # abstract


class FreeDict(Rows):
    """A dict with free keys (part number -> price, model -> ratios per category)."""

    kind = "free_dict"

    def __init__(self, key: str, field: fields.Dict, value: Node) -> None:
        super().__init__(key, field)
        self.value = value

    def key_heading(self) -> str:
        heading = KEY_HEADINGS.get(self.key)
        if heading is not None:
            return str(heading)
        key_field = self.field.key_field
        if key_field is not None and key_field.metadata.get("label"):
            return field_text(key_field, "label", current_locale())
        return _("Code")

    def value_heading(self) -> str:
        if self.key in VALUE_HEADINGS:
            return str(VALUE_HEADINGS[self.key])
        if self.value.field.metadata.get("label"):
            return self.value.label(current_locale())
        return _("Value")

    def flatten(self, value, name, out) -> None:
        for index, (code, item) in enumerate((value or {}).items()):
            out.add(f"{name}.{index}.key", str(code))
            self.value.flatten(item, f"{name}.{index}.value", out)

    def row_blank(self, flat, row) -> bool:
        return not (flat.get(f"{row}.key") or "").strip() and self.value.is_blank(flat, f"{row}.value")

    def parse(self, flat, name, errors) -> Any:
        found: dict[str, Any] = {}
        for index in self.rows(flat, name):
            row = f"{name}.{index}"
            if self.row_blank(flat, row):
                continue
            code = (flat.get(f"{row}.key") or "").strip()
            item = self.value.parse(flat, f"{row}.value", errors)
            if not code:
                errors.setdefault(f"{row}.key", []).append(_("Fill in this column for the row."))
            elif code in found:
                errors.setdefault(f"{row}.key", []).append(_("%(code)s appears twice.", code=code))
            elif item is missing:
                errors.setdefault(f"{row}.value", []).append(_("Give a value for %(code)s.", code=code))
            else:
                found[code] = item
        return found or missing

    def map_errors(self, messages, name, flat, out) -> None:
        if not isinstance(messages, dict):
            return _field_level(messages, name, out)
        where = {}
        for index in self.rows(flat, name):
            code = (flat.get(f"{name}.{index}.key") or "").strip()
            where.setdefault(code, index)
        for code, sub in messages.items():
            index = where.get(str(code))
            if index is None or not isinstance(sub, dict):
                for _path, message in _walk(sub):
                    out.setdefault(name, []).append(f"{code}: {translate(message)}")
                continue
            if "key" in sub:
                _field_level(sub["key"], f"{name}.{index}.key", out)
            if "value" in sub:
                self.value.map_errors(sub["value"], f"{name}.{index}.value", flat, out)

    def describe(self, value, locale) -> str:
        if not value:
            return "—"
        if isinstance(self.value, EnumDict):
            return "; ".join(f"{code} ({self.value.describe(item, locale)})" for code, item in value.items())
        return "; ".join(f"{code}: {self.value.describe(item, locale)}" for code, item in value.items())


class ChoiceList(Node):
    """A list of codes from a fixed list: check boxes."""

    kind = "choice_list"

    def __init__(self, key: str, field: fields.List, choices: tuple[str, ...]) -> None:
        super().__init__(key, field)
        self.choices = choices

    def choice_label(self, code: str) -> str:
        return _choice(code)

    def flatten(self, value, name, out) -> None:
        out.add(f"{name}.__present", "1")
        for code in value or ():
            out.add(name, str(code))

    def parse(self, flat, name, errors) -> Any:
        if f"{name}.__present" not in flat and name not in flat:
            return missing
        chosen = flat.getlist(name)
        ordered = [code for code in self.choices if code in chosen]
        return ordered + [code for code in chosen if code not in self.choices]

    def is_blank(self, flat, name) -> bool:
        return not flat.getlist(name)

    def map_errors(self, messages, name, flat, out) -> None:
        _field_level(messages, name, out)

    def describe(self, value, locale) -> str:
        return ", ".join(_choice(str(code)) for code in value) if value else _("none")


class NestedNode(Node):
    """A nested schema: its own sub-fields."""

    kind = "nested"

    def __init__(self, key: str, field: fields.Field, schema: Schema) -> None:
        super().__init__(key, field)
        self.children = [make_node(k, f) for k, f in _fields(schema)]

    def flatten(self, value, name, out) -> None:
        for child in self.children:
            if isinstance(value, Mapping) and child.key in value:
                child.flatten(value[child.key], f"{name}.{child.key}", out)

    def parse(self, flat, name, errors) -> Any:
        found = {}
        for child in self.children:
            item = child.parse(flat, f"{name}.{child.key}", errors)
            if item is not missing:
                found[child.key] = item
        return found or missing

    def is_blank(self, flat, name) -> bool:
        return all(child.is_blank(flat, f"{name}.{child.key}") for child in self.children)

    def map_errors(self, messages, name, flat, out) -> None:
        if not isinstance(messages, dict):
            return _field_level(messages, name, out)
        known = {child.key: child for child in self.children}
        for key, sub in messages.items():
            if key in known:
                known[key].map_errors(sub, f"{name}.{key}", flat, out)
            else:
                _field_level(sub, name, out)

    def describe(self, value, locale) -> str:
        parts = []
        for child in self.children:
            if isinstance(value, Mapping) and child.key in value:
                parts.append(f"{child.label(locale)}: {child.describe(value[child.key], locale)}")
        return ", ".join(parts) or "—"


class ListNode(Rows):
    """A list of values or of nested records (e.g. tiers): one row each."""

    kind = "list"

    def __init__(self, key: str, field: fields.Field, item: Node) -> None:
        super().__init__(key, field)
        self.item = item

    def flatten(self, value, name, out) -> None:
        for index, item in enumerate(value or ()):
            self.item.flatten(item, f"{name}.{index}", out)

    def row_blank(self, flat, row) -> bool:
        return self.item.is_blank(flat, row)

    def _typed_rows(self, flat, name) -> list[int]:
        return [i for i in self.rows(flat, name) if not self.row_blank(flat, f"{name}.{i}")]

    def parse(self, flat, name, errors) -> Any:
        found = []
        for index in self._typed_rows(flat, name):
            item = self.item.parse(flat, f"{name}.{index}", errors)
            if item is not missing:
                found.append(item)
        return found or missing

    def map_errors(self, messages, name, flat, out) -> None:
        if not isinstance(messages, dict):
            return _field_level(messages, name, out)
        rows = self._typed_rows(flat, name)
        for position, sub in messages.items():
            if isinstance(position, int) and position < len(rows):
                self.item.map_errors(sub, f"{name}.{rows[position]}", flat, out)
            else:
                _field_level(sub, name, out)

    def describe(self, value, locale) -> str:
        if not value:
            return "—"
        return "; ".join(self.item.describe(item, locale) for item in value)

    @property
    def columns(self) -> list[Node]:
        return self.item.children if isinstance(self.item, NestedNode) else [self.item]


def make_node(key: str, field: fields.Field) -> Node:
    """The node for one field (see the table in the module's docstring)."""
    kind = scalar_kind(field)
    if kind is not None:
        return Scalar(key, field, kind)
    if isinstance(field, fields.Dict) and field.value_field is not None:
        value = make_node("value", field.value_field)
        keys = choices_of(field.key_field)
        if keys and isinstance(value, Scalar):
            return EnumDict(key, field, keys, value)
        if isinstance(value, (Scalar, EnumDict)):
            return FreeDict(key, field, value)
    if isinstance(field, fields.List):
        inner_choices = choices_of(field.inner)
        if inner_choices and scalar_kind(field.inner) == "choice":
            return ChoiceList(key, field, inner_choices)
        item = make_node("item", field.inner)
        if isinstance(item, (Scalar, NestedNode)):
            return ListNode(key, field, item)
    schema = nested_schema(field)
    if schema is not None:
        if field.many:
            return ListNode(key, field, NestedNode("item", field, schema))
        return NestedNode(key, field, schema)
    return Node(key, field)


def _fields(schema: Schema) -> list[tuple[str, fields.Field]]:
    return [(json_key(name, field), field) for name, field in schema.fields.items()
            if not field.dump_only]


class TermsForm:
    """The terms part of a contract or offer form, for one scheme.

    ``TermsForm(info)`` starts from the schema's defaults, ``TermsForm(info, terms=...)``
    from stored terms, ``TermsForm(info, formdata=request.form)`` from what was typed.
    ``validate()`` loads the terms with the scheme's schema; then ``data`` holds them
    (loaded: Decimals...), ``errors`` maps input names to translated messages and
    ``form_errors`` holds the ones that belong to no field.
    """

    def __init__(self, info: SchemeInfo, formdata: MultiDict | None = None,
                 terms: Mapping[str, Any] | None = None) -> None:
        self.info = info
        self.schema = info.terms_schema()
        self.nodes = [make_node(key, field) for key, field in _fields(self.schema)]
        if formdata is not None:
            self.flat = MultiDict([(k, v) for k, v in formdata.items(multi=True)
                                   if k == PREFIX or k.startswith(PREFIX + ".")])
        else:
            self.flat = MultiDict()
            source = default_terms(self.schema) if terms is None else terms
            for node in self.nodes:
                if node.key in source:
                    node.flatten(source[node.key], self.name(node), self.flat)
        self.errors: dict[str, list[str]] = {}
        self.form_errors: list[str] = []
        self.data: dict[str, Any] | None = None

    @staticmethod
    def name(node: Node) -> str:
        return f"{PREFIX}.{node.key}"

    # what the template needs
    def value(self, name: str) -> str:
        return self.flat.get(name, "")

    def values(self, name: str) -> list[str]:
        return self.flat.getlist(name)

    @staticmethod
    def id(name: str) -> str:
        return dom_id(name)

    def checked(self, name: str) -> bool:
        return (self.flat.get(name) or "").strip().lower() in TRUE_VALUES

    def errors_for(self, name: str) -> list[str]:
        return self.errors.get(name, [])

    def errors_under(self, name: str) -> bool:
        return any(key == name or key.startswith(name + ".") for key in self.errors)

    def rows(self, node: Rows, name: str) -> list[int]:
        rows = node.display_rows(self.flat, name)
        erred = [i for i in node.rows(self.flat, name) if self.errors_under(f"{name}.{i}")]
        return sorted(set(rows) | set(erred))

    def raw(self) -> dict[str, Any]:
        """What was typed, as terms JSON (before the schema checks it)."""
        parse_errors: dict[str, list[str]] = {}
        raw = {}
        for node in self.nodes:
            value = node.parse(self.flat, self.name(node), parse_errors)
            if value is not missing:
                raw[node.key] = value
        self.errors.update(parse_errors)
        return raw

    def validate(self) -> bool:
        self.errors, self.form_errors, self.data = {}, [], None
        raw = self.raw()
        try:
            loaded = load_terms(self.info, raw)
        except ValidationError as error:
            self.add_marshmallow_errors(error.messages)
            return False
        if self.errors:
            return False
        self.data = loaded
        return True

    def add_marshmallow_errors(self, messages: Any) -> None:
        known = {node.key: node for node in self.nodes}
        if not isinstance(messages, dict):
            self.form_errors.extend(translate(m) for _p, m in _walk(messages))
            return
        for key, sub in messages.items():
            node = known.get(key)
            if node is None:
                label = key if key != "_schema" else ""
                for _path, message in _walk(sub):
                    text = translate(message)
                    self.form_errors.append(f"{label}: {text}" if label else text)
            else:
                node.map_errors(sub, self.name(node), self.flat, self.errors)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.form_errors)


def summarise(info: SchemeInfo, terms: Mapping[str, Any], locale: str) -> list[tuple[str, str]]:
    """(label, value as text) of each term present, in the schema's order, for people."""
    schema = info.terms_schema()
    rows = []
    for key, field in _fields(schema):
        if key in (terms or {}):
            node = make_node(key, field)
            rows.append((node.label(locale), node.describe(terms[key], locale)))
    return rows

