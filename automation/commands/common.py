"""What commands share: the app context, the console, JSON output, browser flags."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from automation.commands import READS_WORKSPACE
from automation.errors import ConfigError
from automation.settings import Settings
from tracking.workspace import Workspace

if TYPE_CHECKING:
    from rich.table import Table

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@dataclass
class AppContext:
    """Settings and global flags, handed to every command through Typer's context."""

    settings: Settings
    verbose: bool = False

    @property
    def workspace(self) -> Workspace:
        return Workspace(self.settings.workspace)


def app_context(ctx: typer.Context) -> AppContext:
    """The AppContext the root callback stored."""
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext), "root callback did not run"
    if ctx.info_name in READS_WORKSPACE and not obj.settings.workspace.is_dir():
        raise ConfigError(
            f"workspace {obj.settings.workspace}: no such folder; pass -w with the folder "
            "that holds inbox/ and records/ (or run `creative-flow process` to start one)"
        )
    return obj


def print_whole(table: Table, target: Console | None = None) -> None:
    """A table at its natural width, wider than the terminal when it must be.

    Rich would fit it to the terminal by cutting or wrapping cells; a file name cut in the
    middle cannot be copied. A wider table lets the terminal wrap the line, never the name.
    """
    from rich.measure import Measurement

    target = target or console
    natural = Measurement.get(target, target.options.update_width(10_000), table).maximum
    if natural <= target.width:
        target.print(table)
        return
    wide = Console(
        file=target.file,
        width=natural,
        highlight=False,
        color_system=target.color_system,  # type: ignore[arg-type]
        force_terminal=target.is_terminal,
        no_color=target.no_color,
    )
    wide.print(table, crop=False)


_JSON_PRINTED: list[bool] = [False]


def print_json(data: Any) -> None:
    """Machine-readable output on stdout (no colour, no wrapping)."""
    typer.echo(json.dumps(data, indent=2, default=str))
    _JSON_PRINTED[0] = True


def json_printed() -> bool:
    """Whether this run already printed its JSON result (so an error goes to stderr)."""
    return _JSON_PRINTED[0]


def forget_json_printed() -> None:
    """Start a new run (the CLI runs in-process in tests)."""
    _JSON_PRINTED[0] = False


# Browser flags every browser command takes.
HeadedOpt = Annotated[bool, typer.Option("--headed", help="Show the browser window.")]
SlowmoOpt = Annotated[
    int | None, typer.Option("--slowmo", metavar="MS", help="Slow every browser action by MS.")
]
TraceOpt = Annotated[
    bool, typer.Option("--trace", help="Record a Playwright trace into the run's artifacts.")
]
DebugOpt = Annotated[
    bool,
    typer.Option("--debug", help="Headed + slow-mo + trace, and pause on failure with the page."),
]
# One default for every command that retries transient failures (upload, fetch, exo-ads).
DEFAULT_RETRIES = 2
RetriesOpt = Annotated[
    int,
    typer.Option(
        "--retries", min=0, help="Retries of transient failures (network, server errors)."
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
# Scaling out: the broker that fetch, process, mass-create and upload queue their work on.
QueueUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--queue",
        metavar="REDIS_URL",
        help="Queue the work for `creative-flow worker` on this Redis (default: "
        "CREATIVE_FLOW_BROKER; none set: run here).",
    ),
]
DetachOpt = Annotated[
    bool,
    typer.Option(
        "--detach",
        help="With a queue: exit once the work is queued; `creative-flow queue status` follows it.",
    ),
]
LiveOpt = Annotated[
    bool,
    typer.Option(
        "--live/--dry-run",
        help="--live acts on the platform; --dry-run (the default) shows the plan, sends nothing.",
        show_default=False,
    ),
]


def browser_settings(
    settings: Settings, *, headed: bool, slowmo: int | None, trace: bool, debug: bool
) -> Settings:
    """Settings with the browser flags of one command applied."""
    return settings.with_overrides(
        headless=False if (headed or debug) else None,
        slowmo_ms=slowmo if slowmo is not None else (250 if debug else None),
        trace=True if (trace or debug) else None,
        debug=True if debug else None,
    )
