"""`refresh-library` reads every tab to its last page; `sync-status` brings review statuses home."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.upload.workspace import TJWorkspace
from tracking import inventory

pytestmark = pytest.mark.browser
PLACES = ["static_banner", "video_banner", "in_stream_video", "native_static", "native_rollover"]


def _place(creative: dict) -> str:  # type: ignore[type-arg]
    return str(creative["native_type"] or creative["tab"])


def test_refresh_over_150_creatives_matches_the_ground_truth(cli, tj: TJWorkspace):
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
        assert entry.dimensions == creative["dimensions"]
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
