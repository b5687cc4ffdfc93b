"""Run `creative-flow ARGS` and kill -9 its process group at a chosen step of its work.

    python -m tests.reliability.kill_hook MODULE QUALNAME N WHEN ARGS...

QUALNAME is a function or `Class.method` of MODULE; the kill happens on its Nth call, as the
call starts (WHEN=before) or as it returns (WHEN=after), so a test stops a run at a moment it
chooses (between a confirm and its recount, say) instead of after a guessed delay.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from automation.cli import invoke


def arm(module_name: str, qualname: str, nth: int, when: str) -> None:
    """Replace the callable by a wrapper that kills the process group on its Nth call."""
    owner: Any = importlib.import_module(module_name)
    *path, attr = qualname.split(".")
    for part in path:
        owner = getattr(owner, part)
    real = getattr(owner, attr)
    calls = 0
    lock = threading.Lock()

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        with lock:
            calls += 1
            hit = calls == nth
        if hit and when == "before":
            os.killpg(os.getpgrp(), signal.SIGKILL)
        value = real(*args, **kwargs)
        if hit:
            os.killpg(os.getpgrp(), signal.SIGKILL)
        return value

    setattr(owner, attr, wrapper)


# Rounds per flow: 10 by default (every suite run); RELIABILITY_ROUNDS=20 for the long run.
ROUNDS = int(os.environ.get("RELIABILITY_ROUNDS", "10"))
LATENCY_MS = 400


def run_killed(
    workspace: Path, args: list[str], step: tuple[str, str, int, str], timeout_s: float = 300
) -> int:
    """Run the CLI with a kill armed at `step` (module, qualname, nth, before/after): its code.

    A run that never reaches the step simply finishes: that is one of the random moments too.
    """
    module, qualname, nth, when = step
    argv = [sys.executable, "-m", "tests.reliability.kill_hook", module, qualname, str(nth),
            when, "--workspace", str(workspace), *args]  # fmt: skip
    proc = subprocess.run(
        argv,
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own group: the kill takes its browser down with it
        timeout=timeout_s,
    )
    return proc.returncode


if __name__ == "__main__":
    arm(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4])
    sys.exit(invoke(sys.argv[5:]))
