"""Demo steps for campaigns: write native and pre-roll CSVs, apply one with mass-create."""

from __future__ import annotations

import logging
from pathlib import Path

from automation.demo.runner import DemoContext, Outcome, StepFailed, StepStatus
from automation.demo.workflow import require_command
from tracking import inventory
from tracking.schemas import platform_columns

log = logging.getLogger(__name__)

FORMATS = {"native": ("native_video", "native_image"), "preroll": ("preroll",)}
TARGET_URL = "https://sandbox.example/landing?campaign={CampaignID}&spot={SpotID}"
BRAND = "Sandbox Demo"
ID_COL, _, STATUS_COL = platform_columns("trafficjunky")


def approved_ids(ctx: DemoContext, kinds: tuple[str, ...]) -> list[str]:
    """unique_ids of approved creatives of these types (what a campaign may use)."""
    rows = inventory.load(ctx.workspace.inventory_csv)
    return sorted(
        r["unique_id"]
        for r in rows
        if r["creative_type"] in kinds and r[ID_COL] and r[STATUS_COL] == "approved"
    )


def _written(call_data: object) -> list[Path]:
    """The CSV paths campaign-csv reports, whatever the shape of its JSON."""
    found: list[Path] = []

    def walk(value: object) -> None:
        if isinstance(value, str) and value.endswith(".csv"):
            found.append(Path(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(call_data)
    return found


def write_one(ctx: DemoContext, fmt: str) -> tuple[StepStatus, str, Path | None]:
    """One format's CSV of the approved creatives, unless the same set was written before."""
    ids = approved_ids(ctx, FORMATS[fmt])
    if not ids:
        return StepStatus.SKIPPED, f"{fmt}: no approved creative yet", None
    earlier = ctx.recall(f"campaign_csv_{fmt}") or {}
    if earlier.get("ids") == ids and Path(earlier.get("path", "")).is_file():
        return (
            StepStatus.ALREADY,
            f"{fmt}: {earlier['path']} (written before)",
            Path(earlier["path"]),
        )
    args = ["campaign-csv", "--format", fmt, "--status", "approved", "--target-url", TARGET_URL]
    args += ["--brand", BRAND] if fmt == "native" else ["--cta-text", "Visit now"]
    call = ctx.require(ctx.cli(*args, "--json"), f"{fmt} campaign CSV")
    paths = [p for p in _written(call.data) if p.is_file() or (ctx.workspace.root / p).is_file()]
    if not paths:
        raise StepFailed(f"campaign-csv --format {fmt} reported no file: {call.stdout[:200]}")
    path = paths[0] if paths[0].is_file() else ctx.workspace.root / paths[0]
    ctx.remember(f"campaign_csv_{fmt}", {"ids": ids, "path": str(path)})
    return StepStatus.DONE, f"{fmt}: {path} ({len(ids)} approved creatives)", path


def write_campaign_csvs(ctx: DemoContext) -> Outcome:
    """Native and pre-roll Mass-create CSVs from the approved creatives."""
    require_command("campaign-csv")
    results = {fmt: write_one(ctx, fmt) for fmt in FORMATS}
    ctx.facts["campaign_csvs"] = {fmt: path for fmt, (_, _, path) in results.items() if path}
    statuses = {status for status, _, _ in results.values()}
    detail = "; ".join(text for _, text, _ in results.values())
    if statuses == {StepStatus.SKIPPED}:
        raise StepFailed(detail)
    if StepStatus.DONE in statuses:
        return Outcome(StepStatus.DONE, detail, {"campaign_csvs": len(ctx.facts["campaign_csvs"])})
    return Outcome(StepStatus.ALREADY, detail)


def apply_native_csv(ctx: DemoContext) -> Outcome:
    """Create the native ads in the sandbox's native campaign with Mass create (live)."""
    require_command("mass-create")
    csv_path = ctx.facts.get("campaign_csvs", {}).get("native")
    if csv_path is None:
        raise StepFailed("no native campaign CSV to apply")
    campaign_id = ctx.facts["campaigns"]["native"]
    state = ctx.sandbox.state
    before = len(state.ads(campaign_id))
    ctx.require(
        ctx.cli("mass-create", "--campaign", str(campaign_id), "--csv", str(csv_path), "--live",
                "--json", browser=True),
        "mass-create",
    )  # fmt: skip
    ads = len(state.ads(campaign_id))
    ctx.facts["campaign_ads"] = ads
    detail = f"campaign {campaign_id} now has {ads} ad(s) (from {Path(csv_path).name})"
    if ads == 0:
        raise StepFailed(f"mass-create finished but {detail}")
    if ads == before:
        return Outcome(StepStatus.ALREADY, detail, {"ads": ads})
    return Outcome(StepStatus.DONE, f"{ads - before} ad(s) created; " + detail, {"ads": ads})
