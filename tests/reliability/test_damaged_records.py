"""Damaged records: named by file and line, nothing written from them; journals never block."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.upload.workspace import TJWorkspace
from tracking.journal import Journal, JournalEntry, JournalState, journal_path
from tracking.library_cache import LibraryEntry, record_entries


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


def _one_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    return lines[0]


def _torn(path: Path) -> None:
    """Cut the file's last line short, as a crash while writing it would."""
    data = path.read_bytes().rstrip(b"\n")
    path.write_bytes(data[: data.rindex(b",")])


def _short_row(path: Path) -> None:
    path.write_bytes(path.read_bytes() + b"ID-X,a,b\n")


def _latin1(path: Path) -> None:
    path.write_bytes(path.read_bytes().replace(b"Bob", b"B\xf6b", 1))


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (_torn, "inventory.csv:3: inventory: the last line is cut short"),
        (_short_row, "inventory.csv:4: inventory: row has 3 fields"),
        (_latin1, "inventory.csv:2: inventory has bytes that are not UTF-8"),
    ],
)
def test_a_damaged_inventory_stops_the_command_before_it_writes(
    cli, tj: TJWorkspace, damage, words: str
) -> None:
    tj.banners(2)
    damage(tj.ws.inventory_csv)
    before = _snapshot(tj.root)

    result = cli("--workspace", tj.root, "upload")

    assert result.exit_code == 6, result.output
    line = _one_line(result.output)
    assert words in line and "nothing was written" in line
    assert "repair" in line or "re-save" in line
    assert _snapshot(tj.root) == before, "no record was touched"


def test_a_damaged_library_cache_says_refresh_library_rebuild_replaces_it(
    cli, tj: TJWorkspace
) -> None:
    tj.banners(1)
    cache = tj.ws.library_csv("trafficjunky")
    record_entries(cache, [LibraryEntry("1000000990", "Other", creative_type="static_banner")])
    cache.write_bytes(cache.read_bytes() + b"1000001000,Torn,2026-01\n")

    result = cli("--workspace", tj.root, "upload")

    assert result.exit_code == 6, result.output
    line = _one_line(result.output)
    assert "trafficjunky.csv:3" in line and "refresh-library --rebuild" in line


def test_an_undecodable_journal_line_is_skipped_with_a_warning_naming_it(
    cli, tj: TJWorkspace
) -> None:
    [unique_id] = tj.banners(1)
    entry = JournalEntry("20260101-000000-dead", "trafficjunky", "Gone", "static_banner",
                         "ID-DEAD", JournalState.SUBMITTING)  # fmt: skip
    path = journal_path(tj.ws.uploads_dir, entry.run_id)
    Journal(path).write([entry])
    path.write_bytes(path.read_bytes() + b'{"state": "confirmed", "name": "\xff"}\n')

    result = cli("--workspace", tj.root, "upload", "--json")

    assert result.exit_code == 0, result.output
    [report] = json.loads(result.stdout)
    assert [f["status"] for f in report["files"] if f["unique_id"] == unique_id] == ["dry_run"]
    warning = " ".join(result.stderr.split())  # the console wraps long lines
    assert f"{path.name}:2: unreadable journal line skipped" in warning


@pytest.mark.browser
@pytest.mark.parametrize("flag", [(), ("--rebuild",)])
def test_refresh_library_rebuilds_a_cache_it_cannot_read_and_keeps_the_damaged_file(
    cli, tj: TJWorkspace, flag: tuple[str, ...]
) -> None:
    made = tj.sandbox.seed(creatives=3, tabs=["static_banner"])["creatives"]
    cache = tj.ws.library_csv("trafficjunky")
    record_entries(cache, [LibraryEntry("1000000990", "Other", creative_type="static_banner")])
    damaged = cache.read_bytes() + b"1000001000,Torn\xff"
    cache.write_bytes(damaged)

    result = cli("--workspace", tj.root, "refresh-library", *flag)

    assert result.exit_code == 0, result.output
    assert {e.creative_id for e in tj.cache()} == {str(c["id"]) for c in made}
    [kept] = cache.parent.glob("trafficjunky.damaged-*.csv")
    assert kept.read_bytes() == damaged
    assert kept.name in result.stdout.replace("\n", "")
