"""Run `creative-flow ARGS` and kill -9 its whole process group at the Nth call of TARGET.

    python -m tests.creatives.kill_at TARGET N ARGS...

TARGET is a dotted name (`creatives.commit.finish`, `os.replace`): the kill happens as that
call starts, so a test can stop a run at any chosen step of its work, ffmpeg included.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import threading
from typing import Any

from automation.cli import invoke


def arm(target: str, nth: int) -> None:
    """Replace TARGET by a wrapper that kills the process group on its Nth call."""
    module_name, _, attr = target.rpartition(".")
    module = importlib.import_module(module_name)
    real = getattr(module, attr)
    calls = 0
    lock = threading.Lock()

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        with lock:
            calls += 1
            hit = calls == nth
        if hit:
            os.killpg(os.getpgrp(), signal.SIGKILL)
        return real(*args, **kwargs)

    setattr(module, attr, wrapper)


if __name__ == "__main__":
    arm(sys.argv[1], int(sys.argv[2]))
    sys.exit(invoke(sys.argv[3:]))
