"""What fetch and fetch-stats show: progress bars, the plan, the outcome, the statistics."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from automation.commands.common import console, err_console, print_json
from automation.scrapers.outcomes import FetchReport, Outcome, Planned
from tracking import downloads
from tracking.downloads import DownloadStatus
from tracking.workspace import Workspace

TIERS = ("high", "medium", "low")


class RichProgress:
    """Fetch progress as rich bars on stderr: URLs done, and the bytes of the current file."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.bars = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err_console,
            transient=True,
            disable=not enabled,
        )
        self.files = Progress(
            TextColumn("  {task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=err_console,
            transient=True,
            disable=not enabled,
        )
        self.overall = self.bars.add_task("fetching", total=total)
        self.current: TaskID | None = None

    def __enter__(self) -> RichProgress:
        self.bars.start()
        self.files.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.files.stop()
        self.bars.stop()

    def started(self, url: str, attempt: int) -> None:
        if self.current is not None:
            self.files.remove_task(self.current)
        label = url.rsplit("/", 1)[-1][:40] + (f" (attempt {attempt})" if attempt > 1 else "")
        self.current = self.files.add_task(escape(label), total=None)

    def advanced(self, done: int, total: int | None) -> None:
        if self.current is not None:
            self.files.update(self.current, completed=done, total=total)

    def waiting(self, url: str, seconds: float, reason: str) -> None:
        self.bars.console.print(
            f"{reason}: retrying {escape(url)} in {seconds:.1f} s", soft_wrap=True
        )

    def finished(self, outcome: Outcome) -> None:
        self.bars.advance(self.overall)


def print_plan(plan: list[Planned], json_out: bool) -> None:
    if json_out:
        print_json(
            [
                {
                    "url": p.url,
                    "source": p.source,
                    "action": "skip" if p.skip else "fetch",
                    "reason": p.skip or "",
                    "detail": p.detail,
                }
                for p in plan
            ]
        )
        return
    for p in plan:
        if p.skip:
            console.print(f"skip   {escape(p.url)}  ({p.skip}: {escape(p.detail)})", soft_wrap=True)
        else:
            console.print(f"fetch  {escape(p.url)}  -> inbox/{p.source}/", soft_wrap=True)
    fetching = sum(1 for p in plan if not p.skip)
    console.print(f"{fetching} to fetch, {len(plan) - fetching} to skip (dry run: nothing fetched)")


def _outcome_json(o: Outcome, root: Path) -> dict[str, object]:
    return {
        "url": o.url,
        "source": o.source,
        "status": str(o.status),
        "reason": o.reason,
        "detail": o.detail,
        "file": o.file.relative_to(root).as_posix() if o.file else None,
        "kind": o.kind,
        "attempts": o.attempts,
    }


def print_report(report: FetchReport, ws: Workspace, json_out: bool) -> None:
    if json_out:
        print_json(
            {
                "outcomes": [_outcome_json(o, ws.root) for o in report.outcomes],
                "open_breakers": report.open_breakers,
                "stopped_at_max": report.stopped_at_max,
            }
        )
        return
    for o in report.outcomes:
        if o.status == DownloadStatus.DOWNLOADED and o.file is not None:
            console.print(f"kept     {o.file.relative_to(ws.root).as_posix()}  ({o.kind})")
        elif o.status is DownloadStatus.LINKED:
            console.print(f"linked   {escape(o.url)}  ({escape(o.detail)})", soft_wrap=True)
        elif o.status is DownloadStatus.QUEUED or (
            o.status in (DownloadStatus.REJECTED, DownloadStatus.SKIPPED)
            and o.reason not in ("circuit-open", "already-fetched")
        ):
            console.print(
                f"{o.status:<8} {escape(o.url)}  ({o.reason}: {escape(o.detail)})", soft_wrap=True
            )
    counts = {s: len(report.having(s)) for s in DownloadStatus}
    earlier = sum(o.reason == "already-fetched" for o in report.outcomes)
    queued, linked = counts[DownloadStatus.QUEUED], counts[DownloadStatus.LINKED]
    console.print(
        f"{counts[DownloadStatus.DOWNLOADED]} kept, "
        + (f"{linked} linked (link-only), " if linked else "")
        + f"{counts[DownloadStatus.REJECTED]} rejected, "
        f"{counts[DownloadStatus.SKIPPED] - earlier} skipped, {earlier} settled earlier, "
        f"{counts[DownloadStatus.FAILED]} failed"
        + (f", {queued} queued to try again" if queued else "")
        + f" (records: {ws.downloads_csv})",
        soft_wrap=True,
    )
    if report.stopped_at_max:
        console.print("stopped at --max; run the same command again to fetch the rest")


def print_problems(report: FetchReport) -> None:
    """One line per URL that could not be fetched, and one per open circuit breaker."""
    for o in report.problems:
        err_console.print(f"failed: {o.url}: {o.reason} ({o.detail})", markup=False, soft_wrap=True)
    for source in report.open_breakers:
        err_console.print(
            f"circuit breaker open for {source}: too many consecutive failures; "
            "its remaining URLs were skipped (run again later)",
            markup=False,
        )


def print_stats(stats: list[downloads.SourceStats]) -> None:
    """The per-source table (high performers first), then each source's top failure reasons."""
    table = Table(title="fetch performance by source")
    table.add_column("tier", no_wrap=True)
    table.add_column("source", overflow="fold")
    queued = any(s.queued for s in stats)
    columns = ["success", "urls", "attempts", "files", "bytes", "avg time"]
    for column in [*columns, "queued"] if queued else columns:
        table.add_column(column, justify="right", no_wrap=True)
    colours = {"high": "green", "medium": "yellow", "low": "red"}
    ordered = sorted(stats, key=lambda s: (TIERS.index(s.tier), -s.success_rate, s.source))
    # A source only ever linked has no download figures: it is listed apart, below.
    for s in (s for s in ordered if s.urls):
        table.add_row(
            f"[{colours[s.tier]}]{s.tier}[/]",
            escape(s.source),
            f"{s.success_rate:.0%}",
            str(s.urls),
            str(s.attempts),
            str(s.files),
            _size(s.bytes),
            f"{s.avg_seconds:.1f} s",
            *([str(s.queued)] if queued else []),
        )
    console.print(table)
    for s in ordered:
        if s.linked:
            console.print(
                f"link-only: {escape(s.source)}: {s.linked} URL(s) recorded without their media "
                "(not counted above)",
                soft_wrap=True,
            )
    console.print("top failure reasons:")
    for s in ordered:
        reasons = ", ".join(f"{r} x{n}" for r, n in s.top_reasons()) or "none"
        console.print(f"  {escape(s.source)}: {escape(reasons)}", soft_wrap=True)


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{n} B"
