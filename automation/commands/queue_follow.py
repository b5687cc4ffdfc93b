"""Following queued jobs from a command: a progress bar while the workers run them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from automation.commands.common import console, err_console, print_json
from automation.settings import Settings
from automation.wording import plural

if TYPE_CHECKING:
    from automation.queue.client import QueueClient, Request
    from automation.queue.jobs import Job


def open_client(settings: Settings) -> QueueClient:
    """A queue client on the settings' broker; one clear line when Redis cannot be reached."""
    import redis

    from automation.commands.queue import broker_unreachable
    from automation.queue.client import QueueClient

    client = QueueClient(settings)
    try:
        client.board.client.ping()
    except redis.RedisError as exc:
        raise broker_unreachable(settings.broker_url, exc) from None
    return client


def queue_and_follow(
    settings: Settings,
    requests: Sequence[Request],
    noun: str,
    what: str,
    *,
    detach: bool,
    as_json: bool,
    before: Callable[[], object] | None = None,
) -> list[Job] | None:
    """Queue `requests` and, unless detached, follow them until settled; None when detached.

    `before` runs once the broker is reached and before anything is queued.
    """
    client = open_client(settings)
    try:
        if before is not None:
            before()
        job_ids = client.enqueue(requests)
        say_queued(job_ids, noun, detached=detach, as_json=as_json)
        if detach:
            return None
        return follow(client, job_ids, what, show_progress=not as_json)
    finally:
        client.close()


def follow(client: QueueClient, job_ids: list[str], what: str, show_progress: bool) -> list[Job]:
    """Wait for `job_ids` with a bar on stderr ('processing 3/24, 2 running'); returns the jobs."""
    from automation.queue.jobs import SETTLED, JobState

    columns = (
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
    )  # fmt: skip
    with Progress(*columns, console=err_console, transient=True, disable=not show_progress) as bar:
        task = bar.add_task(f"{what}: queued", total=len(job_ids))

        def moved(jobs: Sequence[Job]) -> None:
            running = sum(1 for job in jobs if job.state is JobState.RUNNING)
            settled = sum(1 for job in jobs if job.state in SETTLED)
            bar.update(task, completed=settled, description=f"{what}: {running} running")

        try:
            return client.follow(job_ids, on_change=moved)
        except KeyboardInterrupt:
            # Only the following stops: the jobs are the workers' now.
            err_console.print(
                f"stopped following; the queued {what} goes on in the workers "
                "(`creative-flow queue status` shows it)",
                markup=False,
            )
            raise


def say_queued(job_ids: list[str], noun: str, *, detached: bool, as_json: bool) -> None:
    """What a user sees once the work is queued: the result when detached, else a note."""
    line = f"queued {plural(len(job_ids), noun)} for the workers"
    if not detached:
        if not as_json:
            err_console.print(line, markup=False)
        return
    if as_json:
        print_json({"queued": len(job_ids), "jobs": job_ids})
    else:
        console.print(f"{line}; follow them with `creative-flow queue status`", markup=False)
