"""Performance per creative and per attribute: the stats records joined with the inventory.

CTR = clicks / impressions, CVR = conversions / clicks, CPA = cost / conversions (the effective
CPA of traffic bought per impression or click). A ratio whose denominator is 0 is None, never a
division by zero and never 0%: "no conversions" is not a CPA of 0. A row under the minimum
volume (impressions) is a small sample: shown, flagged, and never ranked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from tracking import inventory
from tracking.creative_attributes import ATTRIBUTE_LABELS, CreativeAttributes, attributes_of
from tracking.csvstore import Row
from tracking.schemas import PLATFORM_PREFIXES, platform_columns
from tracking.stats import StatRow
from tracking.stats_read import read_stats, stats_files
from tracking.thresholds import DEFAULT_MIN_IMPRESSIONS

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Metrics:
    """Summed figures and the ratios drawn from them (None where the denominator is 0)."""

    impressions: int = 0
    clicks: int = 0
    conversions: int = 0
    cost: Decimal = Decimal(0)

    def __add__(self, other: Metrics) -> Metrics:
        return Metrics(self.impressions + other.impressions, self.clicks + other.clicks,
                       self.conversions + other.conversions, self.cost + other.cost)  # fmt: skip

    @classmethod
    def of(cls, rows: Iterable[StatRow]) -> Metrics:
        """The sum of stats rows."""
        total = cls()
        for r in rows:
            c = r.counts
            total += cls(c.impressions, c.clicks, c.conversions, c.cost)
        return total

    @property
    def ctr(self) -> float | None:
        return self.clicks / self.impressions if self.impressions else None

    @property
    def cvr(self) -> float | None:
        return self.conversions / self.clicks if self.clicks else None

    @property
    def cpa(self) -> Decimal | None:
        return self.cost / self.conversions if self.conversions else None


@dataclass(frozen=True)
class Standing:
    """Where a line stands: its rank by CTR among lines with enough volume, else a small sample."""

    metrics: Metrics
    small_sample: bool
    rank: int | None = None


@dataclass(frozen=True)
class CreativePerformance:
    """One creative's figures on both platforms together and on each platform."""

    unique_id: str
    name: str
    creative_type: str
    attributes: CreativeAttributes
    total: Standing
    platforms: dict[str, Standing]
    creative_ids: dict[str, str]


@dataclass(frozen=True)
class AttributeLine:
    """One value of an attribute, rolled up over the creatives that have it."""

    attribute: str
    value: str
    creatives: int
    standing: Standing


@dataclass(frozen=True)
class Window:
    """The reporting days looked at (inclusive) and how many of them have stats."""

    first: date
    last: date
    days_with_stats: int

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass
class Performance:
    """Everything the views show: ranked creatives first, then small samples, then rollups."""

    min_impressions: int
    platforms: list[str]
    window: Window | None
    creatives: list[CreativePerformance]
    attributes: dict[str, list[AttributeLine]]
    without_stats: list[str]
    warnings: list[str] = field(default_factory=list)

    def creative(self, unique_id: str) -> CreativePerformance | None:
        """The figures of one creative, None when it has none in the window."""
        return next((c for c in self.creatives if c.unique_id == unique_id), None)


def rank(lines: Mapping[str, Metrics], min_impressions: int) -> dict[str, Standing]:
    """Standings by CTR (ties: more impressions first); under the minimum volume: not ranked."""
    floor = max(min_impressions, 1)  # a line without impressions has no CTR to rank by
    ranked = sorted(
        (key for key, m in lines.items() if m.impressions >= floor),
        key=lambda key: (-(lines[key].ctr or 0.0), -lines[key].impressions, key),
    )
    standings = {key: Standing(m, small_sample=m.impressions < floor) for key, m in lines.items()}
    for place, key in enumerate(ranked, start=1):
        standings[key] = Standing(lines[key], small_sample=False, rank=place)
    return standings


def select_window(rows: list[StatRow], days: int | None, until: date | None) -> Window | None:
    """The last `days` days up to `until` (default: the newest day recorded); None: every day."""
    if not rows:
        return None
    last = until or max(r.day for r in rows)
    first = last - timedelta(days=days - 1) if days else min(r.day for r in rows)
    covered = {r.day for r in rows if first <= r.day <= last}
    return Window(first, last, len(covered))


def load_stats(records: Path) -> tuple[list[str], list[StatRow]]:
    """The platforms with a stats file and all their rows; damage raises RecordsError."""
    files = stats_files(records)
    rows = [row for platform, path in files.items() for row in read_stats(path, platform)]
    return list(files), rows


def build_performance(
    inventory_rows: list[Row],
    platforms: list[str],
    stats: list[StatRow],
    *,
    min_impressions: int = DEFAULT_MIN_IMPRESSIONS,
    days: int | None = None,
    until: date | None = None,
) -> Performance:
    """Join stats with the inventory by unique_id and roll them up over the window."""
    window = select_window(stats, days, until)
    in_window = [r for r in stats if window and window.first <= r.day <= window.last]
    by_id = {r["unique_id"].strip(): r for r in inventory_rows if r["unique_id"].strip()}
    warnings = _foreign_rows(in_window, by_id) + _id_mismatches(in_window, by_id)
    ours = [r for r in in_window if r.unique_id in by_id]
    creatives = _creatives(ours, by_id, platforms, min_impressions)
    log.debug("performance: %d stats rows in the window, %d creatives", len(ours), len(creatives))
    return Performance(
        min_impressions=min_impressions,
        platforms=platforms,
        window=window,
        creatives=creatives,
        attributes=_attributes(ours, creatives, min_impressions),
        without_stats=_without_stats(by_id, {c.unique_id for c in creatives}),
        warnings=warnings,
    )


def performance_of_records(
    records: Path, inventory_csv: Path, *, min_impressions: int = DEFAULT_MIN_IMPRESSIONS,
    days: int | None = None, until: date | None = None,
) -> Performance:  # fmt: skip
    """Read the stats records and the inventory and build the views' figures."""
    platforms, stats = load_stats(records)
    rows = inventory.load(inventory_csv)
    return build_performance(rows, platforms, stats, min_impressions=min_impressions,
                             days=days, until=until)  # fmt: skip


def _creatives(
    rows: list[StatRow], by_id: dict[str, Row], platforms: list[str], min_impressions: int
) -> list[CreativePerformance]:
    """Per creative, ranked ones first by rank, then small samples by impressions."""
    grouped: dict[str, list[StatRow]] = {}
    for r in rows:
        grouped.setdefault(r.unique_id, []).append(r)
    totals = rank({uid: Metrics.of(rs) for uid, rs in grouped.items()}, min_impressions)
    per_platform = {
        p: rank({uid: Metrics.of(r for r in rs if r.platform == p)
                 for uid, rs in grouped.items() if any(r.platform == p for r in rs)},
                min_impressions)
        for p in platforms
    }  # fmt: skip
    made = [_creative(uid, by_id[uid], totals[uid], per_platform) for uid in grouped]
    return sorted(made, key=_reading_order)


def _creative(
    uid: str, row: Row, total: Standing, per_platform: dict[str, dict[str, Standing]]
) -> CreativePerformance:
    ids = {p: row.get(platform_columns(p)[0], "").strip() for p in PLATFORM_PREFIXES}
    return CreativePerformance(
        unique_id=uid,
        name=row.get("new_filename", "").strip(),
        creative_type=row.get("creative_type", "").strip(),
        attributes=attributes_of(row),
        total=total,
        platforms={p: lines[uid] for p, lines in per_platform.items() if uid in lines},
        creative_ids={p: cid for p, cid in ids.items() if cid},
    )


def _reading_order(c: CreativePerformance) -> tuple[int, int, int, str]:
    ranked = c.total.rank is not None
    return (0 if ranked else 1, c.total.rank or 0, -c.total.metrics.impressions, c.unique_id)


def _attributes(
    rows: list[StatRow], creatives: list[CreativePerformance], min_impressions: int
) -> dict[str, list[AttributeLine]]:
    """Per attribute, each value's totals over its creatives (platform: over its rows)."""
    found: dict[str, list[AttributeLine]] = {}
    for attribute in ATTRIBUTE_LABELS:
        if attribute == "platform":
            members = {p: {r.unique_id for r in rows if r.platform == p}
                       for p in dict.fromkeys(r.platform for r in rows)}  # fmt: skip
            sums = {p: Metrics.of(r for r in rows if r.platform == p) for p in members}
        else:
            members = {}
            for c in creatives:
                value = c.attributes.value(attribute)
                if value:
                    members.setdefault(value, set()).add(c.unique_id)
            totals = {c.unique_id: c.total.metrics for c in creatives}
            sums = {v: sum((totals[u] for u in ids), Metrics()) for v, ids in members.items()}
        standings = rank(sums, min_impressions)
        lines = [AttributeLine(attribute, v, len(members[v]), standings[v]) for v in sums]
        found[attribute] = sorted(lines, key=lambda a: _line_order(a.standing, a.value))
    return found


def _line_order(s: Standing, value: str) -> tuple[int, int, int, str]:
    return (0 if s.rank is not None else 1, s.rank or 0, -s.metrics.impressions, value)


def _foreign_rows(rows: list[StatRow], by_id: dict[str, Row]) -> list[str]:
    """A warning for stats of creatives the inventory does not know (they are left out)."""
    foreign = sorted({r.unique_id for r in rows if r.unique_id not in by_id})
    if not foreign:
        return []
    shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
    return [f"stats of {len(foreign)} creative(s) not in the inventory left out: {shown}"]


def _id_mismatches(rows: list[StatRow], by_id: dict[str, Row]) -> list[str]:
    """A warning per creative whose stats name another creative ID than the inventory has."""
    seen: dict[tuple[str, str], str] = {}
    for r in rows:
        row = by_id.get(r.unique_id)
        recorded = row.get(platform_columns(r.platform)[0], "").strip() if row else ""
        if row is not None and r.creative_id and recorded and r.creative_id != recorded:
            seen[(r.unique_id, r.platform)] = r.creative_id
    return [
        f"{uid}: {platform} stats name creative {cid} but the inventory records "
        f"{by_id[uid].get(platform_columns(platform)[0], '').strip()}; counted under {uid}"
        for (uid, platform), cid in sorted(seen.items())
    ]


def _without_stats(by_id: dict[str, Row], with_stats: set[str]) -> list[str]:
    """Uploaded creatives with no stats in the window (native images count under their video)."""
    return [
        uid
        for uid, row in by_id.items()
        if uid not in with_stats
        and not uid.endswith("-IMG")
        and any(row.get(platform_columns(p)[0], "").strip() for p in PLATFORM_PREFIXES)
    ]
