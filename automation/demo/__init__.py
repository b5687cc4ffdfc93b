"""`creative-flow demo`: the whole flow against the local sandbox, in one command."""

from __future__ import annotations

import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from automation.demo import account, campaigns, performance, platform, workflow
from automation.demo.runner import (
    MARKER,
    DemoContext,
    Outcome,
    Step,
    StepStatus,
    environment,
    run_step,
)
from automation.errors import ConfigError
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

DEFAULT_WORKSPACE = Path("demo-workspace")

STEPS: tuple[Step, ...] = (
    Step("sandbox", "Start the sandbox platform", platform.prepare_sandbox),
    Step("fetch", "Fetch sample media from the sandbox media site", workflow.fetch_media),
    Step("process", "Process it into native pairs and pre-rolls", workflow.process_media),
    Step("login", "Sign in to the sandbox (captcha off, headless)", account.sign_in),
    Step("upload", "Upload live and record proven creative IDs", account.upload_live,
         needs=("process", "login")),
    Step("exoclick", "Upload to ExoClick too (its API)", account.upload_to_exoclick,
         needs=("process",)),
    Step("refresh", "Refresh the library cache", account.refresh_library, needs=("login",)),
    Step("review", "Sandbox reviewers approve some creatives", platform.review_in_sandbox,
         needs=("upload",)),
    Step("sync", "Sync review statuses into the inventory", account.sync_statuses,
         needs=("login",)),
    Step("campaign_csv", "Write native and pre-roll campaign CSVs",
         campaigns.write_campaign_csvs, needs=("sync",)),
    Step("mass_create", "Apply the native CSV with Mass create", campaigns.apply_native_csv,
         needs=("campaign_csv",)),
    Step("exo_ads", "Create ExoClick ads from the pre-rolls (its API)", performance.exo_ads,
         needs=("exoclick",)),
    Step("losers", "The sandbox makes one creative per platform a loser",
         performance.plant_losers, needs=("mass_create",)),
    Step("stats", "Pull a week of per-creative stats from both APIs", performance.pull_stats),
    Step("pause", "Pause the losers' ads by rule, live", performance.pause_losers,
         needs=("stats", "losers")),
    Step("report", "Write the HTML report", workflow.write_report),
)  # fmt: skip


@dataclass(frozen=True)
class DemoResult:
    """Every step's outcome, and what the summary points at."""

    workspace: Path
    outcomes: dict[str, Outcome]
    facts: dict[str, object]

    @property
    def ok(self) -> bool:
        return all(o.status is not StepStatus.FAILED for o in self.outcomes.values())


def prepare_workspace(root: Path, fresh: bool) -> Workspace:
    """The demo's workspace: made (or wiped, with --fresh) only when the demo owns it."""
    marker = root / MARKER
    occupied = root.exists() and any(root.iterdir())
    if occupied and not marker.exists():
        raise ConfigError(
            f"{root} holds files the demo did not make; the demo records sandbox IDs, so it "
            "only runs in its own folder: pass another --workspace (or remove that folder)"
        )
    if fresh and root.exists():
        shutil.rmtree(root)
    workspace = Workspace(root).ensure()
    if not marker.exists():
        marker.write_text(json.dumps({"made_by": "creative-flow demo; safe to delete"}))
    return workspace


def run_demo(
    root: Path, *, fresh: bool, console: Console, env_file: Path, browser_flags: list[str]
) -> DemoResult:
    """Start the sandbox, run every step in order, stop the sandbox; outcomes for the summary."""
    workspace = prepare_workspace(root, fresh)
    server = platform.start_sandbox(workspace.root)
    ctx = DemoContext(workspace, server, console, env_file, browser_flags)
    try:
        with environment(platform.sandbox_env(server)):
            for step in STEPS:
                run_step(step, ctx)
    finally:
        server.close()
    return DemoResult(workspace.root, ctx.outcomes, ctx.facts)


__all__ = ["DEFAULT_WORKSPACE", "STEPS", "DemoResult", "prepare_workspace", "run_demo"]
