"""Errors raised by the contract's checks and by schemes.

Each keeps its arguments in ``args`` (so it pickles and can be shown field by field) and
has a message that names the fact or scheme at fault, because the portal shows it as is.
"""
from __future__ import annotations


class ContractError(Exception):
    """Base of every error the plugin contract defines."""


class MalformedResult(ContractError):
    """A scheme returned something the portal must not persist."""

    def __init__(self, scheme_key: str, why: str) -> None:
        super().__init__(scheme_key, why)
        self.scheme_key, self.why = scheme_key, why

    def __str__(self) -> str:
        return f"scheme {self.scheme_key!r} returned a malformed result: {self.why}"


class MalformedScheme(ContractError):
    """A scheme's declaration (SchemeInfo) is incomplete: a locale, a label, a message."""

    def __init__(self, scheme_key: str, why: str) -> None:
        super().__init__(scheme_key, why)
        self.scheme_key, self.why = scheme_key, why

    def __str__(self) -> str:
        return f"scheme {self.scheme_key!r} is declared badly: {self.why}"


class CurrencyMismatch(ContractError):
    """A fact is in another currency than the contract's: nothing is converted silently."""

    def __init__(self, ref: str, currency: str, expected: str, kind: str = "fact") -> None:
        super().__init__(ref, currency, expected, kind)
        self.ref, self.currency, self.expected, self.kind = ref, currency, expected, kind

    def __str__(self) -> str:
        return (
            f"{self.kind} {self.ref} is in {self.currency} but the contract is in "
            f"{self.expected}; settle it under a contract in {self.currency} or correct it"
        )


class InvalidFacts(ContractError):
    """A fact the portal gathered breaks the contract (outside the period, undecided...)."""

    def __init__(self, ref: str, why: str) -> None:
        super().__init__(ref, why)
        self.ref, self.why = ref, why

    def __str__(self) -> str:
        return f"fact {self.ref}: {self.why}"


class TermsIncomplete(ContractError):
    """The contract's terms do not say what a fact needs (a part with no agreed price)."""

    def __init__(self, scheme_key: str, why: str) -> None:
        super().__init__(scheme_key, why)
        self.scheme_key, self.why = scheme_key, why

    def __str__(self) -> str:
        return f"the terms of scheme {self.scheme_key!r} are incomplete: {self.why}"


class DuplicateScheme(ContractError):
    """Two installed plugins declare the same scheme key."""

    def __init__(self, scheme_key: str) -> None:
        super().__init__(scheme_key)
        self.scheme_key = scheme_key

    def __str__(self) -> str:
        return f"two installed plugins declare the scheme key {self.scheme_key!r}"
