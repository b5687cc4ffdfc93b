"""Run `creative-flow ARGS` and kill -9 its whole process group at the Nth call of TARGET.

    python -m tests.creatives.kill_at TARGET N ARGS...

TARGET is a dotted name (`creatives.commit.finish`, `os.replace`): the kill happens as that
call starts, so a test can stop a run at any chosen step of its work, ffmpeg included.
"""

from __future__ import annotations

import sys

from automation.cli import invoke
from tests.reliability.kill_hook import arm as arm_step


def arm(target: str, nth: int) -> None:
    """Kill the process group as the Nth call of TARGET (`module.function`) starts."""
    module_name, _, attr = target.rpartition(".")
    arm_step(module_name, attr, nth, "before")


if __name__ == "__main__":
    arm(sys.argv[1], int(sys.argv[2]))
    sys.exit(invoke(sys.argv[3:]))
