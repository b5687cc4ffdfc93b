"""The work of `creative-flow fetch`, kept apart so --help never loads yt-dlp or Playwright."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from automation.browser import browser_run
from automation.commands.common import err_console
from automation.commands.fetch_views import print_problems
from automation.errors import PartialFailure
from automation.scrapers import junk
from automation.scrapers.crawl import ListingSpec, walk_listing
from automation.scrapers.fetcher import Fetcher, FetchOptions
from automation.scrapers.intake import fetched_folder
from automation.scrapers.outcomes import FetchReport
from automation.scrapers.resilience import RetryPolicy
from automation.scrapers.ytdlp import YtdlpOptions
from automation.settings import Settings
from automation.wording import plural
from tracking import fetch_sources, folder_defaults
from tracking.downloads import DownloadStatus
from tracking.runs import new_run_id
from tracking.workspace import Workspace

PATTERNS_NAME = "placeholder_patterns.txt"
ARCHIVE_NAME = "ytdlp-archive.txt"


@dataclass(frozen=True)
class FetchParams:
    """What the user asked of a fetch, as plain data (a queued download job carries it)."""

    format: str | None = None
    # None: not given (a source listed in sources.csv then defaults to en,es with captions).
    subtitles: tuple[str, ...] | None = None
    auto_captions: bool | None = None
    link_only: bool = False
    retries: int = 2
    source: str | None = None
    max_files: int | None = None
    images: bool = True
    backoff: float = 2.0
    backoff_max: float = 60.0
    timeout: float = 20.0
    rate_per_minute: float = 30.0
    breaker: int = 5
    retry_failed: bool = False
    skip_patterns: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FetchParams:
        subtitles = data["subtitles"]
        return cls(
            **{
                **data,
                "subtitles": None if subtitles is None else tuple(subtitles),
                "skip_patterns": tuple(data["skip_patterns"]),
            }
        )


def fetch_options(ws: Workspace, params: FetchParams) -> FetchOptions:
    """The fetcher's options for a workspace (its archive, its placeholder patterns)."""
    return FetchOptions(
        ytdlp=YtdlpOptions(
            ws.records / ARCHIVE_NAME,
            params.format,
            params.subtitles or (),
            retries=params.retries,
            auto_captions=bool(params.auto_captions),
        ),
        source=params.source,
        max_files=params.max_files,
        images=params.images,
        retry=RetryPolicy(params.retries, params.backoff, params.backoff_max, params.timeout),
        rate_per_minute=params.rate_per_minute,
        breaker=params.breaker,
        retry_failed=params.retry_failed,
        url_rules=url_rules(ws, list(params.skip_patterns)),
        sources=fetch_sources.load(ws.sources_csv),
        listed_subtitles=fetch_sources.DEFAULT_SUBTITLES
        if params.subtitles is None
        else params.subtitles,
        listed_auto_captions=True if params.auto_captions is None else params.auto_captions,
        link_only=params.link_only,
    )


def crawl_links(settings: Settings, spec: ListingSpec, fetcher: Fetcher, source: str) -> list[str]:
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
            err_console.print(
                f"page {page.number}: {plural(len(page.links), 'new link')} ({page.url})"
            )
            links.extend(page.links)
    return links


def finish(report: FetchReport) -> None:
    """One line per URL that could not be fetched, then the PARTIAL exit."""
    print_problems(report)
    queued = report.having(DownloadStatus.QUEUED)
    parts = [f"{plural(len(report.problems), 'URL')} could not be fetched"] * bool(report.problems)
    if queued:
        parts.append(
            f"{plural(len(queued), 'URL')} queued to try again later (`creative-flow queue "
            "status` says when)"
        )
    if parts:
        raise PartialFailure("; ".join(parts) + "; every attempt is in records/downloads.csv")


def url_rules(ws: Workspace, skip_patterns: list[str] | None) -> junk.UrlRules:
    return junk.load_url_rules(ws.records / PATTERNS_NAME, skip_patterns or [])


def remember_metadata(ws: Workspace, sources: list[str], given: dict[str, str]) -> list[str]:
    """Save the naming fields given to fetch as the defaults of each source's inbox folder.

    Only the fields given change; the rest of an existing row stays. Returns the folder keys.
    """
    fields = {k: v.strip() for k, v in given.items() if v and v.strip()}
    if not fields:
        return []
    table = folder_defaults.load(ws.folder_defaults_csv, ws.inbox)
    keys = []
    for source in dict.fromkeys(sources):
        key = folder_defaults.folder_key(fetched_folder(ws, source), ws.inbox)
        old = table.get(key) or folder_defaults.FolderDefaults(folder_path=key)
        folder_defaults.save(ws.folder_defaults_csv, replace(old, folder_path=key, **fields))
        keys.append(key)
    return keys
