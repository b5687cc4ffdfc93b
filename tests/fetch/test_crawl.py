"""`fetch --crawl`: the listing walker yields links (Chromium against the sandbox media site)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from automation.sandbox.media_site import CATALOGUE
from tests.fetch.conftest import MediaSite

pytestmark = pytest.mark.browser


def test_dry_run_lists_every_item_link_once_in_order(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    result = cli(
        "--workspace", workspace, "fetch", "--crawl", site.listing, "--link-selector", "a.item",
        "--dry-run", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert [p["url"] for p in plan] == list(site.expected())  # page order, repeat dropped
    assert all(p["url"].startswith("http://127.0.0.1:") for p in plan)
    skips = {p["url"]: p["reason"] for p in plan if p["action"] == "skip"}
    assert skips == {site.url("/placeholder.png?text=Photo+12"): "placeholder-url"}
    assert [line for line in result.stderr.splitlines() if line.startswith("page ")] == [
        f"page 1: 5 new links ({site.listing})",
        f"page 2: 5 new links ({site.listing}?page=2)",
        f"page 3: 4 new links ({site.listing}?page=3)",
    ]
    # A dry run fetches nothing and records nothing.
    assert not (workspace / "records" / "downloads.csv").exists()
    assert not (workspace / "inbox").exists()
    assert site.hits("flaky") == [] and site.hits("media/clip-3.mp4") == []


def test_max_pages_and_an_explicit_next_selector(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    result = cli(
        "--workspace", workspace, "fetch", "--crawl", site.listing, "--link-selector", "a.item",
        "--next-selector", "li.page-item a.page-link:text-is('Next')", "--max-pages", "2",
        "--dry-run",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    first_two = [site.url(item.path) for page in CATALOGUE[:2] for item in page]
    listed = [
        line.split()[1] for line in result.stdout.splitlines() if line[:5] in ("fetch", "skip ")
    ]
    assert listed == first_two
    assert "10 to fetch" not in result.stdout and "9 to fetch, 1 to skip" in result.stdout


def test_a_selector_that_matches_nothing_fails_in_one_line(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREATIVE_FLOW_TIMEOUT_MS", "1500")
    result = cli(
        "--workspace", workspace, "fetch", "--crawl", site.listing, "--link-selector",
        "a.no-such-item",
    )  # fmt: skip
    assert result.exit_code == 4
    assert "nothing matches --link-selector 'a.no-such-item'" in result.stderr
    assert "saved:" in result.stderr  # the page's screenshot and HTML, to see why
    assert not (workspace / "records" / "downloads.csv").exists()


def test_a_listing_that_answers_404_fails_at_once_in_one_line(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CREATIVE_FLOW_TIMEOUT_MS", "20000")  # no waiting for links on it
    listing = site.url("/no-such-listing")
    result = cli(
        "--workspace", workspace, "fetch", "--crawl", listing, "--link-selector", "a.item",
    )  # fmt: skip
    assert result.exit_code == 4
    (line,) = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
    assert f"{listing}: the listing page answered HTTP 404" in line


def test_a_bad_css_selector_is_a_usage_error_in_one_line(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    result = cli(
        "--workspace", workspace, "fetch", "--crawl", site.listing, "--link-selector", "a[[",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --link-selector 'a[[' is not a valid CSS selector")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_next_page_that_fails_ends_the_listing_with_the_links_found(  # type: ignore[no-untyped-def]
    cli, workspace: Path, site: MediaSite
) -> None:
    result = cli(
        "--workspace", workspace, "fetch", "--crawl", site.listing, "--link-selector", "a.item",
        "--next-selector", "nav a:text-is('About')", "--dry-run", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert [p["url"] for p in plan] == list(site.expected())[:5]
