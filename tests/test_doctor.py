"""`creative-flow doctor` reports every part and fails when a required one is missing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


def test_doctor_reports_every_check_green(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("--workspace", workspace, "doctor")
    assert result.exit_code == 0, result.output
    for name in ("python", "ffmpeg", "ffprobe", "chromium", "workspace", "sessions"):
        assert name in result.stdout
    assert "MISSING" not in result.stdout


def test_doctor_json_lists_checks(cli, workspace: Path) -> None:  # type: ignore[no-untyped-def]
    import json

    result = cli("--workspace", workspace, "doctor", "--json")
    checks = {c["name"]: c for c in json.loads(result.stdout)}
    assert checks["chromium"]["ok"] is True
    assert checks["workspace"]["ok"] is True


def test_doctor_without_ffmpeg_fails_and_says_what_to_install(  # type: ignore[no-untyped-def]
    cli, workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()
    # Keep python and chromium reachable, hide ffmpeg.
    os.symlink(sys.executable, bare / "python3")
    monkeypatch.setenv("PATH", str(bare))
    result = cli("--workspace", workspace, "doctor")
    assert result.exit_code != 0
    assert "ffmpeg" in result.stdout and "apt-get install ffmpeg" in result.stdout


def test_doctor_flags_an_unwritable_workspace(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("--workspace", blocker / "ws", "doctor")
    assert result.exit_code != 0
    assert "workspace" in result.stdout


def test_version_and_unknown_command(cli) -> None:  # type: ignore[no-untyped-def]
    assert "creative-flow" in cli("--version").stdout
    assert cli("no-such-command").exit_code == 2
