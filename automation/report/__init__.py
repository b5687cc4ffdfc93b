"""The HTML report of a workspace: every creative as a card, its platform IDs and statuses."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from automation.report.model import ReportData, gather
from automation.report.performance import load_view
from automation.report.render import render_page
from automation.report.thumbnails import attach_thumbnails
from tracking.csvstore import atomic_write_text
from tracking.thresholds import DEFAULT_MIN_IMPRESSIONS
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

LATEST_NAME = "report-latest.html"
# Dated copies kept besides report-latest.html; older ones are removed.
KEEP_REPORTS = 5


@dataclass(frozen=True)
class ReportResult:
    """Where the report was written and what it holds."""

    path: Path
    latest: Path
    data: ReportData
    missing_thumbnails: int

    def summary(self) -> dict[str, object]:
        """Machine-readable outline (for --json and the demo)."""
        return {
            "path": str(self.path),
            "latest": str(self.latest),
            "totals": self.data.totals(),
            "by_platform": {p: dict(c) for p, c in self.data.by_platform().items()},
            "runs": len(self.data.runs),
            "missing_thumbnails": self.missing_thumbnails,
            "warnings": self.data.warnings,
            "performance": self._performance_summary(),
        }

    def _performance_summary(self) -> dict[str, object] | None:
        """Counts of the performance views, None when no stats are recorded."""
        view = self.data.performance
        if view is None or view.performance is None:
            return None
        p = view.performance
        return {
            "first": p.window.first.isoformat() if p.window else None,
            "last": p.window.last.isoformat() if p.window else None,
            "min_impressions": p.min_impressions,
            "creatives_with_stats": len(p.creatives),
            "ranked": sum(1 for c in p.creatives if c.total.rank is not None),
            "small_samples": sum(1 for c in p.creatives if c.total.rank is None),
            "without_stats": len(p.without_stats),
        }


def build_report(
    workspace: Workspace,
    *,
    now: datetime | None = None,
    jobs: int = 0,
    dry_run: bool = False,
    min_impressions: int = DEFAULT_MIN_IMPRESSIONS,
    days: int | None = None,
) -> ReportResult:
    """Write reports/report-<timestamp>.html and a copy as report-latest.html.

    report-latest.html is overwritten each time; of the dated copies, the newest KEEP_REPORTS
    are kept. `dry_run`: gather and count the same, make no preview and write nothing.
    Performance covers the last `days` reporting days recorded (None: every day).
    """
    moment = now or datetime.now()
    data = gather(workspace, moment.strftime("%Y-%m-%d %H:%M"))
    data.performance = load_view(workspace, min_impressions=min_impressions, days=days)
    if data.performance.problem:
        data.warnings.append(data.performance.problem)
    path = workspace.reports_dir / f"report-{moment.strftime('%Y%m%d-%H%M%S')}.html"
    latest = workspace.reports_dir / LATEST_NAME
    if dry_run:
        return ReportResult(path, latest, data, 0)
    cache = workspace.reports_dir / ".thumbnails"
    missing = attach_thumbnails(data.creatives, cache, jobs=jobs)
    html = render_page(data)
    atomic_write_text(path, html, mode=0o644)
    atomic_write_text(latest, html, mode=0o644)
    prune_history(workspace.reports_dir)
    log.info("report written: %s (%d creatives)", path, len(data.creatives))
    return ReportResult(path, latest, data, missing)


def prune_history(folder: Path, keep: int = KEEP_REPORTS) -> list[Path]:
    """Remove all but the newest `keep` dated reports; returns what was removed."""
    dated = sorted(p for p in folder.glob("report-*.html") if p.name != LATEST_NAME)
    old = dated[:-keep] if keep else dated
    for path in old:
        path.unlink(missing_ok=True)
    return old


__all__ = ["ReportResult", "build_report"]
