"""Demo steps on the tool's side: each composes a product command, run in-process."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

from automation.demo.runner import CliCall, DemoContext, Outcome, StepFailed, StepStatus
from automation.errors import ExitCode
from automation.report import build_report
from creatives.errors import MediaError
from creatives.probe import is_supported, probe
from tracking import inventory

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
        f"{totals['creatives']} creatives on the page ({result.data.status_text()}): "
        f"{result.latest}"
    )
    return Outcome(StepStatus.DONE, detail, {"report_creatives": totals["creatives"]})


MEDIA_SITE = "/media-site/"
NATIVE_SOURCES = 3  # landscape clips turned into native pairs; the other clips become pre-rolls
NAME_FIELDS = ["--language", "EN", "--creator", "Sandbox", "--rating", "SFW"]
# Made to fit both platforms (the stricter rule of the two wins), so both uploads take them.
PLATFORMS = ["--platform", "trafficjunky,exoclick"]


def split_sources(inbox: Path) -> tuple[list[Path], list[Path]]:
    """Inbox media for native pairs (the first landscape clips) and for everything else."""
    native: list[Path] = []
    other: list[Path] = []
    for path in sorted(p for p in inbox.rglob("*") if p.is_file() and is_supported(p)):
        try:
            info = probe(path)
        except MediaError:
            other.append(path)  # process reports what is wrong with it, in its own words
            continue
        landscape = info.is_video and info.width > info.height
        (native if landscape and len(native) < NATIVE_SOURCES else other).append(path)
    return native, other


def _processed(call: CliCall) -> tuple[int, int]:
    data = call.data or {}
    return len(data.get("processed", [])), len(data.get("failed", []))


def process_media(ctx: DemoContext) -> Outcome:
    """Native pairs from the first clips; pre-rolls, short videos and banners from the rest."""
    require_command("process")
    native, other = split_sources(ctx.workspace.inbox)
    if not native and not other:
        rows = inventory.load(ctx.workspace.inventory_csv)
        if not rows:
            raise StepFailed(f"nothing to process in {ctx.workspace.inbox}")
        return Outcome(
            StepStatus.ALREADY, f"inbox empty; {len(rows)} creatives already in the inventory"
        )
    made = failed = 0
    if native:
        call = ctx.require(
            ctx.cli("process", "--native", "--category", "Dating", *NAME_FIELDS, *PLATFORMS,
                    "--json", *map(str, native)),
            "native pairs", ok_codes=(0, ExitCode.PARTIAL),
        )  # fmt: skip
        made, failed = _processed(call)
    if other:
        call = ctx.require(
            ctx.cli("process", "--banner-size", "auto", "--category", "Social", *NAME_FIELDS,
                    *PLATFORMS, "--json", *map(str, other)),
            "pre-rolls and banners", ok_codes=(0, ExitCode.PARTIAL),
        )  # fmt: skip
        more, more_failed = _processed(call)
        made, failed = made + more, failed + more_failed
    counts = type_counts(ctx)
    detail = f"{made} source(s) processed: " + ", ".join(f"{n} {t}" for t, n in counts.items())
    if failed:
        detail += f"; {failed} failed (see 'creative-flow process' for the reason)"
    return Outcome(StepStatus.DONE, detail, {"processed": made, "failed": failed})


def type_counts(ctx: DemoContext) -> dict[str, int]:
    """Creatives in the inventory by type."""
    rows = inventory.load(ctx.workspace.inventory_csv)
    return dict(Counter(r["creative_type"] or "other" for r in rows))


def fetch_media(ctx: DemoContext) -> Outcome:
    """Crawl the sandbox's media site into inbox/fetched/media-site/, dropping its junk."""
    require_command("fetch")
    call = ctx.require(
        ctx.cli("fetch", "--crawl", ctx.sandbox.url + MEDIA_SITE, "--link-selector", "a.item",
                "--source", "media-site", "--rate", "0", "--backoff", "0.3", "--json"),
        "fetch", ok_codes=(0, ExitCode.PARTIAL),
    )  # fmt: skip
    outcomes = (call.data or {}).get("outcomes", [])
    if not outcomes:
        raise StepFailed(f"fetch found nothing on {ctx.sandbox.url + MEDIA_SITE}")
    kept = sum(1 for o in outcomes if o["status"] == "downloaded")
    # The sandbox's port changes between runs, so a file fetched before may come back under a
    # new URL: fetch then drops it as a duplicate of what it already has.
    before = sum(1 for o in outcomes if o["reason"] in ("already-fetched", "duplicate"))
    failed = sum(1 for o in outcomes if o["status"] == "failed")
    junk = len(outcomes) - kept - before - failed
    tail = (
        f"{junk} junk link(s) dropped (placeholders, fakes, corrupt files), "
        f"{failed} unreachable; every link is in {ctx.workspace.downloads_csv}"
    )
    counts = {"fetched": kept, "links": len(outcomes)}
    if kept == 0 and before:
        return Outcome(
            StepStatus.ALREADY,
            f"nothing new: {before} file(s) already in the inbox; {tail}",
            counts,
        )
    detail = (
        f"{len(outcomes)} links on {ctx.sandbox.url + MEDIA_SITE}: {kept} kept, "
        f"{before} duplicate(s) of kept files, {tail}"
    )
    return Outcome(StepStatus.DONE, detail, counts)
