"""Fetched media is named by what the user says it is, never by the host it came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.fetch.conftest import QUICK, MediaSite
from tracking import folder_defaults
from tracking.workspace import Workspace


def processed_names(cli: Any, workspace: Path) -> tuple[list[str], Any]:
    result = cli("--workspace", workspace, "process", "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    return [name for item in report["planned"] for name in item["outputs"]], report


def test_fetch_naming_options_become_the_folder_defaults(
    cli: Any, workspace: Path, site: MediaSite
) -> None:
    result = cli(
        "--workspace", workspace, "fetch", site.url("/media/clip-3.mp4"),
        "--category", "Cosplay", "--rating", "R", "--creator", "Ann", *QUICK,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ws = Workspace(workspace)
    table = folder_defaults.load(ws.folder_defaults_csv, ws.inbox)
    saved = table["fetched/localhost"]
    assert (saved.category_name, saved.content_type, saved.creator_name) == ("Cosplay", "R", "Ann")

    names, report = processed_names(cli, workspace)
    assert names and all("_Cosplay_" in n and "_R_" in n and "_Ann" in n for n in names)
    assert report["unknown_by_folder"] == {}


def test_the_host_never_becomes_a_category_and_process_says_so_once(
    cli: Any, workspace: Path, site: MediaSite
) -> None:
    urls = [site.url("/media/clip-3.mp4"), site.url("/watch/city-lights")]
    assert cli("--workspace", workspace, "fetch", *urls, *QUICK).exit_code == 0

    names, report = processed_names(cli, workspace)
    assert len(names) >= 2
    assert not any("localhost" in n.lower() for n in names)
    assert report["unknown_by_folder"] == {"fetched/localhost": ["category", "rating"]}

    shown = cli("--workspace", workspace, "process", "--dry-run")
    notes = [line for line in shown.stderr.splitlines() if "unknown, named UNK" in line]
    assert len(notes) == 1, shown.stderr
    assert "inbox/fetched/localhost" in notes[0] and "folder_defaults.csv" in notes[0]
