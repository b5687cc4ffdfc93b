"""Upload, refresh-library and sync-status on the sandbox's default and on every variant: however
the real site resolves what the evidence leaves open, the records are the platform's own truth."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.fixtures.sandbox import Sandbox
from tests.upload.workspace import TJWorkspace
from tracking import inventory

pytestmark = pytest.mark.browser


def _place(creative: dict) -> str:  # type: ignore[type-arg]
    return str(creative["native_type"] or creative["tab"])


def _seed_every_tab(sandbox: Sandbox) -> dict[str, object]:
    """Creatives in every tab the page shows, some tabs past one page; one static to collide."""
    tabs = ["static_banner", "in_stream_video", "video_banner", "native_static", "native_rollover"]
    if sandbox.truth()["switches"]["short_video_tab"]:
        tabs.append("short_video")
    sandbox.seed(creatives=13, tabs=["static_banner"])
    sandbox.seed(creatives=14, tabs=["in_stream_video"])
    sandbox.seed(creatives=3 * len(tabs), tabs=tabs)
    return next(c for c in sandbox.truth()["creatives"] if c["tab"] == "static_banner")


def test_upload_refresh_and_sync_record_the_ground_truth(
    cli, tj: TJWorkspace, sandbox_variant: Sandbox
):
    existing = _seed_every_tab(sandbox_variant)
    tj.banners(24)
    tj.named_banner(str(existing["name"]), "ID-00D0B1E0")  # a name the platform already has
    first = cli("--workspace", tj.root, "upload", "--live", "--json")
    assert first.exit_code == 0, first.output
    files = json.loads(first.stdout)[0]["files"]
    assert sorted({f["batch"] for f in files}) == ["b01", "b02", "b03"]
    tj.pairs(1, start=50)
    tj.preroll("EN_Cat_MFT_Both_NA_Pre_Bob_6sec_ID-0000AD01", "ID-0000AD01", seconds=6)
    second = cli("--workspace", tj.root, "upload", "--live", "--json")
    assert second.exit_code == 0, second.output

    recorded = tj.recorded_ids()
    assert recorded == tj.expected_ids() and all(recorded.values())
    assert recorded["ID-00D0B1E0"] == str(existing["id"])
    assert not tj.duplicates_in_sandbox()

    ids = [int(v) for v in recorded.values()]
    tj.sandbox.review(ids[:5], "approved")
    tj.sandbox.review(ids[5:8], "rejected")
    others = [c["id"] for c in tj.truth() if str(c["id"]) not in recorded.values()]
    tj.sandbox.review(others[::4], "rejected")

    refresh = cli("--workspace", tj.root, "refresh-library", "--json")
    assert refresh.exit_code == 0, refresh.output
    truth = tj.truth()
    cached = {(e.creative_id, e.filename, e.creative_type, e.review_status) for e in tj.cache()}
    assert cached == {(str(c["id"]), c["name"], _place(c), c["status"]) for c in truth}

    sync = cli("--workspace", tj.root, "sync-status", "--json")
    assert sync.exit_code == 0, sync.output
    status_of = {str(c["id"]): c["status"] for c in truth}
    rows = inventory.load(tj.ws.inventory_csv)
    assert {r["unique_id"]: r["tj_review_status"] for r in rows} == {
        r["unique_id"]: status_of[r["tj_creative_id"]] for r in rows
    }
    assert {r["tj_review_status"] for r in rows} == {"approved", "rejected", "pending"}
    assert Path(tj.rows[0]["new_filename"]).stem in {c["name"] for c in truth}
