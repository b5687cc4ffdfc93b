"""One `process` run per workspace at a time: a file lock, and a note of the run that holds it.

The lock is the operating system's (`filelock`): it goes with the process, so a run that is
killed never leaves the workspace locked. The note beside it only says who holds it.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from tracking.errors import RecordsError

log = logging.getLogger(__name__)

LOCK_NAME = ".process.lock"
HOLDER_NAME = ".process.holder.json"


class WorkspaceBusy(RecordsError):
    """Another process run holds the workspace (raised when not waiting for it)."""


def lock_path(root: Path) -> Path:
    """The lock file of a workspace."""
    return root / LOCK_NAME


def holder_text(root: Path) -> str:
    """Who holds the workspace, as a person reads it ('pid 4242, process --native, since ...')."""
    try:
        data = json.loads((root / HOLDER_NAME).read_text(encoding="utf-8"))
        return f"pid {data['pid']}, {data['command']}, since {data['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "a run that is just starting"


@contextmanager
def process_lock(
    root: Path,
    *,
    command: str,
    wait: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the workspace's process lock for the block.

    When another run holds it: with `wait`, `on_wait` gets one line saying so and the call
    blocks until the lock is free; without, WorkspaceBusy says which run holds it.
    """
    root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_path(root)))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        holder = holder_text(root)
        if not wait:
            raise WorkspaceBusy(
                f"{root}: another process run holds this workspace ({holder}); wait for it to "
                "finish, or run without --no-wait to wait for it"
            ) from None
        if on_wait is not None:
            on_wait(f"waiting for another process run on {root} to finish ({holder})")
        lock.acquire()
    try:
        _write_holder(root, command)
        yield
    finally:
        (root / HOLDER_NAME).unlink(missing_ok=True)
        lock.release()


def _write_holder(root: Path, command: str) -> None:
    since = datetime.now().isoformat(timespec="seconds")
    note = {"pid": os.getpid(), "command": command, "since": since}
    temp = root / f"{HOLDER_NAME}.{os.getpid()}"
    temp.write_text(json.dumps(note), encoding="utf-8")
    os.replace(temp, root / HOLDER_NAME)
