"""Every `creative-flow ...` example in the README is accepted by the CLI as written."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
import typer

from automation.cli import parse_only
from tests.fixtures.env import assert_parses

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_commands() -> list[list[str]]:
    """The argv of each example in the README's shell blocks (continuations joined)."""
    commands: list[list[str]] = []
    in_block, pending = False, ""
    for line in README.read_text().splitlines():
        if line.startswith("```"):
            in_block = line.strip() == "```sh"
            continue
        if not in_block:
            continue
        text = pending + line
        if text.rstrip().endswith("\\"):
            pending = text.rstrip()[:-1] + " "
            continue
        pending = ""
        words = shlex.split(text, comments=True)
        if words and words[0] == "creative-flow" and not any(w.startswith("<") for w in words):
            commands.append(words[1:])
    return commands


def test_readme_has_examples() -> None:
    assert len(readme_commands()) >= 15


def test_every_readme_example_parses(cli: Any) -> None:
    for args in readme_commands():
        assert_parses(args)


def test_a_bad_value_in_an_example_would_be_caught() -> None:
    with pytest.raises(typer.exceptions.TyperException, match="greater than or equal to 1"):
        parse_only(["upload", "--limit", "-5"])
