"""Errors that services raise for the web layer to show."""

from __future__ import annotations

from datetime import date


class ServiceError(Exception):
    """A rule refused the change; `message` is a translated, user-facing text."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    """Input that breaks a rule of the regulation or the law."""


class StaleCase(ServiceError):
    """The case changed since the page was loaded (optimistic lock)."""


class NotAllowed(ServiceError):
    """The user may not do this to this object."""


def received_between(
    day: date | None, earliest: date, today: date, message: str, field: str
) -> date:
    """The day something arrived (today when not given); it cannot be before `earliest` or
    in the future."""
    day = day or today
    if not earliest <= day <= today:
        raise InvalidInput(message, field)
    return day
