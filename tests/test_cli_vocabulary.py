"""What a new user meets first: a fast, honest --help, global flags anywhere, clear refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from automation import commands
from automation.cli import parse_only
from automation.commands.fetch import requests_per_minute

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("pandas", "numpy", "yt_dlp", "playwright", "PIL", "flask", "httpx")
# What a `process` run without a broker never uses: the queue, the stats readers, Click itself
# (Typer carries its own copy), and, under --json, the progress bar and tables.
NOT_FOR_LOCAL_PROCESS = (
    "celery",
    "kombu",
    "click",
    "tracking.performance",
    "automation.commands.queue_follow",
    "rich.progress",
    "rich.table",
)


def heavy_modules_after(argv: list[str], names: tuple[str, ...] = HEAVY) -> list[str]:
    """Which of `names` a fresh interpreter has imported after `creative-flow ARGV`."""
    code = (
        "import sys, contextlib, io\n"
        "from automation.cli import invoke\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    invoke({argv!r})\n"
        f"print(','.join(m for m in {names!r} if m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CREATIVE_FLOW_BROKER"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=env
    )
    return [m for m in done.stdout.strip().split(",") if m]


@pytest.mark.parametrize("argv", [["--help"], ["--version"]])
def test_help_and_version_import_no_heavy_module(argv: list[str]) -> None:
    assert heavy_modules_after(argv) == []


@pytest.mark.parametrize("name", sorted(commands.COMMAND_INDEX))
def test_each_command_help_imports_no_heavy_module(name: str) -> None:
    assert heavy_modules_after([name, "--help"]) == []


def test_a_local_process_run_starts_without_what_it_does_not_use(tmp_path: Path) -> None:
    # Start-up is on the critical path of every batch: each module here costs it milliseconds.
    env_file = tmp_path / "empty.env"
    env_file.write_text("", encoding="utf-8")
    workspace = str(tmp_path / "ws")
    argv = ["--env-file", str(env_file), "-w", workspace, "process", "--native", "--json"]
    assert heavy_modules_after(argv, NOT_FOR_LOCAL_PROCESS) == []


def test_help_shows_the_env_var_and_no_type_on_flags(cli: Any) -> None:
    result = cli("--help")
    assert "CREATIVE_FLOW_WORKSPACE" in result.stdout
    assert "<bool>" not in cli("upload", "--help").stdout


def test_help_lists_each_command_with_its_summary(cli: Any) -> None:
    text = " ".join(cli("--help").stdout.split())
    for name, summary in commands.COMMAND_SUMMARY.items():
        assert f"{name} {summary}" in text
    assert set(commands.COMMAND_SUMMARY) == set(commands.COMMAND_INDEX)


def test_verbose_and_workspace_are_accepted_after_the_command_word(tmp_path: Path) -> None:
    ctx = parse_only(["report", "-v", "-w", str(tmp_path)])
    assert ctx.parent.params["verbose"] is True
    assert ctx.parent.params["workspace"] == tmp_path
    # demo has a --workspace of its own: it keeps it.
    demo = parse_only(["demo", "--workspace", str(tmp_path)])
    assert demo.params["workspace"] == tmp_path


def test_a_missing_env_file_is_one_line_and_a_failure(cli: Any) -> None:
    result = cli("--env-file", "nothere.env", "doctor")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "error: --env-file nothere.env: no such file; create it or leave --env-file out"
    ]


def test_a_click_usage_error_from_a_library_is_a_usage_error(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Celery's worker parses its own options with Click, not with Typer's copy of it.
    import click

    def refuse(**_: Any) -> None:
        raise click.UsageError("no such option: --bogus")

    monkeypatch.setattr("automation.cli.load_settings", refuse)
    result = cli("doctor")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["Error: no such option: --bogus"]


def test_a_missing_workspace_is_refused_by_a_reading_command(cli: Any, tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent" / "ws"
    result = cli("-w", missing, "report")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"workspace {missing}: no such folder" in result.stderr
    assert not missing.exists()


def test_json_errors_are_json(cli: Any, tmp_path: Path) -> None:
    result = cli("report", "--json", "-w", tmp_path / "nope")
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["exit_code"] == 2
    assert "no such folder" in error["error"]
    usage = cli("upload", "--limit", "-5", "--json", "-w", tmp_path)
    assert usage.exit_code == 2
    assert "--limit" in json.loads(usage.stdout)["error"]


@pytest.mark.parametrize("name", ["upload", "mass-create", "exo-ads"])
def test_platform_commands_take_dry_run_and_live(name: str) -> None:
    required = {"exo-ads": ["--campaign", "1", "--target-url", "https://a.example/"]}
    extra = required.get(name, [])
    assert parse_only([name, *extra]).params["live"] is False
    assert parse_only([name, *extra, "--dry-run"]).params["live"] is False
    assert parse_only([name, *extra, "--live"]).params["live"] is True


@pytest.mark.parametrize("name", ["process", "fetch", "campaign-csv"])
def test_local_commands_take_dry_run(name: str) -> None:
    extra = ["--target-url", "https://a.example/"] if name == "campaign-csv" else []
    assert parse_only([name, *extra, "--dry-run"]).params["dry_run"] is True


def test_login_is_headed_by_default_and_headless_stays_an_alias() -> None:
    assert parse_only(["login"]).params["headed"] is True
    assert parse_only(["login", "--headless"]).params["headed"] is False
    assert parse_only(["login", "--headed"]).params["headed"] is True


def test_one_retries_default_everywhere() -> None:
    defaults = {
        parse_only(["upload"]).params["retries"],
        parse_only(["fetch"]).params["retries"],
        parse_only(["exo-ads", "--campaign", "1", "--target-url", "https://a.example/"]).params[
            "retries"
        ],
    }
    assert defaults == {2}


def test_fetch_flags_carry_yt_dlp_s_names_and_keep_the_old_ones() -> None:
    new_flags = ["-a", "urls.txt", "--max-downloads", "3", "--sub-langs", "en"]
    new = parse_only(["fetch", *new_flags, "--sleep-requests", "4"]).params
    old = parse_only(
        ["fetch", "--from-file", "urls.txt", "--max", "3", "--subtitles", "en", "--rate", "15"]
    ).params
    assert new["from_file"] == old["from_file"] == Path("urls.txt")
    assert new["max_files"] == old["max_files"] == 3
    assert new["subtitles"] == old["subtitles"] == "en"
    assert new["sleep_requests"] == 4 and old["rate"] == 15


def test_sleep_requests_is_seconds_between_requests() -> None:
    assert requests_per_minute(None, None) == 30.0  # the default: one every 2 s
    assert requests_per_minute(4.0, None) == 15.0
    assert requests_per_minute(0.0, None) == 0.0  # no limit
    assert requests_per_minute(None, 60.0) == 60.0  # --rate: requests per minute, as before
