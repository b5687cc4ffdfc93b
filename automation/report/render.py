"""Report data to one self-contained HTML page (styles, script and thumbnails inline).

The page is a Jinja2 template with autoescape on: every value from the records is escaped by
the template engine, never by hand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from jinja2 import Environment, FunctionLoader, StrictUndefined, Template
from markupsafe import Markup

from automation import __version__
from automation.report.model import (
    NOT_UPLOADED,
    STATUS_LABELS,
    Creative,
    ReportData,
    RunOutcome,
)
from automation.report.performance import ATTRIBUTE_COLUMNS, PerformanceView
from automation.wording import plural
from tracking.schemas import PLATFORM_LABELS

# Review states in the order a person reads them, for chips and card colours.
STATUS_ORDER = ("approved", "pending", "rejected", "uploaded", NOT_UPLOADED)
RUN_STATUS_ORDER = ("success", "duplicate", "skipped", "dry_run", "failed")
PAGE_TEMPLATE = "page.html.j2"


def _asset(name: str) -> str:
    return (resources.files("automation.report") / "assets" / name).read_text(encoding="utf-8")


def duration_text(seconds: float | None) -> str:
    """4 s, 12 s, 1:05."""
    if seconds is None:
        return ""
    whole = round(seconds)
    return f"{whole} s" if whole < 60 else f"{whole // 60}:{whole % 60:02d}"


def size_text(size_mb: float | None) -> str:
    """Decimal sizes as the platforms count them: 286 KB, 1.42 MB."""
    if size_mb is None:
        return ""
    return f"{size_mb * 1000:.0f} KB" if size_mb < 1 else f"{size_mb:.2f} MB"


def primary_status(creative: Creative) -> str:
    """The status that colours the card: the first platform's."""
    return creative.platforms[0].status if creative.platforms else NOT_UPLOADED


def search_text(creative: Creative) -> str:
    """What the search box matches: name, unique ID and every platform's creative ID."""
    return " ".join(
        [creative.name, creative.unique_id, *(p.creative_id for p in creative.platforms)]
    ).lower()


def run_statuses(run: RunOutcome) -> list[str]:
    """A run's statuses in reading order, then any unknown ones."""
    keys = [s for s in RUN_STATUS_ORDER if s in run.counts]
    return keys + sorted(s for s in run.counts if s not in RUN_STATUS_ORDER)


@dataclass(frozen=True)
class Tile:
    """One header figure; `split` is (platform, count) per platform when there are several."""

    cls: str
    value: int
    label: str
    split: list[tuple[str, int]]


def tiles(data: ReportData) -> list[Tile]:
    """The header figures; with several platforms, each status tile says how many where."""
    totals = data.totals()
    per_platform = data.by_platform()
    figures = [
        ("total", totals["creatives"], "Creatives"),
        ("pairs", totals["pairs"], "Native pairs"),
        ("uploaded", totals["uploaded"], "Uploaded"),
        ("approved", totals["approved"], "Approved"),
        ("pending", totals["pending"], "Pending review"),
        ("rejected", totals["rejected"], "Rejected"),
        (NOT_UPLOADED, totals[NOT_UPLOADED], "Not uploaded"),
    ]
    made = []
    for cls, value, label in figures:
        split: list[tuple[str, int]] = []
        if len(per_platform) > 1 and cls in STATUS_ORDER:
            split = [(p, _platform_count(counts, cls)) for p, counts in per_platform.items()]
        made.append(Tile(cls, value, label, split))
    return made


def _platform_count(counts: Counter[str], tile: str) -> int:
    """A tile's figure on one platform ('uploaded' = every creative with an ID there)."""
    if tile == "uploaded":
        return sum(n for status, n in counts.items() if status != NOT_UPLOADED)
    return counts.get(tile, 0)


def chips(data: ReportData) -> list[tuple[str, str, int]]:
    """Status filters as (status, label, count); a creative counts once per platform."""
    counts = Counter(s for c in data.creatives for s in set(c.statuses))
    return [(s, STATUS_LABELS[s], counts[s]) for s in STATUS_ORDER if counts.get(s)]


def options(values: dict[str, str]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select, sorted by label."""
    return sorted(values.items(), key=lambda kv: kv[1])


@cache
def page_template() -> Template:
    """The page template, loaded once per process."""
    env = Environment(
        loader=FunctionLoader(_asset),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals.update(
        duration_text=duration_text,
        size_text=size_text,
        plural=plural,
        primary_status=primary_status,
        search_text=search_text,
        run_statuses=run_statuses,
    )
    return env.get_template(PAGE_TEMPLATE)


def render_page(data: ReportData) -> str:
    """The whole HTML document."""
    creatives = data.creatives
    labels = [PLATFORM_LABELS.get(p, p) for p in data.platforms]
    return page_template().render(
        version=__version__,
        workspace=str(data.workspace),
        workspace_name=data.workspace.name or str(data.workspace),
        generated_at=data.generated_at,
        platforms_line="Platforms: " + ", ".join(labels),
        warnings=data.warnings,
        tiles=tiles(data),
        runs=data.runs,
        creatives=creatives,
        chips=chips(data),
        type_options=options({c.creative_type: c.type_label for c in creatives if c.creative_type}),
        category_options=options({c.category: c.category for c in creatives if c.category}),
        groups=data.groups,
        perf=data.performance or PerformanceView(None),
        attribute_columns=ATTRIBUTE_COLUMNS,
        # Our own files, shipped with the package: inserted as they are.
        css=Markup(_asset("report.css")),
        js=Markup(_asset("report.js")),
    )
