"""Every command the demo's summary suggests is one the CLI accepts as written."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
import typer

from automation.cli import parse_only
from automation.demo.summary import next_commands
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
        # Parsed as a run would parse it, every value converted and checked; nothing runs.
        try:
            parse_only(args)
        except typer.Exit as exc:  # --help or --version: printed, nothing run
            assert exc.exit_code == 0
        except typer.exceptions.TyperException as exc:
            pytest.fail(f"creative-flow {' '.join(args)}: {exc}")
