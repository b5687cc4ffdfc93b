"""`refresh-library` reads every tab to its last page; `sync-status` brings review statuses home."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from filelock import FileLock

from tests.upload.workspace import TJWorkspace
from tracking import inventory
from tracking.csvstore import lock_file
from tracking.library_cache import LibraryEntry, record_entries

pytestmark = pytest.mark.browser
PLACES = ["static_banner", "video_banner", "in_stream_video", "native_static", "native_rollover"]


def _place(creative: dict) -> str:  # type: ignore[type-arg]
    return str(creative["native_type"] or creative["tab"])


def test_refresh_over_150_creatives_matches_the_ground_truth(cli, tj: TJWorkspace):
    tj.sandbox.switches(short_video_tab=True)  # a library that has the optional tab
    tj.sandbox.seed(creatives=150, tabs=[*PLACES, "short_video"])
    truth = tj.truth()

    result = cli("--workspace", tj.root, "refresh-library", "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["trafficjunky"]
    assert report["counts"] == dict(Counter(map(_place, truth)))
    cached = {e.creative_id: e for e in tj.cache()}
    assert set(cached) == {str(c["id"]) for c in truth}
    for creative in truth:
        entry = cached[str(creative["id"])]
        assert entry.filename == creative["name"]
        assert entry.creative_type == _place(creative)
        assert entry.review_status == creative["status"]
        in_stream = creative["tab"] == "in_stream_video"  # its cards show no dimensions
        assert entry.dimensions == ("" if in_stream else creative["dimensions"])
    assert len(report["added"]) == 150


def test_second_refresh_reports_what_changed(cli, tj: TJWorkspace):
    made = tj.sandbox.seed(creatives=14, tabs=["static_banner"])["creatives"]
    assert cli("--workspace", tj.root, "refresh-library", "--json").exit_code == 0
    tj.sandbox.review([made[0]["id"]], "approved")
    tj.sandbox.seed(creatives=1, tabs=["static_banner"])

    result = cli("--workspace", tj.root, "refresh-library", "--json")

    report = json.loads(result.stdout)["trafficjunky"]
    assert len(report["added"]) == 1
    assert report["status_changed"] == [
        {"creative_id": str(made[0]["id"]), "before": "pending", "after": "approved"}
    ]
    plain = cli("--workspace", tj.root, "refresh-library")
    assert "static_banner" in plain.stdout and "15" in plain.stdout


def test_sync_status_writes_review_statuses_into_the_inventory(cli, tj: TJWorkspace):
    tj.banners(3)
    assert cli("--workspace", tj.root, "upload", "--live").exit_code == 0
    ids = tj.recorded_ids()
    first, second, third = (ids[r["unique_id"]] for r in tj.rows)
    tj.sandbox.review([int(first)], "approved")
    tj.sandbox.review([int(second)], "rejected")

    result = cli("--workspace", tj.root, "sync-status", "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["trafficjunky"]
    assert [c["creative_id"] for c in report["newly_approved"]] == [first]
    assert [c["creative_id"] for c in report["newly_rejected"]] == [second]
    rows = {r["unique_id"]: r for r in inventory.load(tj.ws.inventory_csv)}
    statuses = [rows[r["unique_id"]]["tj_review_status"] for r in tj.rows]
    assert statuses == ["approved", "rejected", "pending"]
    again = cli("--workspace", tj.root, "sync-status", "--json")
    assert json.loads(again.stdout)["trafficjunky"]["changed"] == 0
    assert third


def test_refresh_waits_for_no_upload_and_leaves_the_cache_alone_while_one_runs(
    cli, tj: TJWorkspace
):
    cache = tj.ws.library_csv("trafficjunky")
    record_entries(
        cache, [LibraryEntry("1000000010", "Just_Uploaded", creative_type="video_banner")]
    )
    before = cache.read_bytes()
    lock = FileLock(str(lock_file(tj.ws.uploads_dir / ".trafficjunky.run")))

    with lock.acquire(timeout=1):  # a live upload of the same platform is running
        result = cli("--workspace", tj.root, "refresh-library")

    assert result.exit_code == 6, result.output
    assert "another creative-flow run holds its lock" in result.stderr
    assert cache.read_bytes() == before


def test_dry_runs_show_what_would_change_and_write_nothing(cli, tj: TJWorkspace):
    tj.banners(3)
    assert cli("--workspace", tj.root, "upload", "--live").exit_code == 0
    assert cli("--workspace", tj.root, "refresh-library").exit_code == 0
    ids = tj.recorded_ids()
    first = ids[tj.rows[0]["unique_id"]]
    tj.sandbox.review([int(first)], "approved")
    tj.sandbox.seed(creatives=1, tabs=["static_banner"])
    cache_before = tj.ws.library_csv("trafficjunky").read_bytes()
    inventory_before = tj.ws.inventory_csv.read_bytes()

    refresh = cli("--workspace", tj.root, "refresh-library", "--dry-run", "--json")
    sync = cli("--workspace", tj.root, "sync-status", "--dry-run", "--json")
    plain = cli("--workspace", tj.root, "sync-status", "--dry-run")

    assert refresh.exit_code == sync.exit_code == plain.exit_code == 0, refresh.output
    report = json.loads(refresh.stdout)["trafficjunky"]
    assert report["dry_run"] is True and len(report["added"]) == 1
    assert report["status_changed"] == [
        {"creative_id": first, "before": "pending", "after": "approved"}
    ]
    synced = json.loads(sync.stdout)["trafficjunky"]
    assert [c["creative_id"] for c in synced["newly_approved"]] == [first]
    assert "dry run: nothing was written" in plain.stdout
    assert tj.ws.library_csv("trafficjunky").read_bytes() == cache_before
    assert tj.ws.inventory_csv.read_bytes() == inventory_before
    # The same run without --dry-run writes what the dry run showed.
    assert cli("--workspace", tj.root, "sync-status").exit_code == 0
    rows = {r["unique_id"]: r for r in inventory.load(tj.ws.inventory_csv)}
    assert rows[tj.rows[0]["unique_id"]]["tj_review_status"] == "approved"
