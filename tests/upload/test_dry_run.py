"""The default dry run shows the plan and touches nothing: no browser, no records but its own."""

from __future__ import annotations

import json
from pathlib import Path

from tests.upload.workspace import TJWorkspace, arm_request_counter, sandbox_requests_seen
from tracking.library_cache import LibraryEntry, record_entries


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "uploads" not in p.parts and not p.name.endswith(".lock")
    }


def test_dry_run_plans_everything_and_changes_nothing(cli, tj: TJWorkspace):
    tj.banners(11)
    tj.pairs(1)
    tj.preroll("EN_Cat_MFT_Both_NA_Short_Bob_2sec_ID-0000C0DE", "ID-0000C0DE", seconds=2)
    cached = tj.rows[0]
    record_entries(
        tj.ws.library_csv("trafficjunky"),
        [LibraryEntry("1000000990", cached["new_filename"], creative_type="static_banner")],
    )
    before = _snapshot(tj.root)
    arm_request_counter(tj.sandbox)

    result = cli("--workspace", tj.root, "upload", "--json")

    assert result.exit_code != 0, "an invalid file makes the exit code say so"
    report = json.loads(result.stdout)[0]
    files = {f["unique_id"]: f for f in report["files"]}
    assert files[cached["unique_id"]]["status"] == "duplicate"
    assert files[cached["unique_id"]]["creative_id"] == "1000000990"
    assert files["ID-0000C0DE"]["status"] == "failed"
    planned = [f for f in report["files"] if f["status"] == "dry_run"]
    assert len(planned) == 12  # 10 banners + the pair
    assert {f["batch"] for f in planned} == {"b01", "b02"}
    assert sandbox_requests_seen(tj.sandbox) == 0
    assert not tj.truth()
    assert _snapshot(tj.root) == before, "inventory, cache, media and sessions untouched"
    statuses = {r["status"] for r in tj.status_rows()}
    assert statuses == {"dry_run", "duplicate", "failed"}


def test_dry_run_prints_a_readable_plan(cli, tj: TJWorkspace):
    tj.pairs(1)

    result = cli("--workspace", tj.root, "upload")

    assert result.exit_code == 0, result.output
    assert "native_rollover" in result.stdout and "native_static" in result.stdout
    assert "add --live" in result.stdout


def test_limit_never_splits_a_native_pair(cli, tj: TJWorkspace):
    tj.pairs(3)

    result = cli("--workspace", tj.root, "upload", "--limit", "3", "--json")

    report = json.loads(result.stdout)[0]
    planned = [f["unique_id"] for f in report["files"] if f["status"] == "dry_run"]
    assert len(planned) == 2
    assert {p.rsplit("-", 1)[0] for p in planned} == {planned[0].rsplit("-", 1)[0]}
    assert report["held_back"] == 4


def test_named_files_only_and_unknown_names_reported(cli, tj: TJWorkspace):
    tj.banners(3)
    wanted = tj.rows[2]["new_filename"]

    result = cli("--workspace", tj.root, "upload", "--json", "--files", wanted, "nope.png")

    assert result.exit_code != 0
    files = json.loads(result.stdout)[0]["files"]
    assert [(f["file"], f["status"]) for f in files] == [
        ("nope.png", "failed"),
        (wanted, "dry_run"),
    ]
    assert "not in the inventory" in files[0]["message"]
