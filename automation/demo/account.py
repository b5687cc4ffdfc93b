"""Demo steps against the platform account: sign in, upload, refresh the library, sync statuses."""

from __future__ import annotations

import json
import logging
from collections import Counter

from automation.demo.runner import DemoContext, Outcome, StepFailed, StepStatus
from automation.demo.workflow import require_command
from automation.errors import ExitCode
from automation.report.runs import load_runs
from tracking import inventory
from tracking.library_cache import LibraryCache
from tracking.schemas import platform_columns

log = logging.getLogger(__name__)

PLATFORM = "trafficjunky"
ID_COL, _DATE_COL, STATUS_COL = platform_columns(PLATFORM)


def saved_session_is_live(ctx: DemoContext) -> bool:
    """Whether the session file holds a session the sandbox still honours (its ground truth)."""
    from automation.sandbox.state import SESSION_COOKIE

    path = ctx.workspace.session_file(PLATFORM)
    try:
        cookies = json.loads(path.read_text()).get("cookies", [])
    except (OSError, ValueError):
        return False
    tokens = [c.get("value") for c in cookies if c.get("name") == SESSION_COOKIE]
    return any(ctx.sandbox.state.session_user(t) for t in tokens)


def sign_in(ctx: DemoContext) -> Outcome:
    """The product's login flow on the sandbox's real sign-in page, captcha switched off."""
    require_command("login")
    session = ctx.workspace.session_file(PLATFORM)
    if saved_session_is_live(ctx):
        return Outcome(StepStatus.ALREADY, f"the saved session is still valid: {session}")
    headed = "--headed" in ctx.browser_flags
    flags = [f for f in ctx.browser_flags if f != "--headed"]
    args = ["login", PLATFORM, *([] if headed else ["--headless"]), *flags]
    ctx.require(ctx.cli(*args), "sign-in")
    if not saved_session_is_live(ctx):
        raise StepFailed(f"'creative-flow login' finished, but {session} holds no live session")
    return Outcome(
        StepStatus.DONE, f"signed in as the sandbox's demo account; session in {session}"
    )


def _ids(ctx: DemoContext, platform: str) -> dict[str, str]:
    id_col = platform_columns(platform)[0]
    rows = inventory.load(ctx.workspace.inventory_csv)
    return {r["unique_id"]: r[id_col] for r in rows}


def upload_live(ctx: DemoContext, platform: str = PLATFORM) -> Outcome:
    """Upload every processed creative to the sandbox and record the proven creative IDs."""
    require_command("upload")
    before = _ids(ctx, platform)
    ctx.require(
        ctx.cli("upload", "--live", "--platform", platform, "--json", browser=True),
        f"upload to {platform}", ok_codes=(0, ExitCode.PARTIAL),
    )  # fmt: skip
    after = _ids(ctx, platform)
    new = [u for u, cid in after.items() if cid and not before.get(u)]
    missing = [u for u, cid in after.items() if not cid]
    runs, _ = load_runs(ctx.workspace, limit=1)
    outcome = ", ".join(f"{n} {s}" for s, n in runs[0].counts.items()) if runs else "no run file"
    detail = (
        f"{len(new)} new creative ID(s) recorded, {len(after) - len(missing)} of {len(after)} "
        f"creatives now have one (run: {outcome})"
    )
    if missing:
        detail += f"; without an ID: {', '.join(missing[:4])}{' ...' if len(missing) > 4 else ''}"
    counts = {"uploaded": len(new), "with_id": len(after) - len(missing)}
    if not new and not missing:
        return Outcome(StepStatus.ALREADY, "every creative was uploaded before; " + detail, counts)
    if missing and not new:
        raise StepFailed(detail)
    return Outcome(StepStatus.DONE, detail, counts)


def upload_to_exoclick(ctx: DemoContext) -> Outcome:
    """The same creatives to the second platform, through its REST API."""
    return upload_live(ctx, "exoclick")


def refresh_library(ctx: DemoContext) -> Outcome:
    """Page through every library tab and rebuild the local creative-ID cache."""
    require_command("refresh-library")
    path = ctx.workspace.library_csv(PLATFORM)
    before = path.read_bytes() if path.exists() else b""
    ctx.require(
        ctx.cli("refresh-library", "--platform", PLATFORM, "--json", browser=True),
        "refresh-library",
    )
    cache = LibraryCache.load(path)
    tabs = Counter(e.creative_type for e in cache)
    detail = (
        f"{len(cache)} creatives cached in {path} ("
        + ", ".join(f"{n} {t}" for t, n in sorted(tabs.items()))
        + ")"
    )
    status = StepStatus.ALREADY if path.read_bytes() == before else StepStatus.DONE
    return Outcome(status, detail, {"library": len(cache)})


def _statuses(ctx: DemoContext) -> dict[str, str]:
    rows = inventory.load(ctx.workspace.inventory_csv)
    return {r["unique_id"]: r[STATUS_COL] for r in rows if r[ID_COL]}


def sync_statuses(ctx: DemoContext) -> Outcome:
    """Pull the review statuses the sandbox's reviewers set back into the inventory."""
    require_command("sync-status")
    before = _statuses(ctx)
    ctx.require(
        ctx.cli("sync-status", "--platform", PLATFORM, "--json", browser=True), "sync-status"
    )
    after = _statuses(ctx)
    changed = sum(1 for u, s in after.items() if before.get(u) != s)
    tally = Counter(s or "unknown" for s in after.values())
    detail = "inventory statuses: " + ", ".join(f"{n} {s}" for s, n in sorted(tally.items()))
    counts = {s: n for s, n in tally.items()}
    if not changed:
        return Outcome(StepStatus.ALREADY, "no status changed; " + detail, counts)
    return Outcome(StepStatus.DONE, f"{changed} status(es) updated; " + detail, counts)
