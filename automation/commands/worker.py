"""`creative-flow worker`: a Celery worker that runs queued fetch, process and browser jobs."""

from __future__ import annotations

import os
import socket
from typing import Annotated

import typer

from automation.commands.common import QueueUrlOpt, app_context
from automation.errors import ConfigError

KINDS = ("fetch", "process", "browser")


def parse_kinds(text: str) -> list[str]:
    """--queues: a comma list of fetch, process, browser."""
    kinds = [k.strip().lower() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ConfigError(f"--queues {text!r}: use a comma list of {', '.join(KINDS)}")
    return list(dict.fromkeys(kinds))


def register(app: typer.Typer) -> None:
    @app.command()
    def worker(
        ctx: typer.Context,
        queues: Annotated[
            str, typer.Option("--queues", "-Q", help="Kinds of work to take, comma-separated.")
        ] = ",".join(KINDS),
        concurrency: Annotated[
            int | None,
            typer.Option("--concurrency", "-c", min=1, help="Jobs at once (default: CPU count)."),
        ] = None,
        name: Annotated[
            str | None,
            typer.Option("--name", "-n", help="Worker name (default: creative-flow-PID@HOST)."),
        ] = None,
        loglevel: Annotated[
            str, typer.Option("--loglevel", "-l", help="Celery's log level.")
        ] = "info",
        broker: QueueUrlOpt = None,
    ) -> None:
        """Run queued jobs of this workspace until stopped (Celery's own worker).

        Start as many as you like, on this machine or others that share the workspace folder;
        Ctrl-C finishes the running jobs first (twice: stop now; they run again elsewhere).

        Example: creative-flow worker --queues fetch,process --concurrency 2
        """
        from automation.queue import worker_app

        state = app_context(ctx)
        settings = state.settings.with_overrides(broker_url=broker, keep_browser=True)
        kinds = parse_kinds(queues)
        celery_app = worker_app.build(settings)
        # Tools the worker runs (ffmpeg, yt-dlp, Chromium) find the workspace the same way.
        os.environ["CREATIVE_FLOW_WORKSPACE"] = str(settings.workspace)
        argv = ["worker", "--queues", ",".join(kinds), "--loglevel", loglevel]
        argv += ["--hostname", name or f"creative-flow-{os.getpid()}@{socket.gethostname()}"]
        if concurrency is not None:
            argv += ["--concurrency", str(concurrency)]
        celery_app.worker_main(argv)
