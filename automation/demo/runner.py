"""Running demo steps: in-process CLI calls, one progress line per step, outcomes kept."""

from __future__ import annotations

import io
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from rich.console import Console

from tracking.csvstore import atomic_write_text
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

MARKER = ".creative-flow-demo"  # in a workspace the demo made (so --fresh may wipe it), as JSON


class StepStatus(StrEnum):
    """How one demo step ended."""

    DONE = "done"
    ALREADY = "already done"
    SKIPPED = "skipped"
    FAILED = "failed"


STATUS_MARKS = {
    StepStatus.DONE: "[green]✓[/]",
    StepStatus.ALREADY: "[cyan]=[/]",
    StepStatus.SKIPPED: "[yellow]-[/]",
    StepStatus.FAILED: "[red]✗[/]",
}


@dataclass
class Outcome:
    """What a step did, in a line a person reads, plus figures for the summary."""

    status: StepStatus
    detail: str
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class StepFailed(Exception):
    """A step could not finish; the message says what happened and where to look."""


@dataclass(frozen=True)
class CliCall:
    """One in-process `creative-flow` call: exit code, captured output, parsed JSON."""

    argv: list[str]
    exit_code: int
    stdout: str
    stderr: str

    @property
    def data(self) -> Any:
        """The --json output, or None when the output is not JSON."""
        try:
            return json.loads(self.stdout)
        except json.JSONDecodeError:
            return None

    def error_line(self) -> str:
        """The last line the command wrote to stderr (its one-line error)."""
        lines = [ln.strip() for ln in (self.stderr or self.stdout).splitlines() if ln.strip()]
        return lines[-1] if lines else f"exit code {self.exit_code}"


def call_cli(argv: list[str]) -> CliCall:
    """Run `creative-flow ARGV` in this process with its terminal output captured."""
    from automation.cli import invoke  # the CLI imports every command, this one included

    out, err = io.StringIO(), io.StringIO()
    root_logger = logging.getLogger()
    handlers, level = list(root_logger.handlers), root_logger.level
    with redirect_stdout(out), redirect_stderr(err):
        code = invoke(argv)
    # The nested call reconfigured logging for itself; give the demo its own back.
    root_logger.handlers[:], root_logger.level = handlers, level
    call = CliCall(argv, int(code), out.getvalue(), err.getvalue())
    log.debug("creative-flow %s -> %s", " ".join(argv), code)
    return call


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the demo's in-process commands; restore them after."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


@dataclass
class Step:
    """One stage of the demo: a title for the progress line and the function doing it."""

    key: str
    title: str
    run: Callable[[DemoContext], Outcome]
    needs: tuple[str, ...] = ()


@dataclass
class DemoContext:
    """What every step shares: the workspace, the sandbox, CLI flags, what earlier steps found."""

    workspace: Workspace
    sandbox: Any  # automation.sandbox.server.SandboxServer (imported lazily by the demo)
    console: Console
    env_file: Path
    browser_flags: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    outcomes: dict[str, Outcome] = field(default_factory=dict)

    @property
    def memory_file(self) -> Path:
        return self.workspace.root / MARKER

    def recall(self, key: str) -> Any:
        """What an earlier demo run noted under `key` (None when nothing)."""
        try:
            return json.loads(self.memory_file.read_text()).get(key)
        except (OSError, ValueError):
            return None

    def remember(self, key: str, value: Any) -> None:
        """Note `value` for later demo runs (kept in the workspace's demo marker file)."""
        try:
            data = json.loads(self.memory_file.read_text())
        except (OSError, ValueError):
            data = {}
        data[key] = value
        atomic_write_text(self.memory_file, json.dumps(data, indent=2))

    def cli(self, *args: str, browser: bool = False) -> CliCall:
        """Call a command on the demo workspace (browser commands get the demo's flags)."""
        argv = ["--workspace", str(self.workspace.root), "--env-file", str(self.env_file)]
        argv += list(args)
        if browser:
            argv += self.browser_flags
        return call_cli(argv)

    def require(self, call: CliCall, what: str, ok_codes: tuple[int, ...] = (0,)) -> CliCall:
        """The call, or StepFailed naming the command and its one-line error."""
        if call.exit_code not in ok_codes:
            command = " ".join(call.argv[4:])
            raise StepFailed(f"{what}: 'creative-flow {command}' failed: {call.error_line()}")
        return call


def run_step(step: Step, ctx: DemoContext) -> Outcome:
    """Run one step under a spinner; print its result line; never raise for a step failure."""
    missing = [n for n in step.needs if ctx.outcomes.get(n, Outcome(StepStatus.FAILED, "")).status
               in (StepStatus.FAILED, StepStatus.SKIPPED)]  # fmt: skip
    started = time.monotonic()
    if missing:
        outcome = Outcome(StepStatus.SKIPPED, f"needs {', '.join(missing)}")
    else:
        with ctx.console.status(f"{step.title} ..."):
            try:
                outcome = step.run(ctx)
            except StepFailed as exc:
                outcome = Outcome(StepStatus.FAILED, str(exc))
    outcome.seconds = time.monotonic() - started
    ctx.outcomes[step.key] = outcome
    mark = STATUS_MARKS[outcome.status]
    ctx.console.print(f"{mark} [bold]{step.title}[/] [dim]({outcome.seconds:.1f} s)[/]")
    ctx.console.print(f"    {outcome.detail}", markup=False, soft_wrap=True)
    return outcome
