"""`creative-flow stats`: pull per-creative daily statistics from the platforms' APIs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from automation.commands import stats_views
from automation.commands.common import (
    DEFAULT_RETRIES,
    JsonOpt,
    RetriesOpt,
    app_context,
    console,
    print_json,
)
from automation.commands.stats_views import MinImpressionsOpt
from automation.errors import CreativeFlowError, PartialFailure
from automation.wording import plural

if TYPE_CHECKING:
    from automation.adstats.runs import StatsResult
    from automation.adstats.window import Window
    from automation.settings import Settings
    from tracking.workspace import Workspace

DaysOpt = Annotated[
    int | None,
    typer.Option("--days", min=1, help="The last N finished days (EST), ending yesterday [7]."),
]
FromOpt = Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")]
ToOpt = Annotated[
    str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (yesterday at the latest).")
]
PlatformOpt = Annotated[
    str | None,
    typer.Option(
        "--platform",
        help="trafficjunky or exoclick (default: every platform whose API key is set).",
    ),
]


def summary(result: StatsResult) -> dict[str, object]:
    """One platform's run, for --json."""
    got = result.collected
    return {
        "platform": got.platform,
        "from": str(got.window.start),
        "to": str(got.window.end),
        "file": str(result.path),
        "rows": len(got.rows),
        "creatives": got.creatives,
        "campaigns": got.campaigns,
        "ads": len(got.ads_seen),
        "ads_not_ours": len(got.ads_not_ours),
        "rows_replaced": result.replaced,
        "retries": got.retries,
    }


def _show(result: StatsResult) -> None:
    got = result.collected
    console.print(
        f"[bold]{got.platform}[/] {got.window}: {plural(len(got.rows), 'row')} for "
        f"{plural(got.creatives, 'creative')} from {plural(got.campaigns, 'campaign')} "
        f"-> {result.path}"
    )
    notes = []
    if got.ads_not_ours:
        notes.append(f"{plural(len(got.ads_not_ours), 'ad')} not ours (not written)")
    if result.replaced:
        notes.append(f"replaced {plural(result.replaced, 'earlier row')} of those days")
    if got.retries:
        notes.append(f"{plural(got.retries, 'retry')} of failed API calls")
    if notes:
        console.print("  " + "; ".join(notes), markup=False)


def performance_views(
    settings: Settings, workspace: Workspace, span: Window, min_impressions: int | None,
    json_out: bool,
) -> dict[str, object] | None:  # fmt: skip
    """The per-creative and per-attribute views of the days just pulled: printed, or (with
    --json) returned for the one JSON document."""
    floor = settings.min_impressions if min_impressions is None else min_impressions
    days, until = len(span.days), span.end
    if json_out:
        found = stats_views.load_performance(workspace, days, floor, until)
        return dict(stats_views.performance_json(found))
    stats_views.show_performance(workspace, days, floor, False, until=until)
    return None


def register(app: typer.Typer) -> None:
    @app.command()
    def stats(
        ctx: typer.Context,
        days: DaysOpt = None,
        start: FromOpt = None,
        end: ToOpt = None,
        platform: PlatformOpt = None,
        min_impressions: MinImpressionsOpt = None,
        retries: RetriesOpt = DEFAULT_RETRIES,
        json_out: JsonOpt = False,
    ) -> None:
        """Pull per-creative daily stats (impressions, clicks, conversions, cost) by API.

        Every ad of every campaign is mapped to our creative by its proven creative ID and
        summed per creative per day into records/stats/<platform>.csv; a rerun replaces the
        days it covers. A native ad counts once, under its video creative. Ads of creatives
        not in our records are counted, not written. Days are reporting days in EST and end
        yesterday at the latest (TrafficJunky cannot report today). Needs TJ_API_KEY and/or
        EXO_API_TOKEN. Then it shows the figures of those days per creative and per
        attribute (--json: `pulled` per platform and the `performance` document).

        Example: creative-flow stats --days 7
        """
        from automation.adstats.runs import chosen_platforms, pull_stats
        from automation.adstats.window import window

        state = app_context(ctx)
        span = window(days, start, end)
        results, failures = [], []
        for name in chosen_platforms(state.settings, platform):
            try:
                results.append(pull_stats(state.settings, state.workspace, name, span, retries))
            except CreativeFlowError as exc:
                if platform is not None:
                    raise
                failures.append((name, exc))
        for result in [] if json_out else results:
            _show(result)
        views = None
        if results:
            views = performance_views(state.settings, state.workspace, span, min_impressions,
                                      json_out)  # fmt: skip
        if json_out:
            doc: dict[str, object] = {"pulled": [summary(r) for r in results]}
            if views is not None:
                doc["performance"] = views
            print_json(doc)
        if failures and not results:
            raise failures[0][1]
        if failures:
            raise PartialFailure("; ".join(f"{name}: {exc}" for name, exc in failures))
