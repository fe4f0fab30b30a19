"""marshmallow's English validation messages, in the user's language.

A scheme's terms schema is the scheme's own (plugins import no portal code), so its error
messages are marshmallow's defaults in English, plus the English texts of its cross-field
rules. ``translate`` maps each to a message of the portal's catalogue: exact texts through
``EXACT``, messages with values (ranges, lengths, choices) through ``PATTERNS``; a message
the table does not know goes through gettext as is (a translator may add it), so nothing
is ever lost.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from flask_babel import gettext, lazy_gettext as _l

from ..i18n import number
from ..labels import LABELS

EXACT = {
    # marshmallow fields
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field may not be empty."),
    "Invalid value.": _l("Invalid value."),
    "Not a valid string.": _l("Enter text."),
    "Not a valid utf-8 string.": _l("Enter text."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid number.": _l("Enter a number."),
    "Number too large.": _l("The number is too large."),
    "Special numeric values (nan or infinity) are not permitted.": _l("Enter a number."),
    "Not a valid boolean.": _l("Choose yes or no."),
    "Not a valid list.": _l("Enter a list."),
    "Not a valid tuple.": _l("Enter a list."),
    "Not a valid mapping type.": _l("Enter a table of values."),
    "Invalid type.": _l("Invalid input type."),
    "Invalid input type.": _l("Invalid input type."),
    "Unknown field.": _l("Unknown field."),
    # marshmallow validators
    "Not a valid URL.": _l("Enter a valid address (URL)."),
    "Not a valid email address.": _l("Enter a valid e-mail address."),
    "String does not match expected pattern.": _l("The value does not have the expected form."),
    "Invalid input.": _l("Invalid value."),
    # the built-in schemes' cross-field rules
    "Give an agreed price per part number or per category.":
        _l("Give an agreed price per part number or per category."),
}


def _num(text: str) -> str:
    try:
        return number(Decimal(text))
    except (InvalidOperation, ValueError):
        return text


def _choice(code: str) -> str:
    """A code in a list of choices, by its label when the portal has one."""
    code = code.strip()
    for kind in ("category", "fault_cause"):
        if code in LABELS[kind]:
            return str(LABELS[kind][code])
    return code


def _choices(text: str) -> str:
    return ", ".join(_choice(code) for code in text.split(","))


def _range(min_op: str | None, low: str | None, max_op: str | None, high: str | None) -> str:
    low_text, high_text = _num(low or ""), _num(high or "")
    above = min_op == "greater than"
    below = max_op == "less than"
    if min_op and max_op:
        if above and below:
            return gettext("Enter a value above %(min)s and below %(max)s.", min=low_text, max=high_text)
        if above:
            return gettext("Enter a value above %(min)s and at most %(max)s.", min=low_text, max=high_text)
        if below:
            return gettext("Enter a value of at least %(min)s and below %(max)s.", min=low_text, max=high_text)
        return gettext("Enter a value from %(min)s to %(max)s.", min=low_text, max=high_text)
    if min_op:
        if above:
            return gettext("Enter a value above %(min)s.", min=low_text)
        return gettext("Enter a value of at least %(min)s.", min=low_text)
    if below:
        return gettext("Enter a value below %(max)s.", max=high_text)
    return gettext("Enter a value of at most %(max)s.", max=high_text)


_OP_MIN = r"(greater than or equal to|greater than)"
_OP_MAX = r"(less than or equal to|less than)"
_VALUE = r"(-?[0-9.E+-]+)"

PATTERNS: list[tuple[re.Pattern, Callable[[re.Match], str]]] = [
    (re.compile(rf"^Must be {_OP_MIN} {_VALUE} and {_OP_MAX} {_VALUE}\.$"),
     lambda m: _range(m[1], m[2], m[3], m[4])),
    (re.compile(rf"^Must be {_OP_MIN} {_VALUE}\.$"), lambda m: _range(m[1], m[2], None, None)),
    (re.compile(rf"^Must be {_OP_MAX} {_VALUE}\.$"), lambda m: _range(None, None, m[1], m[2])),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"),
     lambda m: gettext("Give from %(min)s to %(max)s entries or characters.", min=m[1], max=m[2])),
    (re.compile(r"^Length must be (\d+)\.$"),
     lambda m: gettext("Give exactly %(n)s entries or characters.", n=m[1])),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"),
     lambda m: gettext("Give at least %(n)s.", n=m[1]) if m[1] != "1" else gettext("This field may not be empty.")),
    (re.compile(r"^Longer than maximum length (\d+)\.$"),
     lambda m: gettext("Give at most %(n)s entries or characters.", n=m[1])),
    (re.compile(r"^Must be one of: (.*)\.$"),
     lambda m: gettext("Choose one of: %(choices)s.", choices=_choices(m[1]))),
    (re.compile(r"^One or more of the choices you made was not in: (.*)\.$"),
     lambda m: gettext("Choose only among: %(choices)s.", choices=_choices(m[1]))),
    (re.compile(r"^Must be equal to (.*)\.$"), lambda m: gettext("Must be %(value)s.", value=m[1])),
    # the repair-compensation scheme's rule: every level needs a labour fee
    (re.compile(r"^Give a labour fee for (.*)\.$"),
     lambda m: gettext("Give a labour fee for %(levels)s.", levels=m[1])),
]


def translate(message: object) -> str:
    """One marshmallow message in the current locale."""
    text = str(message)
    known = EXACT.get(text)
    if known is not None:
        return str(known)
    for pattern, render in PATTERNS:
        match = pattern.match(text)
        if match:
            return render(match)
    return gettext(text)


def translate_errors(messages: object) -> object:
    """A marshmallow ``ValidationError.messages`` structure with every message translated;
    keys (field names, dict keys, list indexes, "key"/"value") are kept."""
    if isinstance(messages, dict):
        return {key: translate_errors(value) for key, value in messages.items()}
    if isinstance(messages, (list, tuple)):
        return [translate_errors(m) if isinstance(m, (dict, list)) else translate(m) for m in messages]
    return [translate(messages)]
