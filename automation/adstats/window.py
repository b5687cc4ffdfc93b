"""Reporting days: TrafficJunky reports in EST and cannot be asked for today (seen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from automation.errors import ConfigError

REPORTING_TZ_NAME = "America/New_York"
REPORTING_TZ = ZoneInfo(REPORTING_TZ_NAME)


def today_est(now: datetime | None = None) -> date:
    """The reporting day it is now (EST/EDT)."""
    return (now or datetime.now(REPORTING_TZ)).astimezone(REPORTING_TZ).date()


@dataclass(frozen=True)
class Window:
    """Reporting days from `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def __str__(self) -> str:
        return f"{self.start} to {self.end}"


def _day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{option} {text!r} is not a date: write YYYY-MM-DD") from None


def window(
    days: int | None, start: str | None = None, end: str | None = None, *, today: date | None = None
) -> Window:
    """The days asked for: the last `days` finished days, or --from/--to; ending at yesterday
    (EST) at the latest, since today's numbers cannot be asked for."""
    today = today or today_est()
    yesterday = today - timedelta(days=1)
    last = _day(end, "--to") if end else yesterday
    if last >= today:
        raise ConfigError(
            f"--to {last} is today or later in EST: platforms report finished days only; "
            f"end at {yesterday} or earlier"
        )
    if start:
        first = _day(start, "--from")
    else:
        count = 7 if days is None else days
        if count < 1:
            raise ConfigError(f"--days {count}: give at least 1")
        first = last - timedelta(days=count - 1)
    if first > last:
        raise ConfigError(f"--from {first} is after --to {last}")
    return Window(first, last)
