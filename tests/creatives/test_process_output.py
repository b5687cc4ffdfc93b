"""What `process` prints: file names whole on a narrow terminal, so they can be copied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tracking import inventory


def test_names_are_never_wrapped_on_a_narrow_terminal(
    cli: Any, put: Any, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put("picture.jpg", "inbox/A_Rather_Long_Folder_Name/summer_campaign_picture_final_v2.jpg")
    monkeypatch.setenv("COLUMNS", "60")

    result = cli("--workspace", workspace, "process", "--category", "Summer-Sale-Campaign")

    assert result.exit_code == 0, result.output
    rows = inventory.load(workspace / "records" / "inventory.csv")
    assert rows
    for row in rows:
        assert row["new_filename"] in result.stdout
