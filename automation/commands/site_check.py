"""`creative-flow site-check <platform>`: a read-only canary for the real site or API."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from automation.commands.common import (
    DebugOpt,
    HeadedOpt,
    JsonOpt,
    SlowmoOpt,
    TraceOpt,
    app_context,
    browser_settings,
    console,
    print_json,
)
from automation.errors import PlatformError
from tracking.runs import new_run_id

if TYPE_CHECKING:
    from automation.uploaders.site_check import SiteCheckReport

HELP = (
    "Check, read-only, that every page element or API field the tool relies on is still "
    "where the tool looks for it. Never uploads or creates anything.\n\n"
    "Example: creative-flow site-check trafficjunky --campaign 1012345"
)
_STYLE = {"found": "green", "missing": "bold red", "absent (optional)": "dim", "not tried": "dim"}


def site_check(
    ctx: typer.Context,
    platform: Annotated[str, typer.Argument(help="trafficjunky or exoclick.")],
    campaign: Annotated[
        str | None,
        typer.Option(
            "--campaign", metavar="ID", help="Also check this campaign's ad settings page."
        ),
    ] = None,
    as_json: JsonOpt = False,
    headed: HeadedOpt = False,
    slowmo: SlowmoOpt = None,
    trace: TraceOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Report every selector (or API field) the tool uses: where tried, found or missing.

    Exits non-zero when anything expected is missing.

    Example: creative-flow site-check trafficjunky --campaign 1012345
    """
    from automation.uploaders.site_check import run_site_check  # Playwright only when run

    app = app_context(ctx)
    settings = browser_settings(
        app.settings, headed=headed, slowmo=slowmo, trace=trace, debug=debug
    )
    report = run_site_check(platform, settings, new_run_id(), campaign=campaign)
    if as_json:
        print_json(report.as_dict())
    else:
        table = Table(title=f"site-check {report.platform}")
        for column in ("selector", "where", "status", "detail"):
            table.add_column(column, overflow="fold")
        for probe in report.probes:
            style = _STYLE.get(probe.status.value, "")
            status = f"[{style}]{probe.status.value}[/]"
            table.add_row(probe.name, probe.where, status, probe.detail)
        console.print(table)
        _print_summary(report)
    if not report.ok:
        names = ", ".join(sorted({p.name for p in report.missing})) or "nothing was checked"
        raise PlatformError(
            f"{report.platform}: site-check found {len(report.missing)} problem(s): {names}; "
            "the platform changed where the tool looks: report it with the snapshots above"
        )


def _print_summary(report: SiteCheckReport) -> None:
    """Counts per status, and where the sanitized page snapshots are."""
    counts = Counter(p.status.value for p in report.probes)
    console.print(", ".join(f"{n} {status}" for status, n in counts.items()), markup=False)
    for folder in sorted({p.parent for p in report.artifacts}):
        pages = sum(1 for p in report.artifacts if p.parent == folder)
        console.print(
            f"snapshots ({pages} files, user data removed, fit to attach to a report): {folder}",
            markup=False,
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    app.command("site-check", help=HELP)(site_check)
