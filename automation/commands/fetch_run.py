"""The work of `creative-flow fetch`, kept apart so --help never loads yt-dlp or Playwright."""

from __future__ import annotations

from dataclasses import replace

from automation.browser import browser_run
from automation.commands.common import err_console, plural
from automation.commands.fetch_views import print_problems
from automation.errors import PartialFailure
from automation.scrapers import junk
from automation.scrapers.crawl import ListingSpec, walk_listing
from automation.scrapers.fetcher import Fetcher
from automation.scrapers.intake import fetched_folder
from automation.scrapers.outcomes import FetchReport
from automation.settings import Settings
from tracking import folder_defaults
from tracking.runs import new_run_id
from tracking.workspace import Workspace

PATTERNS_NAME = "placeholder_patterns.txt"


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
    if report.problems:
        raise PartialFailure(
            f"{plural(len(report.problems), 'URL')} could not be fetched; "
            "every attempt is in records/downloads.csv"
        )


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
