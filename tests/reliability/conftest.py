"""Shared pieces of the kill -9 rounds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.exoclick.conftest import exo  # noqa: F401 - the ExoClick sandbox fixture
from tests.upload.conftest import tj  # noqa: F401 - the logged-in upload workspace fixture

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
