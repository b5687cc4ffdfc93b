"""Failures with a cause we can name end in one line saying what to do, with their exit code."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import pytest

from automation.cli import invoke
from automation.errors import EXIT_CODE_CAUSES, ExitCode
from tests.upload.workspace import TJWorkspace


def _one_line(output: str) -> str:
    """The one error line (a command may say before it that it stopped early)."""
    lines = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, output
    assert "Traceback" not in output, output
    return lines[0]


@pytest.mark.parametrize("damage", [b'{"cookies": [', b"\xff\xfe", b"[]"])
def test_a_damaged_session_file_says_to_log_in_again(cli, tj: TJWorkspace, damage: bytes):
    tj.banners(1)
    tj.ws.session_file("trafficjunky").write_bytes(damage)

    result = cli("--workspace", tj.root, "upload", "--live")

    assert result.exit_code == ExitCode.AUTH_REQUIRED, result.output
    line = _one_line(result.output)
    assert "trafficjunky.json" in line and "log in again" in line
    assert "unexpected" not in line


def test_unwritable_records_name_the_folder_and_the_permission(
    cli, tj: TJWorkspace, monkeypatch: pytest.MonkeyPatch
):
    tj.banners(1)
    before = tj.ws.inventory_csv.read_bytes()
    real = tempfile.mkstemp

    def refused(*args, **kwargs):  # type: ignore[no-untyped-def]
        # As a folder without write permission answers (tests may run as root, which
        # ignores the mode bits).
        if Path(str(kwargs.get("dir", ""))).is_relative_to(tj.ws.records):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refused)

    result = cli("--workspace", tj.root, "upload")

    assert result.exit_code == ExitCode.RECORDS, result.output
    line = _one_line(result.output)
    assert "records" in line and "Permission denied" in line and "chmod u+rwx" in line
    assert "unexpected" not in line
    assert tj.ws.inventory_csv.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_a_read_only_records_folder_is_one_line(cli, tj: TJWorkspace):
    tj.banners(1)
    uploads = tj.ws.uploads_dir
    uploads.mkdir(parents=True, exist_ok=True)
    uploads.chmod(0o500)
    try:
        result = cli("--workspace", tj.root, "upload")
    finally:
        uploads.chmod(0o700)
    assert result.exit_code == ExitCode.RECORDS, result.output
    assert str(uploads) in _one_line(result.output)


def test_help_documents_every_exit_code(capsys: pytest.CaptureFixture[str]):
    assert invoke(["--help"]) == 0
    text = " ".join(capsys.readouterr().out.replace("│", " ").split())
    for code in ExitCode:
        assert f"{int(code)} {EXIT_CODE_CAUSES[code]}" in text
