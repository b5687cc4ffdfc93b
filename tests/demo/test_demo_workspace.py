"""The demo only ever works in, and only ever wipes, a folder it made itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.demo import prepare_workspace
from automation.demo.runner import MARKER
from automation.errors import ConfigError


def test_a_new_folder_becomes_a_marked_demo_workspace(tmp_path: Path) -> None:
    root = tmp_path / "demo-workspace"
    ws = prepare_workspace(root, fresh=False)
    assert (root / MARKER).is_file()
    assert ws.inbox.is_dir() and ws.records.is_dir()


def test_fresh_wipes_what_an_earlier_demo_left(tmp_path: Path) -> None:
    root = tmp_path / "demo-workspace"
    prepare_workspace(root, fresh=False)
    (root / "records" / "inventory.csv").write_text("unique_id,new_filename\n")
    (root / "sandbox.db").write_bytes(b"state")
    prepare_workspace(root, fresh=True)
    assert not (root / "sandbox.db").exists()
    assert not (root / "records" / "inventory.csv").exists()
    assert (root / MARKER).is_file()


def test_without_fresh_an_earlier_demo_is_kept(tmp_path: Path) -> None:
    root = tmp_path / "demo-workspace"
    prepare_workspace(root, fresh=False)
    (root / "sandbox.db").write_bytes(b"state")
    prepare_workspace(root, fresh=False)
    assert (root / "sandbox.db").read_bytes() == b"state"


@pytest.mark.parametrize("fresh", [False, True])
def test_a_folder_the_demo_did_not_make_is_left_alone(tmp_path: Path, fresh: bool) -> None:
    root = tmp_path / "workspace"
    (root / "records").mkdir(parents=True)
    (root / "records" / "inventory.csv").write_text("unique_id,new_filename\n")
    with pytest.raises(ConfigError, match="did not make"):
        prepare_workspace(root, fresh=fresh)
    assert (root / "records" / "inventory.csv").is_file()
    assert not (root / MARKER).exists()
