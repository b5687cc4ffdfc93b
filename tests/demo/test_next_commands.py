"""Every command the demo's summary suggests is one the CLI accepts as written."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest

from automation.demo.summary import next_commands
from tests.fixtures.env import assert_parses
from tracking.workspace import Workspace


def suggested_commands(workspace: Workspace) -> list[list[str]]:
    commands = []
    for line in next_commands(workspace):
        text = line.split("#", 1)[0]
        for part in text.split("&&"):
            words = shlex.split(part)
            if words and words[0] == "creative-flow":
                commands.append(words[1:])
    return commands


@pytest.mark.parametrize("root", ["demo-workspace", "elsewhere/ws"])
def test_every_suggested_command_parses(cli: Any, root: str) -> None:
    commands = suggested_commands(Workspace(Path(root)))
    assert len(commands) >= 5
    for args in commands:
        assert_parses(args)
