"""Record files are replaced atomically and keep the permissions a user expects."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tracking.csvstore import append_rows, atomic_write_text, read_rows
from tracking.schemas import LIBRARY


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_record_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        append_rows(tmp_path / "c.csv", LIBRARY, [{"creative_id": "1000000010", "filename": "a"}])
    finally:
        os.umask(old)
    assert _mode(tmp_path / "c.csv") == 0o644


def test_rewrite_keeps_a_files_own_permissions(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    atomic_write_text(path, "creative_id,filename\n")
    path.chmod(0o640)
    append_rows(path, LIBRARY, [{"creative_id": "1000000010", "filename": "a"}])
    assert _mode(path) == 0o640
    assert [r["creative_id"] for r in read_rows(path, LIBRARY)] == ["1000000010"]


def test_explicit_private_mode_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "session.json"
    atomic_write_text(path, "{}", mode=0o600)
    assert _mode(path) == 0o600


def test_no_temporary_file_is_left_behind(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "a.csv", "x\n")
    assert [p.name for p in tmp_path.iterdir()] == ["a.csv"]
