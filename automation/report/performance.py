"""The report's performance: a figure on every card, the cards' sort keys, per-attribute tables.

Figures come from tracking/performance.py over the stats records; this module only decides
what each card and table says. A creative without stats says so ("no stats yet"), never 0%.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from automation.performance_text import (
    SMALL_SAMPLE,
    count_text,
    cpa_text,
    ctr_text,
    cvr_text,
    value_text,
    window_text,
)
from automation.report.model import Creative, CreativeGroup
from tracking.creative_attributes import ATTRIBUTE_LABELS
from tracking.errors import RecordsError
from tracking.performance import AttributeLine, Metrics, Performance, Standing
from tracking.performance import performance_of_records as read_performance
from tracking.schemas import PLATFORM_LABELS
from tracking.stats_read import stats_files
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

NO_STATS = "no stats yet"
WITH_VIDEO = "counted with its video"
UNREADABLE = "stats unreadable"
# Sort tiers: ranked creatives first, then small samples, then creatives without figures.
TIER = {"ranked": "0", "small": "1", "none": "2"}


@dataclass(frozen=True)
class CardFigures:
    """What a card's performance strip says; `state` is ranked, small or none."""

    state: str
    headline: str
    detail: str = ""
    flag: str = ""
    platforms: list[tuple[str, str]] = field(default_factory=list)
    metrics: Metrics | None = None


@dataclass(frozen=True)
class AttributeRow:
    """One row of a per-attribute table: its cells and the numbers the columns sort by."""

    cells: list[str]
    sort_values: list[str]


@dataclass(frozen=True)
class AttributeTable:
    """One attribute's values, ranked ones and small samples apart."""

    attribute: str
    label: str
    ranked: list[AttributeRow]
    small: list[AttributeRow]


ATTRIBUTE_COLUMNS = ("creatives", "impressions", "clicks", "CTR", "CVR", "CPA", "rank")


class PerformanceView:
    """The report's view of the stats of one workspace (or the reason there are none)."""

    def __init__(self, performance: Performance | None, problem: str = "") -> None:
        self.performance = performance
        self.problem = problem

    @property
    def available(self) -> bool:
        return self.performance is not None and bool(self.performance.creatives)

    @property
    def window(self) -> str:
        return window_text(self.performance.window if self.performance else None)

    @property
    def min_impressions(self) -> str:
        return count_text(self.performance.min_impressions if self.performance else 0)

    @property
    def platforms_text(self) -> str:
        names = self.performance.platforms if self.performance else []
        return ", ".join(PLATFORM_LABELS.get(p, p) for p in names)

    def card(self, c: Creative) -> CardFigures:
        """The strip of one card."""
        if c.unique_id.endswith("-IMG") and c.pair_id:
            return CardFigures("none", WITH_VIDEO)
        found = self.performance.creative(c.unique_id) if self.performance else None
        if found is None:
            return CardFigures("none", UNREADABLE if self.problem else NO_STATS)
        m = found.total.metrics
        platforms = [(PLATFORM_LABELS.get(p, p), _platform_text(s))
                     for p, s in found.platforms.items()]  # fmt: skip
        return CardFigures(
            state="ranked" if found.total.rank is not None else "small",
            headline=f"CTR {ctr_text(m)}",
            detail=f"{count_text(m.impressions)} impressions · {count_text(m.clicks)} clicks · "
            f"CVR {cvr_text(m)} · CPA {cpa_text(m)}",
            flag=f"#{found.total.rank} by CTR" if found.total.rank is not None else SMALL_SAMPLE,
            platforms=platforms if len(platforms) > 1 else [],
            metrics=m,
        )

    def group_sort(self, group: CreativeGroup) -> dict[str, str]:
        """data-* sort keys of a group: a native pair sorts by its video (its stats are there)."""
        figures = [self.card(c) for c in group.creatives]
        best = next((f for f in figures if f.metrics is not None), figures[0])
        m = best.metrics
        return {
            "tier": TIER[best.state],
            "ctr": "" if m is None or m.ctr is None else f"{m.ctr:.8f}",
            "impressions": "" if m is None else str(m.impressions),
            "cpa": "" if m is None or m.cpa is None else f"{m.cpa:.4f}",
        }

    def attribute_tables(self) -> list[AttributeTable]:
        """One table per attribute that has values in the window."""
        if self.performance is None:
            return []
        return [
            AttributeTable(name, ATTRIBUTE_LABELS[name],
                           [_attribute_row(x) for x in lines if x.standing.rank is not None],
                           [_attribute_row(x) for x in lines if x.standing.rank is None])
            for name, lines in self.performance.attributes.items()
            if lines
        ]  # fmt: skip


def _platform_text(s: Standing) -> str:
    return f"CTR {ctr_text(s.metrics)} of {count_text(s.metrics.impressions)}"


def _attribute_row(line: AttributeLine) -> AttributeRow:
    m, s = line.standing.metrics, line.standing
    rank = f"#{s.rank}" if s.rank else SMALL_SAMPLE
    value = value_text(line.attribute, line.value)
    cells = [value, str(line.creatives), count_text(m.impressions), count_text(m.clicks),
             ctr_text(m), cvr_text(m), cpa_text(m), rank]  # fmt: skip
    numbers = [value.lower(), str(line.creatives), str(m.impressions), str(m.clicks),
               _num(m.ctr), _num(m.cvr), _num(m.cpa), str(s.rank or "")]  # fmt: skip
    return AttributeRow(cells, numbers)


def _num(value: object) -> str:
    return "" if value is None else f"{float(str(value)):.8f}"


def load_view(workspace: Workspace, *, min_impressions: int, days: int | None) -> PerformanceView:
    """The stats of a workspace for the report; a damaged stats file becomes the view's problem.

    The report still shows every creative: its figures are left out, never guessed.
    """
    if not stats_files(workspace.records):
        return PerformanceView(None)
    try:
        performance = read_performance(workspace.records, workspace.inventory_csv,
                                       min_impressions=min_impressions, days=days)  # fmt: skip
    except RecordsError as exc:
        log.info("stats left out of the report: %s", exc)
        return PerformanceView(None, str(exc))
    return PerformanceView(performance)
