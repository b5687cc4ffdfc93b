"""Per-creative daily statistics: `records/stats/<platform>.csv`, one row per creative per day.

Header `date,unique_id,creative_id,impressions,clicks,conversions,cost`: `date` is the
platform's reporting day (TrafficJunky: EST; ExoClick: the time zone asked for,
America/New_York), `creative_id` the platform's proven creative id, the counts integers and
`cost` a decimal in the account's currency. A creative's numbers are summed over every ad and
campaign that uses it. A rerun replaces the days it covers and keeps every other day.

This module holds the file's format, its row type and its writer;
`tracking.stats_read.read_stats` is its one reader.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from tracking.csvstore import locked, read_rows, write_rows
from tracking.schemas import Schema

STATS = Schema(
    name="stats",
    columns=("date", "unique_id", "creative_id", "impressions", "clicks", "conversions", "cost"),
    required=("date", "unique_id", "creative_id", "impressions", "clicks", "conversions", "cost"),
    numeric=("impressions", "clicks", "conversions", "cost"),
)


def stats_folder(records: Path) -> Path:
    """The folder of the stats records inside a workspace's records/ folder."""
    return records / "stats"


def stats_csv(records: Path, platform: str) -> Path:
    """`records/stats/<platform>.csv`."""
    return stats_folder(records) / f"{platform}.csv"


@dataclass(frozen=True)
class Counts:
    """Impressions, clicks, conversions and cost of one ad or creative over some time."""

    impressions: int = 0
    clicks: int = 0
    conversions: int = 0
    cost: Decimal = Decimal("0")

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.impressions + other.impressions,
            self.clicks + other.clicks,
            self.conversions + other.conversions,
            self.cost + other.cost,
        )


@dataclass(frozen=True)
class StatRow:
    """One creative's numbers on one platform for one reporting day: a line of that platform's file.

    The platform is not a column: the file is the platform's own.
    """

    platform: str
    day: date
    unique_id: str
    creative_id: str
    counts: Counts

    def as_row(self) -> dict[str, str]:
        return {
            "date": self.day.isoformat(),
            "unique_id": self.unique_id,
            "creative_id": self.creative_id,
            "impressions": str(self.counts.impressions),
            "clicks": str(self.counts.clicks),
            "conversions": str(self.counts.conversions),
            "cost": money(self.counts.cost),
        }


def money(value: Decimal) -> str:
    """A cost as written: two decimals, or up to four when the platform gave more."""
    two = value.quantize(Decimal("0.01"))
    if two == value:
        return str(two)
    return str(value.quantize(Decimal("0.0001")))


def replace_days(path: Path, days: Iterable[date], rows: Iterable[StatRow]) -> int:
    """Write `rows` in place of every row of `days`, atomically under the records lock.

    Rows of other days stay as they were; the file is sorted by date and unique_id. Returns
    how many rows of those days the file had before.
    """
    covered = {d.isoformat() for d in days}
    new = [r.as_row() for r in rows]
    with locked(path):
        old = read_rows(path, STATS)
        kept = [r for r in old if r["date"] not in covered]
        merged = sorted([*kept, *new], key=lambda r: (r["date"], r["unique_id"]))
        write_rows(path, STATS, merged)
    return len(old) - len(kept)
