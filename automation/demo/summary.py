"""The demo's closing summary: what was done, counts, where every output is, what to try next."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from automation.demo.runner import STATUS_MARKS, StepStatus
from tracking import inventory
from tracking.schemas import PLATFORM_LABELS, platform_columns
from tracking.workspace import Workspace


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def record_text(workspace: Workspace) -> str:
    """'11 creatives (3 native pairs); TrafficJunky: 11 uploaded, 5 approved, ...'."""
    rows = inventory.load(workspace.inventory_csv)
    pairs = len({r["native_pair_id"] for r in rows if r["native_pair_id"]})
    parts = [f"{len(rows)} creatives ({pairs} native pairs)"]
    for platform, label in PLATFORM_LABELS.items():
        id_col, _, status_col = platform_columns(platform)
        uploaded = [r for r in rows if r[id_col]]
        if uploaded:
            tally = Counter(r[status_col] or "not reviewed" for r in uploaded)
            statuses = ", ".join(f"{n} {s}" for s, n in sorted(tally.items()))
            parts.append(f"{label}: {len(uploaded)} uploaded ({statuses})")
    return "; ".join(parts)


def outputs(workspace: Workspace, facts: dict[str, object]) -> list[tuple[str, str]]:
    """(what, where) for every output the demo leaves, only those that exist."""
    ws = workspace
    items: list[tuple[str, Path]] = [
        ("HTML report", Path(str(facts.get("report", ws.reports_dir / "report-latest.html")))),
        ("fetched sources", ws.inbox),
        ("processed creatives", ws.processed),
        ("inventory", ws.inventory_csv),
        ("library cache", ws.library_csv("trafficjunky")),
        ("upload runs", ws.uploads_dir),
        ("campaign CSVs", ws.campaigns_dir),
        ("mass-create runs", ws.records / "mass_create"),
        ("ad stats", ws.records / "stats"),
        ("pause records", ws.records / "pauses"),
        ("downloads record", ws.downloads_csv),
        ("sandbox state", ws.root / "sandbox.db"),
        ("saved session", ws.session_file("trafficjunky")),
    ]
    return [(what, _rel(path)) for what, path in items if path.exists()]


def next_commands(workspace: Workspace) -> list[str]:
    """Commands to try next, on the demo and then on a real account."""
    ws = _rel(workspace.root)
    again = "creative-flow demo" if ws == "demo-workspace" else f"creative-flow demo -w {ws}"
    return [
        f"xdg-open {ws}/reports/report-latest.html      # or: creative-flow -w {ws} report --open",
        f"{again:<48} # again: everything shows as done",
        f"creative-flow sandbox serve --db {ws}/sandbox.db --no-captcha   # browse the sandbox",
        "creative-flow --help                             # every command, each with an example",
        "cp .env.example .env   # then set TJ_USERNAME / TJ_PASSWORD for your real account, and:",
        "creative-flow login trafficjunky                 # solve the captcha once; session kept",
        "creative-flow process && creative-flow upload --live && creative-flow sync-status",
    ]


def print_summary(
    console: Console, workspace: Workspace, outcomes: dict[str, object], titles: dict[str, str],
    facts: dict[str, object], seconds: float,
) -> None:  # fmt: skip
    """The closing block of the demo."""
    table = Table(title=f"creative-flow demo: done in {seconds:.0f} s", title_justify="left")
    table.add_column("")
    table.add_column("step")
    table.add_column("result")
    for key, outcome in outcomes.items():
        status = getattr(outcome, "status", StepStatus.FAILED)
        table.add_row(STATUS_MARKS[status], titles.get(key, key), str(status))
    console.print(table)
    console.print(f"[bold]Records:[/] {record_text(workspace)}", soft_wrap=True)
    console.print("[bold]Outputs:[/]")
    for what, where in outputs(workspace, facts):
        console.print(f"  {what:<20} {where}", markup=False)
    console.print("[bold]Next:[/]")
    for line in next_commands(workspace):
        console.print(f"  {line}", markup=False, soft_wrap=True)
