"""Every user-visible string is translated, really, in all five languages."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("zh_Hans", "zh_Hant_HK", "en", "fr", "es")
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2),
            "pgettext": ((1, "c"), 2), "lazy_pgettext": ((1, "c"), 2)}
METHOD_MAP = [("portal/**.py", "python"), ("portal/**/templates/**.html", "jinja2")]


def load(locale):
    with open(ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po", "rb") as f:
        return read_po(f, locale=locale)


@pytest.fixture(scope="module")
def source_ids():
    """(msgid, msgctxt or None) of every string the code translates."""
    ids = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        ROOT, METHOD_MAP, keywords=KEYWORDS, comment_tags=()
    ):
        ids.add((message if isinstance(message, str) else message[0], context))
    return ids


def test_context_strings_are_extracted(source_ids):
    """Status labels shared by kinds carry the kind as context (portal/labels.py)."""
    assert ("Open", "complaint_status") in source_ids
    assert ("Closed", "rma_status") in source_ids


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete(locale, source_ids):
    catalogue = load(locale)
    missing = sorted((i, c or "") for i, c in source_ids if catalogue.get(i, context=c) is None)
    assert not missing, f"{locale}: strings not in the catalogue (run make extract-messages): {missing[:20]}"
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    empty = [m.id for m in catalogue if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])]
    assert not fuzzy, f"{locale}: fuzzy entries: {fuzzy[:20]}"
    assert not empty, f"{locale}: untranslated entries: {empty[:20]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_match(locale):
    problems = [(m.id, [str(e) for e in errors]) for m, errors in load(locale).check() if errors]
    assert not problems, problems[:10]


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant_HK", "fr", "es"])
def test_translations_are_not_english_copies(locale):
    catalogue = load(locale)
    copied = [m.id for m in catalogue if m.id and isinstance(m.id, str) and m.string == m.id and len(m.id) > 12]
    assert len(copied) <= 5, f"{locale}: left in English: {copied[:20]}"
