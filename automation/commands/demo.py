"""`creative-flow demo`: the whole flow on the built-in sandbox, in one command."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from automation.commands.common import HeadedOpt, SlowmoOpt
from automation.errors import ExitCode
from tracking.workspace import Workspace


def register(app: typer.Typer) -> None:
    @app.command()
    def demo(
        ctx: typer.Context,
        workspace: Annotated[
            Path | None,
            typer.Option(
                "--workspace", "-w", help="Demo workspace folder.", show_default="./demo-workspace"
            ),
        ] = None,
        fresh: Annotated[
            bool, typer.Option("--fresh", help="Start over: wipe the demo workspace first.")
        ] = False,
        headed: HeadedOpt = False,
        slowmo: SlowmoOpt = None,
    ) -> None:
        """Run the whole flow on a local sandbox platform: no account or network needed.

        Fetches sample media, processes it into native pairs and pre-rolls, signs in, uploads,
        refreshes the library, syncs review statuses, writes campaign CSVs, applies one, and
        writes the HTML report. Running it again shows every step as already done.

        Example: creative-flow demo --fresh
        """
        from automation.demo import DEFAULT_WORKSPACE, STEPS, run_demo
        from automation.demo.summary import print_summary

        root_params = ctx.find_root().params
        root = workspace or root_params.get("workspace") or DEFAULT_WORKSPACE
        # The steps run the product's commands with --env-file, which must exist: without a
        # .env here they get an empty one.
        env_file = root_params.get("env_file") or (
            Path(".env") if Path(".env").is_file() else Path(os.devnull)
        )
        flags = (["--headed"] if headed else []) + (
            ["--slowmo", str(slowmo)] if slowmo is not None else []
        )
        # Bound now: the steps capture sys.stdout while the product's commands run.
        console = Console(file=sys.stdout, highlight=False)
        console.print(f"[bold]creative-flow demo[/] in {root} (sandbox on 127.0.0.1)")
        started = time.monotonic()
        result = run_demo(
            Path(root), fresh=fresh, console=console, env_file=env_file, browser_flags=flags
        )
        titles = {s.key: s.title for s in STEPS}
        print_summary(
            console, Workspace(result.workspace), dict(result.outcomes), titles,
            result.facts, time.monotonic() - started,
        )  # fmt: skip
        if not result.ok:
            console.print("[red]Some steps failed[/]; their lines above say why.")
            raise typer.Exit(ExitCode.PARTIAL)
