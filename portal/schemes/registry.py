"""The installed warranty schemes: the pluggy manager built in create_app.

``init_app`` discovers the schemes through the ``odm_portal.schemes`` entry points (so a
scheme package installed into the environment appears after a restart) and keeps a
:class:`SchemeRegistry` on ``app.extensions["schemes"]``. Installing makes a scheme
*available*; an administrator *enables* it (``SchemeSetting``), and only enabled schemes can
be offered. Settling and adjudicating work for every installed scheme, enabled or not, so
contracts made before a scheme was disabled keep settling.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pluggy
from flask import current_app
from sqlalchemy import select

from contracts import (
    ClaimDecision,
    ClaimFact,
    ClaimHistory,
    ContractError,
    PeriodFacts,
    SchemeInfo,
    SettlementResult,
    build_plugin_manager,
    collect_schemes,
    load_terms,
    validate_result,
)
from contracts.errors import MalformedResult

from ..extensions import db
from .models import SchemeSetting


class SchemeNotInstalled(ContractError):
    """A contract or offer names a scheme whose package is not installed (any more)."""

    def __init__(self, scheme_key: str) -> None:
        super().__init__(scheme_key)
        self.scheme_key = scheme_key

    def __str__(self) -> str:
        return (f"scheme {self.scheme_key!r} is not installed; install its package again "
                "and restart the portal")


class SchemeRegistry:
    """The plugin manager and the declarations of the installed schemes."""

    def __init__(self, pm: pluggy.PluginManager, infos: Mapping[str, SchemeInfo]) -> None:
        self.pm = pm
        self.infos = dict(infos)

    # --- what is there ------------------------------------------------------------------
    def installed(self) -> list[SchemeInfo]:
        """Every installed scheme, by key."""
        return list(self.infos.values())

    def is_installed(self, key: str) -> bool:
        return key in self.infos

    def info(self, key: str) -> SchemeInfo:
        """The declaration of an installed scheme; SchemeNotInstalled otherwise."""
        try:
            return self.infos[key]
        except KeyError:
            raise SchemeNotInstalled(key) from None

    def settings(self) -> dict[str, SchemeSetting]:
        """key -> the administrator's setting (schemes never switched have none)."""
        return {s.key: s for s in db.session.scalars(select(SchemeSetting))}

    def enabled_keys(self) -> set[str]:
        rows = db.session.scalars(select(SchemeSetting.key).where(SchemeSetting.enabled))
        return {key for key in rows if key in self.infos}

    def enabled(self) -> list[SchemeInfo]:
        """Installed schemes an administrator has enabled: the ones that may be offered."""
        keys = self.enabled_keys()
        return [info for key, info in self.infos.items() if key in keys]

    def is_enabled(self, key: str) -> bool:
        return key in self.enabled_keys()

    # --- calling the plugins ------------------------------------------------------------
    def settle(self, key: str, terms: Mapping[str, Any], facts: PeriodFacts) -> SettlementResult:
        """The scheme's settlement of ``facts`` under ``terms`` (stored JSON or already
        loaded: they are loaded by the scheme's own schema first), checked by
        ``validate_result``. Raises a ContractError (the plugin's or MalformedResult)."""
        info = self.info(key)
        result = self.pm.hook.portal_settle(
            scheme_key=key, terms=load_terms(info, terms), facts=facts)
        if result is None:
            raise MalformedResult(key, "no plugin answered portal_settle for this key")
        return validate_result(result, facts.currency, scheme_key=key, info=info)

    def adjudicate(self, key: str, terms: Mapping[str, Any], claim: ClaimFact,
                   history: ClaimHistory) -> ClaimDecision | None:
        """The scheme's decision on one claim, or None when the scheme does not
        compensate repairs (``handles_claims`` is False)."""
        info = self.info(key)
        if not info.handles_claims:
            return None
        decision = self.pm.hook.portal_adjudicate_claim(
            scheme_key=key, terms=load_terms(info, terms), claim=claim, history=history)
        if decision is None:
            raise MalformedResult(key, "no plugin answered portal_adjudicate_claim")
        if not isinstance(decision, ClaimDecision):
            raise MalformedResult(key, f"expected a ClaimDecision, got {type(decision).__name__}")
        unknown = [reason for reason in decision.reasons if reason not in info.messages]
        if unknown:
            raise MalformedResult(key, f"no message for reasons {unknown}")
        return decision


def build_registry() -> SchemeRegistry:
    """Discover the installed schemes now (entry points are read afresh each time)."""
    manager = build_plugin_manager()
    return SchemeRegistry(manager, collect_schemes(manager))


def init_app(app) -> None:
    app.extensions["schemes"] = build_registry()


def current_schemes() -> SchemeRegistry:
    """The registry of the running application."""
    return current_app.extensions["schemes"]
