"""The dry-run plan a person reads: rows told apart, names whole, counts in good English."""

from __future__ import annotations

import json
from pathlib import Path

from tests.exoclick.conftest import Creative, add_creatives
from tests.fixtures.media import make_image
from tests.upload.workspace import TJWorkspace
from tracking.workspace import Workspace


def test_plan_rows_show_id_type_and_whole_names(cli, tj: TJWorkspace, monkeypatch):
    ids = tj.banners(10, prefix="SpringSaleCampaignLongDescription")
    monkeypatch.setenv("COLUMNS", "80")  # a terminal narrower than the names

    result = cli("--workspace", tj.root, "upload")

    assert result.exit_code == 0, result.output
    text = result.stdout
    for unique_id in ids:
        assert unique_id in text
    for row in tj.rows:
        assert row["new_filename"] in text, "a file name is never cut or wrapped"
    assert "10 files in 1 batch;" in text


def test_one_file_is_singular(cli, tj: TJWorkspace):
    tj.banners(1)

    result = cli("--workspace", tj.root, "upload")

    assert "1 file in 1 batch;" in result.stdout


def test_a_spec_failure_names_the_process_command_that_fixes_it(cli, workspace: Path):
    # Made to TrafficJunky's specs (the default): a 300x250 PNG over ExoClick's 150,000 bytes.
    banner = make_image(
        Workspace(workspace).processed / "EN_Cat_MFT_Both_NA_Big_Bob_ID-0000BEEF.png",
        width=300,
        height=250,
        noisy=True,
    )
    assert banner.stat().st_size > 150_000
    add_creatives(workspace, [Creative("ID-0000BEEF", banner, "banner")])

    result = cli("--workspace", workspace, "upload", "--platform", "exoclick")

    assert "150,000-byte limit" in result.stdout
    assert "creative-flow process --platform trafficjunky,exoclick" in result.stderr
    as_json = cli("--workspace", workspace, "upload", "--platform", "exoclick", "--json")
    [report] = json.loads(as_json.stdout)
    assert "process --platform trafficjunky,exoclick" in report["hint"]
    trafficjunky = cli("--workspace", workspace, "upload", "--json")
    assert json.loads(trafficjunky.stdout)[0]["hint"] is None


def test_lock_files_stay_in_one_hidden_folder(cli, tj: TJWorkspace):
    tj.banners(2)

    assert cli("--workspace", tj.root, "upload").exit_code == 0

    locks = list(tj.ws.records.rglob("*.lock"))
    assert locks, "records were written under their locks"
    assert {p.parent.name for p in locks} == {".locks"}
