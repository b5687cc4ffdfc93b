"""The demo's closing lines: the commands it suggests work for the workspace it used."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.demo.summary import next_commands, outputs
from tracking.workspace import Workspace


def test_the_suggested_rerun_names_a_custom_workspace(tmp_path: Path) -> None:
    [rerun] = [line for line in next_commands(Workspace(tmp_path / "ws")) if "again" in line]
    assert rerun.startswith(f"creative-flow demo -w {tmp_path / 'ws'} ")


def test_the_default_workspace_needs_no_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    [rerun] = [line for line in next_commands(Workspace(Path("demo-workspace"))) if "again" in line]
    assert rerun.split("#")[0].strip() == "creative-flow demo"


def test_outputs_list_the_mass_create_records(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    (workspace.records / "mass_create").mkdir(parents=True)
    assert ("mass-create runs", str(workspace.records / "mass_create")) in outputs(workspace, {})
