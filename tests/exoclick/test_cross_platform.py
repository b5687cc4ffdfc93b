"""`upload --platform all`: each platform's failure is its own; both end with proven IDs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.exoclick.conftest import Creative, ExoSandbox, make_creatives
from tracking import inventory
from tracking.library_cache import library_key
from tracking.workspace import Workspace


def run(exo: ExoSandbox, cli, workspace: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("--workspace", workspace, "--env-file", exo.env_file(workspace), *args)


def recorded(workspace: Path, column: str) -> dict[str, str]:
    rows = inventory.load(Workspace(workspace).inventory_csv)
    return {r["unique_id"]: r[column] for r in rows}


def exo_truth_ids(exo: ExoSandbox, creatives: list[Creative]) -> dict[str, str]:
    files: dict[str, list[int]] = {}
    for f in exo.truth()["files"]:
        files.setdefault(library_key(f["file_name"]), []).append(f["id"])
    assert all(len(ids) == 1 for ids in files.values()), "a file is on ExoClick twice"
    return {c.unique_id: str(files[library_key(c.path.name)][0]) for c in creatives}


def tj_truth_ids(exo: ExoSandbox, creatives: list[Creative]) -> dict[str, str]:
    cards: dict[str, list[int]] = {}
    for card in exo.sandbox.truth()["creatives"]:
        cards.setdefault(card["name"], []).append(card["id"])
    assert all(len(ids) == 1 for ids in cards.values()), "a file is on TrafficJunky twice"
    return {c.unique_id: str(cards[library_key(c.path.name)][0]) for c in creatives}


@pytest.mark.slow
@pytest.mark.browser
def test_upload_all_isolates_a_failing_platform_then_completes_both(
    exo: ExoSandbox, cli, workspace: Path
):
    creatives = make_creatives(workspace, 1)
    exo.sandbox.switches(captcha=False)

    # No TrafficJunky session: that platform stops; ExoClick still uploads everything.
    first = run(exo, cli, workspace, "upload", "--platform", "all", "--live")
    assert first.exit_code == 3, first.output
    assert "login trafficjunky" in first.stderr
    assert "TrafficJunky: stopped early" in first.stdout
    assert "nothing to upload" not in first.stdout
    assert first.stdout.count("status: ") == 1, "both platforms write one run's status file"
    assert recorded(workspace, "exo_creative_id") == exo_truth_ids(exo, creatives)
    assert set(recorded(workspace, "tj_creative_id").values()) == {""}
    assert exo.sandbox.truth()["creatives"] == []

    # Logged in, the rerun puts them on TrafficJunky; ExoClick has nothing left to send.
    exo.sandbox.write_session(workspace)
    posts_before = len(exo.requests("POST", "/exo/v2/library/file"))
    second = run(exo, cli, workspace, "upload", "--platform", "all", "--live")
    assert second.exit_code == 0, second.output
    assert len(exo.requests("POST", "/exo/v2/library/file")) == posts_before
    assert recorded(workspace, "tj_creative_id") == tj_truth_ids(exo, creatives)
    assert recorded(workspace, "exo_creative_id") == exo_truth_ids(exo, creatives)


@pytest.mark.slow
@pytest.mark.browser
def test_an_exoclick_outage_does_not_stop_trafficjunky(exo: ExoSandbox, cli, workspace: Path):
    creatives = make_creatives(workspace, 1)
    exo.sandbox.write_session(workspace)
    exo.switches(error_rate=1.0, error_routes=["/exo/v2"])
    result = run(exo, cli, workspace, "upload", "--platform", "all", "--live", "--retries", "0")
    exo.switches(error_rate=0.0)
    assert result.exit_code != 0
    assert "ExoClick API" in result.stderr and "500" in result.stderr
    assert recorded(workspace, "tj_creative_id") == tj_truth_ids(exo, creatives)
    assert set(recorded(workspace, "exo_creative_id").values()) == {""}
    assert exo.truth()["files"] == []


def test_a_broken_cache_file_stops_only_its_own_platform(exo: ExoSandbox, cli, workspace: Path):
    creatives = make_creatives(workspace, 1)
    broken = Workspace(workspace).library_csv("trafficjunky")
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text(
        "creative_id,filename,upload_date,dimensions,file_type,creative_type,review_status\n"
        "not-a-number,Some_Name,,,,static_banner,\n"
    )

    result = run(exo, cli, workspace, "upload", "--platform", "all", "--live")

    assert result.exit_code == 6, result.output
    assert f"{broken}:2" in result.stderr, "the error names the broken line"
    assert recorded(workspace, "exo_creative_id") == exo_truth_ids(exo, creatives)
    assert exo.sandbox.truth()["creatives"] == []
