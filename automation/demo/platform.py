"""Demo steps on the sandbox side: start it, sign in, move review statuses like a reviewer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from automation.demo.runner import DemoContext, Outcome, StepFailed, StepStatus
from tracking import inventory
from tracking.schemas import platform_columns

log = logging.getLogger(__name__)

SEED_CREATIVES = 24  # creatives already in the sandbox library, like an account in use
DEMO_CAMPAIGNS = {"native": "Demo Native - Straight", "preroll": "Demo Pre-roll - Straight"}
SANDBOX_DB = "sandbox.db"


def start_sandbox(workspace_root: Path) -> Any:
    """The sandbox on a free 127.0.0.1 port, its state kept in the demo workspace."""
    from automation.sandbox.server import SandboxServer  # only the demo loads the sandbox

    server = SandboxServer(db_path=workspace_root / SANDBOX_DB, port=0, captcha=False)
    return server.start()


def sandbox_env(server: Any) -> dict[str, str]:
    """Settings that point every command at the sandbox and its demo account."""
    from automation.sandbox import tj_api
    from automation.sandbox.exo_api import DEMO_API_TOKEN, URL_PREFIX
    from automation.sandbox.state import DEMO_PASSWORD, DEMO_USERNAME

    return {
        "TJ_SIGNIN_URL": server.signin_url,
        "TJ_APP_URL": server.app_url,
        "TJ_USERNAME": DEMO_USERNAME,
        "TJ_PASSWORD": DEMO_PASSWORD,
        "EXO_API_URL": server.url + URL_PREFIX,
        "EXO_API_TOKEN": DEMO_API_TOKEN,
        "TJ_API_URL": server.url + tj_api.URL_PREFIX,
        "TJ_API_KEY": tj_api.DEMO_API_KEY,
    }


def prepare_sandbox(ctx: DemoContext) -> Outcome:
    """Captcha off (no person to tick it), a library in use, campaigns to fill."""
    from automation.sandbox.app import seed_plugins

    state = ctx.sandbox.state
    state.set_switches(captcha=False)
    seeded = False
    if not state.creatives():
        state.seed_creatives(SEED_CREATIVES, status="approved")
        seed_plugins(state)
        seeded = True
    by_name = {c.name: c for c in state.campaigns()}
    for kind, name in DEMO_CAMPAIGNS.items():
        if name not in by_name:
            by_name[name] = state.seed_campaign(name, "straight", ad_format=kind)
            seeded = True
    ctx.facts["campaigns"] = {kind: by_name[name].id for kind, name in DEMO_CAMPAIGNS.items()}
    library = len(state.creatives())
    where = f"{ctx.sandbox.url} (state in {ctx.workspace.root / SANDBOX_DB})"
    if seeded:
        return Outcome(
            StepStatus.DONE,
            f"sandbox at {where}; seeded {library} creatives and the demo campaigns",
            {"library": library},
        )
    return Outcome(StepStatus.ALREADY, f"sandbox at {where}; {library} creatives in its library")


def review_targets(rows: list[dict[str, str]]) -> dict[str, str]:
    """Which uploaded creatives the demo reviewer approves or rejects (the rest stay pending).

    Every native pair but the last is approved, and the last pair's thumbnail is rejected (its
    video stays pending); of the pre-rolls the first is approved and, when there are several,
    the last is rejected, so the report shows every colour and a campaign CSV has a rejected
    creative to leave out.
    """
    id_col = platform_columns("trafficjunky")[0]
    uploaded = sorted((r for r in rows if r.get(id_col)), key=lambda r: r["unique_id"])
    pairs = sorted({r["native_pair_id"] for r in uploaded if r.get("native_pair_id")})
    approved_pairs = set(pairs[:-1] if len(pairs) > 1 else pairs)
    singles = [r for r in uploaded if not r.get("native_pair_id")]
    targets = {r[id_col]: "approved" for r in uploaded if r.get("native_pair_id") in approved_pairs}
    if len(pairs) > 1:
        last_images = [
            r for r in uploaded
            if r.get("native_pair_id") == pairs[-1] and r["unique_id"].endswith("-IMG")
        ]  # fmt: skip
        targets.update({r[id_col]: "rejected" for r in last_images})
    if singles:
        targets[singles[0][id_col]] = "approved"
    if len(singles) > 1:
        targets[singles[-1][id_col]] = "rejected"
    return targets


def review_in_sandbox(ctx: DemoContext) -> Outcome:
    """Play the platform's reviewers: approve some of the demo's creatives, reject one."""
    rows = inventory.load(ctx.workspace.inventory_csv)
    targets = review_targets(rows)
    if not targets:
        raise StepFailed("no uploaded creative in the inventory to review")
    state = ctx.sandbox.state
    changed = 0
    for creative_id, status in targets.items():
        current = state.creative(int(creative_id))
        if current is None:
            raise StepFailed(f"creative {creative_id} from the inventory is not in the sandbox")
        if current.status != status:
            changed += state.set_review_status([int(creative_id)], status)
    approved = sum(1 for s in targets.values() if s == "approved")
    rejected = len(targets) - approved
    counts = {"approved": approved, "rejected": rejected}
    text = f"sandbox reviewers approved {approved} and rejected {rejected} creative(s)"
    if changed == 0:
        return Outcome(StepStatus.ALREADY, f"{text} in an earlier run", counts)
    return Outcome(StepStatus.DONE, text + "; the others stay pending", counts)
