"""records/sources.csv: fetch settings per source or host, over the command's flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fetch.conftest import QUICK, MediaSite
from tracking import downloads, fetch_sources
from tracking.fetch_sources import FetchMode, SourceSettings

HEADER = "source,mode,images,subtitles,auto_captions,format\n"


def write_sources(workspace: Path, *rows: str) -> None:
    records = workspace / "records"
    records.mkdir(parents=True, exist_ok=True)
    (records / "sources.csv").write_text(HEADER + "".join(f"{r}\n" for r in rows))


def inbox_names(workspace: Path) -> list[str]:
    return sorted(p.name for p in (workspace / "inbox").rglob("*") if p.is_file())


def test_a_link_only_source_records_title_and_duration_without_the_media(
    cli, workspace: Path, site: MediaSite
) -> None:  # type: ignore[no-untyped-def]
    write_sources(workspace, "localhost,link-only,,,,")
    url = site.url("/watch/city-lights")

    first = cli("-w", workspace, "fetch", url, *QUICK)

    assert first.exit_code == 0, first.output
    assert f"linked   {url}  (City lights at night, 7.0 s)" in first.stdout
    assert inbox_names(workspace) == []
    (row,) = downloads.load(workspace / "records" / "downloads.csv")
    assert row["status"] == "linked" and row["title"] == "City lights at night"
    assert float(row["duration"]) == 7.0
    again = cli("-w", workspace, "fetch", url, *QUICK)
    assert again.exit_code == 0 and len(downloads.load(workspace / "records/downloads.csv")) == 1

    stats = cli("-w", workspace, "fetch-stats")
    assert "link-only: localhost: 1 URL(s) recorded without their media" in stats.stdout
    (source,) = json.loads(cli("-w", workspace, "fetch-stats", "--json").stdout)["sources"]
    assert (source["linked"], source["urls"], source["files"]) == (1, 0, 0)


def test_a_listed_source_keeps_en_es_subtitles_and_its_own_image_choice(
    cli, workspace: Path, site: MediaSite
) -> None:  # type: ignore[no-untyped-def]
    write_sources(workspace, "127.0.0.1,,no,,,")
    pages = [site.url("/watch/city-lights"), site.url("/media/photo-1.jpg")]

    done = cli("-w", workspace, "fetch", *pages, "--images", *QUICK)

    assert done.exit_code == 0, done.output
    assert inbox_names(workspace) == ["City_lights_at_night.en.vtt", "City_lights_at_night.mp4"]
    last = {r["url"]: r for r in downloads.load(workspace / "records" / "downloads.csv")}
    assert last[pages[1]]["reason"] == "image-excluded"


def test_a_bad_value_names_the_file_and_line(cli, workspace: Path, site: MediaSite) -> None:  # type: ignore[no-untyped-def]
    write_sources(workspace, "example.com,link-only,,,,", "localhost,sometimes,,,,")
    result = cli("-w", workspace, "fetch", site.url("/media/clip-3.mp4"), *QUICK)
    assert result.exit_code == 6
    assert (
        "sources.csv:3: mode 'sometimes' is not valid; use download or link-only" in result.stderr
    )
    assert not (workspace / "records" / "downloads.csv").exists()


@pytest.mark.parametrize(
    ("source", "host", "found"),
    [
        ("localhost", "127.0.0.1", "localhost"),
        ("cdn-7", "media.example.com", "example.com"),
        ("cdn-7", "www.example.com", "example.com"),
        ("cdn-7", "notexample.com", None),
    ],
)
def test_a_row_matches_the_source_name_or_the_host_and_its_parents(
    source: str, host: str, found: str | None
) -> None:
    table = {
        "localhost": SourceSettings("localhost", mode=FetchMode.LINK_ONLY),
        "example.com": SourceSettings("example.com", images=False),
    }
    entry = fetch_sources.lookup(table, source, host)
    assert (entry.source if entry else None) == found
