"""Errors of the service network: each carries a message already translated for the user."""
from __future__ import annotations


class NetworkError(Exception):
    """A rule of the service network refused the action; `str(error)` is the user's message.
    `field` names the form field it belongs to, when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class StationCannotReceive(NetworkError):
    """The station is not authorised (dates or capability) for the work sent to it."""


class SchedulingConflict(NetworkError):
    """The technician already has a visit overlapping the requested slot."""
