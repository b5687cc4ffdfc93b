"""`upload`, `refresh-library` and `sync-status` with `--platform exoclick`, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.exoclick.conftest import ExoSandbox, make_creatives
from tracking import inventory
from tracking.library_cache import LibraryCache, library_key
from tracking.workspace import Workspace


def run(exo: ExoSandbox, cli, workspace: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("--workspace", workspace, "--env-file", exo.env_file(workspace), *args)


def test_upload_is_a_dry_run_until_live(exo: ExoSandbox, cli, workspace: Path):
    creatives = make_creatives(workspace, 1)
    dry = run(exo, cli, workspace, "upload", "--platform", "exoclick")
    assert dry.exit_code == 0, dry.output
    assert "ExoClick upload plan (dry run)" in dry.stdout
    assert exo.requests() == []

    live = run(exo, cli, workspace, "upload", "--platform", "exoclick", "--live", "--json")
    assert live.exit_code == 0, live.output
    [report] = json.loads(live.stdout)
    truth = {library_key(f["file_name"]): f for f in exo.truth()["files"]}
    got = {f["unique_id"]: f["creative_id"] for f in report["files"]}
    assert got == {c.unique_id: str(truth[library_key(c.path.name)]["id"]) for c in creatives}

    again = run(exo, cli, workspace, "upload", "--platform", "exoclick", "--live", "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)[0]["files"] == []  # nothing left to upload
    assert len(exo.truth()["files"]) == len(creatives)


def test_refresh_library_rebuilds_the_cache_from_every_page(
    exo_variant: ExoSandbox, cli, workspace: Path
):
    exo = exo_variant
    exo.control("files", {"count": 130, "type": "image"})
    exo.control("files", {"count": 50, "type": "video", "prefix": "clip"})
    exo.review([4_810_001, 4_810_002], "approved")
    exo.review([4_810_003], "rejected")
    exo.review([4_810_004], 7)  # an integer the tool's table does not know
    result = run(exo, cli, workspace, "refresh-library", "--platform", "exoclick", "--json")
    assert result.exit_code == 0, result.output

    cache = LibraryCache.load(Workspace(workspace).library_csv("exoclick"))
    truth = exo.truth()["files"]
    assert {e.creative_id for e in cache} == {str(f["id"]) for f in truth}
    words = {0: "pending", 1: "approved", 2: "rejected", 7: "status 7"}
    for file in truth:
        entry = cache.by_id(str(file["id"]))
        assert entry is not None
        assert entry.filename == library_key(file["file_name"])
        assert entry.creative_type == file["type"]
        assert entry.review_status == words[file["status"]]
    assert cache.by_id("4810001").dimensions == "300x250"  # type: ignore[union-attr]
    assert [e.review_status for e in cache if e.review_status == "approved"] == ["approved"] * 2
    assert "ExoClick status 7 is not in the tool's table" in result.stderr


def test_sync_status_pulls_review_statuses_into_the_inventory(
    exo_variant: ExoSandbox, cli, workspace: Path
):
    exo = exo_variant
    creatives = make_creatives(workspace, 1)
    assert run(exo, cli, workspace, "upload", "-p", "exoclick", "--live").exit_code == 0
    rows = {r["unique_id"]: r for r in inventory.load(Workspace(workspace).inventory_csv)}
    approve, reject = creatives[0].unique_id, creatives[2].unique_id
    exo.review([int(rows[approve]["exo_creative_id"])], "approved")
    exo.review([int(rows[reject]["exo_creative_id"])], "rejected")

    result = run(exo, cli, workspace, "sync-status", "--platform", "exoclick")
    assert result.exit_code == 0, result.output
    rows = {r["unique_id"]: r for r in inventory.load(Workspace(workspace).inventory_csv)}
    assert rows[approve]["exo_review_status"] == "approved"
    assert rows[reject]["exo_review_status"] == "rejected"
    assert {rows[c.unique_id]["exo_review_status"] for c in creatives[3:]} == {"pending"}
    assert {rows[c.unique_id]["tj_review_status"] for c in creatives} == {""}


def test_a_refused_api_token_stops_with_one_line(exo: ExoSandbox, cli, workspace: Path):
    make_creatives(workspace, 1)
    env = exo.env_file(workspace)
    env.write_text(env.read_text().replace("EXO_API_TOKEN=", "EXO_API_TOKEN=wrong-"))
    result = cli("--workspace", workspace, "--env-file", env, "upload", "-p", "exoclick", "--live")
    assert result.exit_code == 3
    assert "Invalid API token" in result.stderr and "EXO_API_TOKEN" in result.stderr
    assert "wrong-" not in result.output
    assert exo.truth()["files"] == []


def test_a_renamed_api_field_stops_with_one_line_naming_it(exo: ExoSandbox, cli, workspace: Path):
    make_creatives(workspace, 1)
    exo.exo_switches(rename_fields={"file_name": "filename"})
    result = run(exo, cli, workspace, "upload", "-p", "exoclick", "--live")
    assert result.exit_code != 0
    assert "no 'file_name' field" in result.output and "site-check exoclick" in result.output
    assert "Traceback" not in result.output
    rows = inventory.load(Workspace(workspace).inventory_csv)
    assert {r["exo_creative_id"] for r in rows} == {""}, "no id is recorded unproven"
