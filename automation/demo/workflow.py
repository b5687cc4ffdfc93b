"""Demo steps on the tool's side: each composes a product command, run in-process."""

from __future__ import annotations

import logging

from automation.demo.runner import DemoContext, Outcome, StepFailed, StepStatus
from automation.report import build_report

log = logging.getLogger(__name__)


def available(command: str) -> bool:
    """Whether this build of the CLI has `command` (the demo adapts while pieces land)."""
    import typer

    from automation.cli import app

    group = typer.main.get_command(app)
    return command in getattr(group, "commands", {})


def require_command(command: str) -> None:
    if not available(command):
        raise StepFailed(f"'creative-flow {command}' is not in this build")


def write_report(ctx: DemoContext) -> Outcome:
    """The HTML report of the demo workspace."""
    result = build_report(ctx.workspace)
    ctx.facts["report"] = result.latest
    totals = result.data.totals()
    detail = (
        f"{totals['creatives']} creatives on the page ({totals['approved']} approved, "
        f"{totals['pending']} pending, {totals['rejected']} rejected): {result.latest}"
    )
    return Outcome(StepStatus.DONE, detail, {"report_creatives": totals["creatives"]})
