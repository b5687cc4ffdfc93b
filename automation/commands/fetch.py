"""`creative-flow fetch` and `fetch-stats`: fill the inbox with valid, unique source media.

Exit codes of fetch: 0 when every URL was fetched, or skipped/rejected for a recorded reason
(placeholder, empty, fake, corrupt, duplicate, already fetched); 7 (PARTIAL) when any URL
could not be fetched after its retries, or was cut off by an open circuit breaker (one line
each, and every attempt is in records/downloads.csv); 2 for bad options; 4 when a listing
cannot be crawled.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
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

from automation.browser import browser_run
from automation.commands.common import (
    DebugOpt,
    HeadedOpt,
    JsonOpt,
    SlowmoOpt,
    TraceOpt,
    app_context,
    browser_settings,
    console,
    err_console,
    print_json,
)
from automation.errors import ConfigError, PartialFailure
from automation.scrapers import junk
from automation.scrapers.crawl import ListingSpec, walk_listing
from automation.scrapers.fetcher import Fetcher, FetchOptions, FetchReport, Outcome, Planned
from automation.scrapers.resilience import RetryPolicy
from automation.scrapers.ytdlp import YtdlpOptions
from automation.settings import Settings
from tracking import downloads
from tracking.downloads import DownloadStatus
from tracking.runs import new_run_id
from tracking.workspace import Workspace

ARCHIVE_NAME = "ytdlp-archive.txt"
PATTERNS_NAME = "placeholder_patterns.txt"
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


def _read_url_file(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the URL list ({exc.strerror})") from None
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _crawl(settings: Settings, spec: ListingSpec, fetcher: Fetcher, source: str) -> list[str]:
    """Every item link of the listing, walked in a browser (no saved session)."""
    links: list[str] = []
    with browser_run(settings, source, new_run_id(), use_session=False) as run:
        assert run.page is not None
        for page in walk_listing(
            run.page,
            spec,
            before_request=lambda: fetcher.limiter.wait(source),
            timeout_ms=settings.timeout_ms,
        ):
            err_console.print(f"page {page.number}: {len(page.links)} new link(s) ({page.url})")
            links.extend(page.links)
    return links


def _print_plan(plan: list[Planned], json_out: bool) -> None:
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


def _print_report(report: FetchReport, ws: Workspace, json_out: bool) -> None:
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
        elif o.status in (DownloadStatus.REJECTED, DownloadStatus.SKIPPED) and (
            o.reason not in ("circuit-open", "already-fetched")
        ):
            console.print(
                f"{o.status:<8} {escape(o.url)}  ({o.reason}: {escape(o.detail)})", soft_wrap=True
            )
    counts = {s: len(report.having(s)) for s in DownloadStatus}
    earlier = sum(o.reason == "already-fetched" for o in report.outcomes)
    console.print(
        f"{counts[DownloadStatus.DOWNLOADED]} kept, {counts[DownloadStatus.REJECTED]} rejected, "
        f"{counts[DownloadStatus.SKIPPED] - earlier} skipped, {earlier} settled earlier, "
        f"{counts[DownloadStatus.FAILED]} failed (records: {ws.downloads_csv})",
        soft_wrap=True,
    )
    if report.stopped_at_max:
        console.print("stopped at --max; run the same command again to fetch the rest")


def _finish(report: FetchReport) -> None:
    """One line per URL that could not be fetched, then the PARTIAL exit."""
    problems = report.problems
    for o in problems:
        err_console.print(f"failed: {o.url}: {o.reason} ({o.detail})", markup=False, soft_wrap=True)
    for source in report.open_breakers:
        err_console.print(
            f"circuit breaker open for {source}: too many consecutive failures; "
            "its remaining URLs were skipped (run again later)",
            markup=False,
        )
    if problems:
        raise PartialFailure(
            f"{len(problems)} URL(s) could not be fetched; "
            "every attempt is in records/downloads.csv"
        )


def _rules(ws: Workspace, skip_patterns: list[str] | None) -> junk.UrlRules:
    return junk.load_url_rules(ws.records / PATTERNS_NAME, skip_patterns or [])


def _subtitles(value: str | None) -> tuple[str, ...]:
    return tuple(s.strip() for s in (value or "").split(",") if s.strip())


def _collect_urls(
    urls: list[str] | None, from_file: Path | None, crawl: str | None, link_selector: str | None
) -> list[str]:
    """The URLs given directly and in --from-file; checks the crawl options make sense."""
    given = list(urls or [])
    if from_file is not None:
        given.extend(_read_url_file(from_file))
    if crawl and not link_selector:
        raise ConfigError("--crawl needs --link-selector CSS (the item links of the listing)")
    if not given and not crawl:
        raise ConfigError("nothing to fetch: give URLs, --from-file FILE or --crawl URL")
    return given


def _print_stats(stats: list[downloads.SourceStats]) -> None:
    """The per-source table (high performers first), then each source's top failure reasons."""
    table = Table(title="fetch performance by source")
    table.add_column("tier", no_wrap=True)
    table.add_column("source", overflow="fold")
    for column in ("success", "urls", "attempts", "files", "bytes", "avg time"):
        table.add_column(column, justify="right", no_wrap=True)
    colours = {"high": "green", "medium": "yellow", "low": "red"}
    ordered = sorted(stats, key=lambda s: (TIERS.index(s.tier), -s.success_rate, s.source))
    for s in ordered:
        table.add_row(
            f"[{colours[s.tier]}]{s.tier}[/]",
            escape(s.source),
            f"{s.success_rate:.0%}",
            str(s.urls),
            str(s.attempts),
            str(s.files),
            _size(s.bytes),
            f"{s.avg_seconds:.1f} s",
        )
    console.print(table)
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


def register(app: typer.Typer) -> None:
    @app.command()
    def fetch(
        ctx: typer.Context,
        urls: Annotated[list[str] | None, typer.Argument(help="Pages or media links.")] = None,
        from_file: Annotated[
            Path | None, typer.Option("--from-file", help="More URLs, one a line (# comments).")
        ] = None,
        crawl: Annotated[
            str | None, typer.Option("--crawl", metavar="URL", help="Walk this listing.")
        ] = None,
        link_selector: Annotated[
            str | None, typer.Option("--link-selector", metavar="CSS", help="Item links.")
        ] = None,
        next_selector: Annotated[
            str | None,
            typer.Option(
                "--next-selector",
                metavar="CSS",
                help="The Next control (default: rel=next or a 'Next' link).",
            ),
        ] = None,
        max_pages: Annotated[int, typer.Option("--max-pages", min=1)] = 20,
        max_files: Annotated[
            int | None, typer.Option("--max", min=1, help="Stop after N kept files.")
        ] = None,
        format_spec: Annotated[
            str | None, typer.Option("--format", metavar="SPEC", help="yt-dlp format spec.")
        ] = None,
        subtitles: Annotated[
            str | None, typer.Option("--subtitles", metavar="LANGS", help="e.g. en,es")
        ] = None,
        source: Annotated[
            str | None,
            typer.Option("--source", help="inbox/<source>/ (default: from the URL's host)."),
        ] = None,
        images: Annotated[
            bool, typer.Option("--images/--no-images", help="Keep still images.")
        ] = True,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="List what would be fetched.")
        ] = False,
        rate: Annotated[
            float, typer.Option("--rate", min=0, help="Requests per minute per source (0: any).")
        ] = 30.0,
        retries: Annotated[int, typer.Option("--retries", min=0)] = 3,
        backoff: Annotated[
            float, typer.Option("--backoff", min=0, help="First retry wait, seconds.")
        ] = 2.0,
        backoff_max: Annotated[float, typer.Option("--backoff-max", min=0)] = 60.0,
        timeout: Annotated[
            float, typer.Option("--timeout", min=1, help="First attempt's timeout, seconds.")
        ] = 20.0,
        breaker: Annotated[
            int,
            typer.Option("--breaker", min=0, help="Stop a source after N failures in a row."),
        ] = 5,
        retry_failed: Annotated[
            bool,
            typer.Option("--retry-failed", help="Try URLs that failed for good (404...) again."),
        ] = False,
        skip_pattern: Annotated[
            list[str] | None,
            typer.Option("--skip-pattern", metavar="REGEX", help="Another placeholder pattern."),
        ] = None,
        json_out: JsonOpt = False,
        headed: HeadedOpt = False,
        slowmo: SlowmoOpt = None,
        trace: TraceOpt = False,
        debug: DebugOpt = False,
    ) -> None:
        """Download media into inbox/<source>/, keeping only valid, unique files.

        Junk (placeholders, empty, fakes, corrupt files, duplicates) is dropped.

        Every attempt is recorded in records/downloads.csv; a rerun skips what is done.

        Exit 7 when some URL could not be fetched after its retries.

        Example: creative-flow fetch --crawl https://site/videos --link-selector "a.item"
        """
        state = app_context(ctx)
        ws = state.workspace
        given = _collect_urls(urls, from_file, crawl, link_selector)
        options = FetchOptions(
            ytdlp=YtdlpOptions(ws.records / ARCHIVE_NAME, format_spec, _subtitles(subtitles)),
            source=source,
            max_files=max_files,
            images=images,
            retry=RetryPolicy(retries, backoff, backoff_max, timeout),
            rate_per_minute=rate,
            breaker=breaker,
            retry_failed=retry_failed,
            url_rules=_rules(ws, skip_pattern),
        )
        fetcher = Fetcher(ws, options)
        if crawl:
            settings = browser_settings(
                state.settings, headed=headed, slowmo=slowmo, trace=trace, debug=debug
            )
            spec = ListingSpec(crawl, link_selector or "", next_selector, max_pages)
            given.extend(_crawl(settings, spec, fetcher, fetcher.source_of(crawl)))
        if dry_run:
            _print_plan(fetcher.plan(given), json_out)
            return
        with RichProgress(len(fetcher.plan(given)), enabled=not json_out) as progress:
            fetcher.progress = progress
            report = fetcher.run(given)
        _print_report(report, ws, json_out)
        _finish(report)

    @app.command("fetch-stats")
    def fetch_stats(
        ctx: typer.Context,
        days: Annotated[
            float | None, typer.Option("--days", min=0, help="Only the last N days.")
        ] = None,
        json_out: JsonOpt = False,
    ) -> None:
        """How each source performed: success rate, files, bytes, time, failure reasons.

        Sources are sorted into high (>= 80 % of requested URLs kept), medium (>= 50 %) and
        low performers.

        Example: creative-flow fetch-stats --days 7
        """
        ws = app_context(ctx).workspace
        rows = downloads.recent(downloads.load(ws.downloads_csv), days)
        stats = downloads.summarize(rows)
        if json_out:
            print_json({"days": days, "rows": len(rows), "sources": [s.as_dict() for s in stats]})
            return
        if not stats:
            console.print(f"no fetch attempts recorded in {ws.downloads_csv}")
            return
        _print_stats(stats)
