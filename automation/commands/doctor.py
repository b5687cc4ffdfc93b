"""`creative-flow doctor`: check every part the tool needs and say how to fix what is missing."""

from __future__ import annotations

import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import typer
from rich.table import Table

from automation.commands.common import JsonOpt, app_context, console, print_json
from automation.errors import ConfigError, ExitCode
from automation.settings import Settings
from creatives import ffmpeg


@dataclass
class Check:
    """One line of the doctor table."""

    name: str
    ok: bool
    detail: str
    required: bool = True
    fix: str = ""


def check_python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check(
        "python",
        ok,
        f"{platform.python_version()} ({sys.executable})",
        fix="install Python 3.11 or newer",
    )


def check_tool(name: str) -> Check:
    version = ffmpeg.tool_version(name)
    if version is None:
        return Check(
            name,
            False,
            "not found on PATH",
            fix="install ffmpeg: 'sudo apt-get install ffmpeg' or 'brew install ffmpeg'",
        )
    return Check(name, True, f"{version} ({ffmpeg.find_tool(name)})")


def check_chromium(settings: Settings) -> Check:
    # Playwright loads only when the check runs, not for --help.
    from playwright.sync_api import sync_playwright

    from automation.browser import find_chromium, launch_options

    fix = "run 'make setup', or 'apt-get install chromium', or set CREATIVE_FLOW_CHROMIUM"
    try:
        info = find_chromium(settings)
    except ConfigError as exc:
        return Check("chromium", False, str(exc), fix=fix)
    if info is None:
        return Check("chromium", False, "not found", fix=fix)
    started = time.monotonic()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(**{**launch_options(settings, p), "headless": True})
            page = browser.new_page()
            page.set_content("<title>ok</title>")
            version = browser.version
            browser.close()
    except Exception as exc:
        return Check(
            "chromium", False, f"{info.path} does not launch: {exc}".splitlines()[0], fix=fix
        )
    seconds = time.monotonic() - started
    return Check(
        "chromium",
        True,
        f"{version} ({info.path}, {info.source}); launched headless in {seconds:.1f} s",
    )


def check_workspace(root: Path) -> Check:
    try:
        root.mkdir(parents=True, exist_ok=True)
        probe = root / f".doctor-{os.getpid()}"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        return Check(
            "workspace",
            False,
            f"{root.resolve()}: {exc.strerror}",
            fix="choose a writable folder with --workspace or CREATIVE_FLOW_WORKSPACE",
        )
    return Check("workspace", True, f"{root.resolve()} (writable)")


def check_env_file(path: Path) -> Check:
    if path.is_file():
        return Check(".env", True, f"{path.resolve()}", required=False)
    return Check(
        ".env",
        False,
        "none (settings from the environment only)",
        required=False,
        fix="copy .env.example to .env to keep credentials and URLs",
    )


def check_sessions(sessions_dir: Path) -> Check:
    files = sorted(sessions_dir.glob("*.json")) if sessions_dir.is_dir() else []
    if not files:
        return Check(
            "sessions",
            False,
            "none saved",
            required=False,
            fix="run 'creative-flow login trafficjunky' before live uploads",
        )
    from automation.browser import session_age_s

    parts = []
    for path in files:
        age = session_age_s(path) or 0.0
        parts.append(f"{path.stem} ({_age_text(age)} old)")
    return Check("sessions", True, ", ".join(parts), required=False)


def _age_text(seconds: float) -> str:
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def run_checks(settings: Settings, env_file: Path) -> list[Check]:
    """Every check, in table order."""
    return [
        check_python(),
        check_tool("ffmpeg"),
        check_tool("ffprobe"),
        check_chromium(settings),
        check_workspace(settings.workspace),
        check_env_file(env_file),
        check_sessions(settings.sessions_dir),
    ]


def _render(checks: list[Check]) -> None:
    table = Table(title="creative-flow doctor", show_lines=False)
    table.add_column("check")
    table.add_column("status")
    table.add_column("detail")
    for c in checks:
        status = (
            "[green]ok[/]" if c.ok else ("[red]MISSING[/]" if c.required else "[yellow]note[/]")
        )
        detail = c.detail if c.ok else f"{c.detail}; fix: {c.fix}" if c.fix else c.detail
        table.add_row(c.name, status, detail)
    console.print(table)


def register(app: typer.Typer) -> None:
    @app.command()
    def doctor(ctx: typer.Context, json_out: JsonOpt = False) -> None:
        """Check Python, ffmpeg, Chromium, the workspace, .env and saved sessions.

        Example: creative-flow doctor
        """
        state = app_context(ctx)
        env_file = ctx.find_root().params.get("env_file") or Path(".env")
        checks = run_checks(state.settings, env_file)
        if json_out:
            print_json([c.__dict__ for c in checks])
        else:
            _render(checks)
        failed = [c for c in checks if c.required and not c.ok]
        if failed:
            if not json_out:
                for c in failed:
                    console.print(f"[red]missing[/] {c.name}: {c.fix}")
            raise typer.Exit(ExitCode.USAGE)
