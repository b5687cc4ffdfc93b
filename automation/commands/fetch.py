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

from automation.commands.common import (
    DEFAULT_RETRIES,
    DebugOpt,
    DetachOpt,
    HeadedOpt,
    JsonOpt,
    QueueUrlOpt,
    RetriesOpt,
    SlowmoOpt,
    TraceOpt,
    app_context,
    browser_settings,
    console,
    err_console,
    print_json,
)
from automation.errors import ConfigError
from tracking import downloads


def _read_url_file(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the URL list ({exc.strerror})") from None
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _subtitles(value: str | None) -> tuple[str, ...] | None:
    """--sub-langs as languages (none: no subtitles); None when not given."""
    if value is None:
        return None
    if value.strip().lower() == "none":
        return ()
    return tuple(s.strip() for s in value.split(",") if s.strip())


def requests_per_minute(sleep_requests: float | None, rate: float | None) -> float:
    """--sleep-requests SECONDS (yt-dlp's name) or the older --rate PER-MINUTE; 0 is no limit."""
    if sleep_requests is not None and rate is not None:
        raise ConfigError("give --sleep-requests or --rate, not both (--rate is the older name)")
    if rate is not None:
        return rate
    seconds = DEFAULT_SLEEP_REQUESTS if sleep_requests is None else sleep_requests
    return 60.0 / seconds if seconds > 0 else 0.0


# Two seconds between requests to one source: today's 30 a minute.
DEFAULT_SLEEP_REQUESTS = 2.0


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
            Path | None,
            typer.Option(
                "--batch-file",
                "-a",
                "--from-file",
                metavar="FILE",
                help="More URLs, one a line (# comments), as yt-dlp's -a.",
            ),
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
            int | None,
            typer.Option("--max-downloads", "--max", min=1, help="Stop after N kept files."),
        ] = None,
        format_spec: Annotated[
            str | None, typer.Option("--format", metavar="SPEC", help="yt-dlp format spec.")
        ] = None,
        subtitles: Annotated[
            str | None,
            typer.Option(
                "--sub-langs",
                "--subtitles",
                metavar="LANGS",
                help="Subtitles to keep, e.g. en,es (none: no subtitles; default: none, en,es "
                "for a source listed in records/sources.csv).",
            ),
        ] = None,
        auto_subs: Annotated[
            bool | None,
            typer.Option(
                "--write-auto-subs/--no-write-auto-subs",
                help="Take automatic captions for a language without written subtitles "
                "(default: no, yes for a source listed in records/sources.csv).",
                show_default=False,
            ),
        ] = None,
        source: Annotated[
            str | None,
            typer.Option(
                "--source", help="inbox/fetched/<source>/ (default: from the URL's host)."
            ),
        ] = None,
        images: Annotated[
            bool, typer.Option("--images/--no-images", help="Keep still images.")
        ] = True,
        link_only: Annotated[
            bool,
            typer.Option(
                "--link-only", help="Record URL, title and duration in downloads.csv; no media."
            ),
        ] = False,
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="List what would be fetched.")
        ] = False,
        sleep_requests: Annotated[
            float | None,
            typer.Option(
                "--sleep-requests",
                min=0,
                metavar="SECONDS",
                help="Seconds between requests to one source (0: no wait).  [default: 2]",
            ),
        ] = None,
        rate: Annotated[
            float | None,
            typer.Option(
                "--rate", min=0, hidden=True, help="Older form: requests per minute per source."
            ),
        ] = None,
        retries: RetriesOpt = DEFAULT_RETRIES,
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
        language: Annotated[str, typer.Option(help="Language of what is fetched.")] = "",
        category: Annotated[
            str, typer.Option(help="Category (the source's name never becomes one).")
        ] = "",
        creator: Annotated[str, typer.Option(help="Creator of what is fetched.")] = "",
        rating: Annotated[
            str, typer.Option("--rating", "--content-type", help="Rating / content type.")
        ] = "",
        description: Annotated[str, typer.Option(help="Description (default Generic).")] = "",
        queue: QueueUrlOpt = None,
        detach: DetachOpt = False,
        json_out: JsonOpt = False,
        headed: HeadedOpt = False,
        slowmo: SlowmoOpt = None,
        trace: TraceOpt = False,
        debug: DebugOpt = False,
    ) -> None:
        """Download media into inbox/fetched/<source>/, keeping only valid, unique files.

        Junk (placeholders, empty, fakes, corrupt files, duplicates) is dropped.

        records/sources.csv sets, per source or host, link-only, images, subtitle languages,
        automatic captions and the format; its values win over these flags for that source.

        Every attempt is recorded in records/downloads.csv; a rerun skips what is done.

        --language, --category, --creator, --rating and --description are saved as the
        folder's defaults in records/folder_defaults.csv, so `process` names the files by them.

        Exit 7 when some URL could not be fetched after its retries.

        With a broker (--queue or CREATIVE_FLOW_BROKER), each URL becomes a job for the
        `creative-flow worker` processes; a URL that still fails is queued again later, with
        a growing wait (a listing is still walked here).

        Example: creative-flow fetch --crawl https://site/videos --link-selector "a.item"
        """
        # yt-dlp, httpx and Playwright load only when a fetch runs, not for --help.
        from automation.commands.fetch_run import (
            FetchParams,
            crawl_links,
            fetch_options,
            finish,
            remember_metadata,
        )
        from automation.commands.fetch_views import RichProgress, print_plan, print_report
        from automation.scrapers.crawl import ListingSpec
        from automation.scrapers.fetcher import Fetcher

        state = app_context(ctx)
        ws = state.workspace
        given = _collect_urls(urls, from_file, crawl, link_selector)
        params = FetchParams(
            format=format_spec, subtitles=_subtitles(subtitles), auto_captions=auto_subs,
            link_only=link_only, retries=retries, source=source,
            max_files=max_files, images=images, backoff=backoff, backoff_max=backoff_max,
            timeout=timeout, rate_per_minute=requests_per_minute(sleep_requests, rate),
            breaker=breaker, retry_failed=retry_failed, skip_patterns=tuple(skip_pattern or ()),
        )  # fmt: skip
        options = fetch_options(ws, params)
        fetcher = Fetcher(ws, options)
        if crawl:
            settings = browser_settings(
                state.settings, headed=headed, slowmo=slowmo, trace=trace, debug=debug
            )
            spec = ListingSpec(crawl, link_selector or "", next_selector, max_pages)
            given.extend(crawl_links(settings, spec, fetcher, fetcher.source_of(crawl)))
        if dry_run:
            print_plan(fetcher.plan(given), json_out)
            return
        naming = {
            "language": language, "category_name": category, "creator_name": creator,
            "content_type": rating, "creative_description": description,
        }  # fmt: skip
        for key in remember_metadata(ws, [fetcher.source_of(u) for u in given], naming):
            err_console.print(f"naming defaults saved for inbox/{key}", markup=False)
        broker_url = state.settings.with_overrides(broker_url=queue).broker_url
        if broker_url:
            from automation.commands.fetch_queue import run_queued

            queued = run_queued(
                state.settings.with_overrides(broker_url=broker_url), given, params,
                {url: fetcher.source_of(url) for url in given}, detach=detach, as_json=json_out,
            )  # fmt: skip
            if queued is None:
                return
            report = queued
        else:
            with RichProgress(len(fetcher.plan(given)), enabled=not json_out) as progress:
                fetcher.progress = progress
                report = fetcher.run(given)
        print_report(report, ws, json_out)
        finish(report)

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
        from automation.commands.fetch_views import print_stats

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
