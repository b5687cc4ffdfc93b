"""The CLI's command index names every command, so a run imports only what it needs."""

from __future__ import annotations

import typer

from automation import commands
from automation.cli import build_app, command_word


def test_command_index_matches_what_modules_register() -> None:
    registered: dict[str, str] = {}
    for name in commands.COMMAND_MODULES:
        group = typer.main.get_command(build_app((name,)))
        for command in getattr(group, "commands", {}):
            registered[command] = name
    assert registered == commands.COMMAND_INDEX


def test_command_word_skips_global_options_and_their_values() -> None:
    assert command_word(["--workspace", "ws", "-v", "process", "--native"]) == "process"
    assert command_word(["--env-file", "x.env", "doctor"]) == "doctor"
    assert command_word(["--version"]) is None


def test_help_lists_every_command(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--help")
    assert result.exit_code == 0
    for name in commands.COMMAND_INDEX:
        assert name in result.stdout
