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
from automation.commands.fetch_views import (
    RichProgress,
    print_plan,
    print_problems,
    print_report,
    print_stats,
)
from automation.errors import ConfigError, PartialFailure
from automation.scrapers import junk
from automation.scrapers.crawl import ListingSpec, walk_listing
from automation.scrapers.fetcher import Fetcher, FetchOptions
from automation.scrapers.outcomes import FetchReport
from automation.scrapers.resilience import RetryPolicy
from automation.scrapers.ytdlp import YtdlpOptions
from automation.settings import Settings
from tracking import downloads
from tracking.runs import new_run_id
from tracking.workspace import Workspace

ARCHIVE_NAME = "ytdlp-archive.txt"
PATTERNS_NAME = "placeholder_patterns.txt"


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


def _finish(report: FetchReport) -> None:
    """One line per URL that could not be fetched, then the PARTIAL exit."""
    print_problems(report)
    if report.problems:
        raise PartialFailure(
            f"{len(report.problems)} URL(s) could not be fetched; "
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
            print_plan(fetcher.plan(given), json_out)
            return
        with RichProgress(len(fetcher.plan(given)), enabled=not json_out) as progress:
            fetcher.progress = progress
            report = fetcher.run(given)
        print_report(report, ws, json_out)
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
            when = "" if days is None else f" in the last {days:g} day(s)"
            console.print(f"no fetch attempts recorded{when} in {ws.downloads_csv}")
            return
        print_stats(stats)
