"""Finding the installed schemes and handling their terms, without the portal.

The portal builds its plugin manager with these inside ``create_app``; a third party uses
them the same way in its own tests.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pluggy

from contracts import ENTRY_POINT_GROUP, PROJECT, hookspecs
from contracts.errors import DuplicateScheme
from contracts.types import SchemeInfo
from contracts.validation import validate_scheme_info


def build_plugin_manager(*plugins: object, entry_points: bool = True) -> pluggy.PluginManager:
    """A plugin manager with the hookspecs, the installed schemes (when ``entry_points``)
    and ``plugins`` registered, checked against the specs."""
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(hookspecs)
    if entry_points:
        manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    for plugin in plugins:
        manager.register(plugin)
    manager.check_pending()
    return manager


def collect_schemes(manager: pluggy.PluginManager) -> dict[str, SchemeInfo]:
    """key -> declaration of every registered scheme, each validated, ordered by key."""
    schemes: dict[str, SchemeInfo] = {}
    for info in manager.hook.portal_scheme_info():
        validate_scheme_info(info)
        if info.key in schemes:
            raise DuplicateScheme(info.key)
        schemes[info.key] = info
    return dict(sorted(schemes.items()))


def load_terms(info: SchemeInfo, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate JSON-compatible terms (strings or numbers for Decimals) into the Python
    values hooks receive; raises marshmallow.ValidationError with per-field messages."""
    return info.terms_schema().load(data)


def dump_terms(info: SchemeInfo, terms: Mapping[str, Any]) -> dict[str, Any]:
    """Loaded terms back to a JSON-compatible dict (Decimals as strings) for storage."""
    return info.terms_schema().dump(terms)
