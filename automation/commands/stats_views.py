"""What `creative-flow stats` shows once the stats are recorded: per creative and per attribute.

The figures come from records/stats/<platform>.csv joined with the inventory
(tracking/performance.py); this module only lays them out, as rich tables or as JSON.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from automation.commands.common import console as default_console
from automation.commands.common import print_json, print_whole
from automation.errors import ConfigError
from automation.performance_text import (
    SMALL_SAMPLE,
    count_text,
    cpa_text,
    ctr_text,
    cvr_text,
    money_text,
    rank_text,
    standing_json,
    value_text,
    window_text,
)
from tracking.creative_attributes import ATTRIBUTE_LABELS
from tracking.performance import AttributeLine, CreativePerformance, Metrics, Performance
from tracking.performance import performance_of_records as read_performance
from tracking.schemas import PLATFORM_LABELS
from tracking.stats import stats_folder
from tracking.stats_read import stats_files
from tracking.workspace import Workspace

MinImpressionsOpt = Annotated[
    int | None,
    typer.Option(
        "--min-impressions",
        min=0,
        metavar="N",
        help="Creatives and attribute values under N impressions are flagged 'small sample' "
        "and not ranked (default 1000, or CREATIVE_FLOW_MIN_IMPRESSIONS).",
        show_default=False,
    ),
]
DaysOpt = Annotated[
    int | None,
    typer.Option(
        "--days",
        min=1,
        metavar="N",
        help="Only the last N reporting days recorded (default: every day recorded).",
        show_default=False,
    ),
]
FIGURES = ("impressions", "clicks", "CTR", "conversions", "CVR", "cost", "CPA")


def load_performance(
    workspace: Workspace, days: int | None, min_impressions: int, until: date | None = None
) -> Performance:
    """The figures of a workspace; no stats file at all is an error saying to fetch them first."""
    if not stats_files(workspace.records):
        raise ConfigError(
            f"{stats_folder(workspace.records)}: no stats recorded yet; "
            "run `creative-flow stats --days 7` first"
        )
    return read_performance(workspace.records, workspace.inventory_csv,
                            min_impressions=min_impressions, days=days, until=until)  # fmt: skip


def show_performance(
    workspace: Workspace,
    days: int | None,
    min_impressions: int,
    as_json: bool,
    console: Console | None = None,
    until: date | None = None,
) -> Performance:
    """Print the per-creative and per-attribute views (or the JSON document) and return them."""
    performance = load_performance(workspace, days, min_impressions, until)
    if as_json:
        print_json(performance_json(performance))
    else:
        render(performance, console or default_console)
    return performance


def render(p: Performance, target: Console) -> None:
    """The terminal summary: ranked creatives, small samples apart, then one table per attribute."""
    names = ", ".join(PLATFORM_LABELS.get(x, x) for x in p.platforms)
    if p.window is None:
        target.print(f"[bold]Performance[/] on {names}: the stats records hold no figures yet")
    else:
        target.print(f"[bold]Performance[/] {window_text(p.window)} on {names}")
    if not p.creatives:
        target.print("no figures for any creative of the inventory")
    else:
        target.print(f"ranked by CTR among creatives with at least "
                     f"{count_text(p.min_impressions)} impressions")  # fmt: skip
        ranked = [c for c in p.creatives if c.total.rank is not None]
        small = [c for c in p.creatives if c.total.rank is None]
        if ranked:
            print_whole(_creatives_table("Creatives", ranked, p.platforms), target)
        if small:
            title = (f"Small samples (under {count_text(p.min_impressions)} impressions): "
                     "not ranked")  # fmt: skip
            print_whole(_creatives_table(title, small, p.platforms), target)
        for attribute, lines in p.attributes.items():
            if lines:
                print_whole(_attribute_table(attribute, lines), target)
    if p.without_stats:
        target.print(f"no stats yet: {len(p.without_stats)} uploaded creative(s): "
                     f"{', '.join(p.without_stats)}", markup=False, soft_wrap=True)  # fmt: skip
    for warning in p.warnings:
        target.print(f"[yellow]note[/] {warning}")


def _creatives_table(title: str, lines: list[CreativePerformance], platforms: list[str]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("#", justify="right")
    table.add_column("creative", no_wrap=True)
    table.add_column("category")
    for name in FIGURES:
        table.add_column(name, justify="right")
    several = len(platforms) > 1
    for platform in platforms if several else []:
        table.add_column(f"{PLATFORM_LABELS.get(platform, platform)} CTR", justify="right")
    for c in lines:
        m = c.total.metrics
        rank = rank_text(c.total) if c.total.rank else "-"
        cells = [rank, c.unique_id, c.attributes.category, *_figure_cells(m)]
        if several:
            cells += [_platform_cell(c, platform) for platform in platforms]
        table.add_row(*cells)
    return table


def _platform_cell(c: CreativePerformance, platform: str) -> str:
    standing = c.platforms.get(platform)
    if standing is None:
        return "-"
    return f"{ctr_text(standing.metrics)} of {count_text(standing.metrics.impressions)}"


def _attribute_table(attribute: str, lines: list[AttributeLine]) -> Table:
    table = Table(title=f"By {ATTRIBUTE_LABELS[attribute].lower()}", title_justify="left")
    table.add_column(ATTRIBUTE_LABELS[attribute].lower(), no_wrap=True)
    table.add_column("creatives", justify="right")
    for name in FIGURES:
        table.add_column(name, justify="right")
    table.add_column("rank")
    for line in lines:
        m = line.standing.metrics
        rank = rank_text(line.standing) if line.standing.rank else SMALL_SAMPLE
        value = value_text(attribute, line.value)
        table.add_row(value, str(line.creatives), *_figure_cells(m), rank)
    return table


def _figure_cells(m: Metrics) -> list[str]:
    """The cells of FIGURES, in order."""
    return [count_text(m.impressions), count_text(m.clicks), ctr_text(m),
            count_text(m.conversions), cvr_text(m), money_text(m.cost), cpa_text(m)]  # fmt: skip


def performance_json(p: Performance) -> dict[str, Any]:
    """The --json document: window, rule, creatives (ranked first) and attribute rollups."""
    window = None
    if p.window is not None:
        window = {"first": p.window.first.isoformat(), "last": p.window.last.isoformat(),
                  "days": p.window.days, "days_with_stats": p.window.days_with_stats}  # fmt: skip
    return {
        "window": window,
        "min_impressions": p.min_impressions,
        "platforms": p.platforms,
        "creatives": [_creative_json(c) for c in p.creatives],
        "attributes": {
            attribute: [
                {"value": line.value, "creatives": line.creatives, **standing_json(line.standing)}
                for line in lines
            ]
            for attribute, lines in p.attributes.items()
        },
        "without_stats": p.without_stats,
        "warnings": p.warnings,
    }


def _creative_json(c: CreativePerformance) -> dict[str, Any]:
    return {
        "unique_id": c.unique_id,
        "name": c.name,
        "creative_type": c.creative_type,
        "attributes": asdict(c.attributes),
        "total": standing_json(c.total),
        "platforms": {
            platform: {"creative_id": c.creative_ids.get(platform, ""), **standing_json(s)}
            for platform, s in c.platforms.items()
        },
    }
