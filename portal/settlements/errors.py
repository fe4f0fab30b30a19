"""Why a settlement could not be computed, issued or corrected: messages already translated,
with the form/API field they concern (if any) and the scheme at fault (if any)."""
from __future__ import annotations


class SettlementError(Exception):
    """Nothing was written. ``message`` is shown as is; ``field`` names the input concerned;
    ``status`` is the HTTP status the API answers (422 bad input, 409 wrong state, 404)."""

    def __init__(self, message: str, *, field: str | None = None, status: int = 422,
                 scheme_key: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field, self.status, self.scheme_key = message, field, status, scheme_key

    def __str__(self) -> str:
        return self.message


class SchemeFailed(SettlementError):
    """The contract's scheme raised, or returned lines the portal must not store."""

    def __init__(self, scheme_key: str, message: str) -> None:
        super().__init__(message, scheme_key=scheme_key)


class InvalidInput(SettlementError):
    """Input that breaks a rule, field by field: ``errors`` = {field: [messages]}."""

    def __init__(self, errors: dict, message: str) -> None:
        super().__init__(message)
        self.errors = errors
