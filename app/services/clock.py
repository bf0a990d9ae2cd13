"""The municipality's calendar day: terms are counted in Europe/Amsterdam."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_today() -> date:
    return datetime.now(AMSTERDAM).date()
