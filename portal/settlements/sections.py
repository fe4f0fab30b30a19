"""Portal sections of a settlement, beside the scheme's lines.

Some money is settled by the portal itself, whatever the scheme: charged repairs of returned
units, complaint compensations agreed with the client... Each is a *section provider*,
registered by the capability that owns it (none yet; the repairs and complaints issues
register theirs):

    register_section_provider(
        "charged_repairs", charged_repair_lines,
        title=_l("Charged repairs"),
        descriptions={"charged_repair": _l("Repair {rma} of {serial}: {cause}")},
    )

A provider receives a :class:`SectionQuery` and returns ``contracts.SettlementLine`` objects
whose ``section`` is the provider's name and whose ``description_key`` is one of its
``descriptions`` (templates with ``{name}`` placeholders, filled from the line's params in
the reader's language). The engine checks the lines like a scheme's (rounded Decimals, the
contract's currency) and stores each provider's lines in its own section, after the scheme's.

The portal's own texts (the lines finance types on a credit note) live here too.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from contracts.types import Period, SettlementLine


@dataclass(frozen=True, slots=True)
class SectionQuery:
    client_id: int
    client_code: str
    currency: str
    contract_id: int
    scheme_key: str
    contract_start: date
    period: Period


SectionLines = Callable[[SectionQuery], Iterable[SettlementLine]]


@dataclass(frozen=True)
class SectionProvider:
    name: str
    provide: SectionLines | None
    title: Any
    descriptions: Mapping[str, Any] = field(default_factory=dict)


_PROVIDERS: dict[str, SectionProvider] = {}

# Sections the settlements capability writes itself (credit notes typed by finance).
CORRECTION = "correction"
CORRECTION_LINE = "correction_line"
PORTAL_SECTIONS = {
    CORRECTION: SectionProvider(CORRECTION, None, _l("Corrections"), {CORRECTION_LINE: "{text}"}),
}


def register_section_provider(name: str, provide: SectionLines, *, title: Any,
                              descriptions: Mapping[str, Any]) -> None:
    """Register (or replace) the section ``name``; idempotent."""
    if name in PORTAL_SECTIONS:
        raise ValueError(f"section {name!r} is reserved by the settlements capability")
    if not callable(provide):
        raise TypeError(f"section provider {name!r} is not callable")
    _PROVIDERS[name] = SectionProvider(name, provide, title, dict(descriptions))


def unregister_section_provider(name: str) -> None:
    _PROVIDERS.pop(name, None)


def section_providers() -> dict[str, SectionProvider]:
    """The registered providers, in registration order."""
    return dict(_PROVIDERS)


def portal_section(name: str) -> SectionProvider | None:
    """The portal's own section ``name`` (registered or built in), None for a scheme's."""
    return PORTAL_SECTIONS.get(name) or _PROVIDERS.get(name)
