"""`creative-flow queue status`: queued, running, failed and done work, by kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer
from rich.table import Table

from automation.commands.common import JsonOpt, QueueUrlOpt, app_context, console, print_json
from automation.errors import ConfigError

HELP = "Show queued, running, failed and done work of the workers, by kind."


def status_data(broker_url: str) -> dict[str, Any]:
    """What `queue status` shows, as data: counts by kind and state, failed and retrying jobs."""
    import redis

    from automation.queue import redis_keys
    from automation.queue.jobs import JobBoard, JobState, counts
    from automation.queue.slots import holders

    board = JobBoard(redis_keys.connect(broker_url))
    try:
        jobs = board.all()
    except redis.RedisError as exc:
        raise broker_unreachable(broker_url, exc) from None
    running = [j for j in jobs if j.state is JobState.RUNNING]
    lost = [j for j in running if not holders(board.client, redis_keys.lease(j.id))]
    return {
        "counts": counts(jobs),
        # Running on the board, but no worker renews their lease: their worker died.
        "lost": [{"kind": j.kind, "job": j.label} for j in lost],
        "failed": [
            {"kind": j.kind, "job": j.label, "error": j.detail}
            for j in jobs
            if j.state is JobState.FAILED
        ],
        "retrying": [
            {"kind": j.kind, "job": j.label, "next_run": _when(j.run_at), "reason": j.detail}
            for j in jobs
            if j.state is JobState.RETRYING
        ],
    }


def broker_unreachable(url: str, exc: Exception) -> ConfigError:
    """The one line a command says when the broker's Redis does not answer."""
    return ConfigError(
        f"cannot reach the broker {redact(url)}: {exc}; start Redis "
        "(redis-server) or fix CREATIVE_FLOW_BROKER / --queue"
    )


def redact(url: str) -> str:
    """A broker URL without its password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":********@")
    return url


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return dt.datetime.fromtimestamp(timestamp).isoformat(timespec="seconds")


def render(data: dict[str, Any]) -> None:
    """The counts table, then one line per failed or waiting job."""
    from automation.queue.jobs import JobState

    table = Table(title="creative-flow queue")
    table.add_column("kind")
    for state in JobState:
        table.add_column(state.value, justify="right")
    for kind, counts in data["counts"].items():
        table.add_row(kind, *(str(counts[state.value]) for state in JobState))
    console.print(table)
    for job in data["retrying"]:
        line = f"retrying at {job['next_run']}: {job['kind']} {job['job']}: {job['reason']}"
        console.print(line, markup=False, soft_wrap=True)
    for job in data["failed"]:
        console.print(f"failed: {job['kind']} {job['job']}: {job['error']}", markup=False)
    for job in data["lost"]:
        console.print(
            f"worker lost: {job['kind']} {job['job']}: it runs again once Redis gives it back "
            "(CREATIVE_FLOW_QUEUE_VISIBILITY_S after it was taken)",
            markup=False,
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    group = typer.Typer(help=HELP, no_args_is_help=True)
    app.add_typer(group, name="queue")

    @group.command("status")
    def status(ctx: typer.Context, broker: QueueUrlOpt = None, json_out: JsonOpt = False) -> None:
        """Show queued, running, retrying, failed and done jobs by kind (fetch, process, browser).

        Example: creative-flow queue status --json
        """
        settings = app_context(ctx).settings.with_overrides(broker_url=broker)
        if not settings.broker_url:
            raise ConfigError(
                "no broker: set CREATIVE_FLOW_BROKER=redis://HOST:6379/0 or pass --queue"
            )
        data = status_data(settings.broker_url)
        if json_out:
            print_json(data)
        else:
            render(data)
