"""`creative-flow pause`: pause (or activate) every ad of chosen creatives on the platforms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from automation.commands.campaign import IdsOpt, parse_ids
from automation.commands.common import (
    DEFAULT_RETRIES,
    JsonOpt,
    LiveOpt,
    RetriesOpt,
    app_context,
    console,
    err_console,
    print_json,
)
from automation.commands.stats import PlatformOpt
from automation.errors import ConfigError, PartialFailure
from automation.wording import plural

if TYPE_CHECKING:
    from automation.adstats.owners import OwnersByPlatform
    from automation.adstats.pausing import PauseRun
    from automation.settings import Settings
    from tracking.workspace import Workspace

RuleOpt = Annotated[
    str | None,
    typer.Option(
        "--rule",
        help="Choose creatives by their stats in records, e.g. 'ctr<0.2% and impressions>5000' "
        "(fields: ctr, cvr, cpa, impressions, clicks, conversions, cost).",
    ),
]
WindowOpt = Annotated[
    int, typer.Option("--days", min=1, help="Days of stats the rule looks at, ending yesterday.")
]


def _chosen(
    workspace: Workspace, owners: OwnersByPlatform, platform: str, ids: frozenset[str] | None,
    rule: str | None, days: int,
) -> set[str]:  # fmt: skip
    from automation.adstats.pausing import matching
    from automation.adstats.runs import chosen_by_ids
    from automation.adstats.window import window
    from tracking.stat_rules import RuleError, parse_rule
    from tracking.stats import stats_csv
    from tracking.stats_read import read_stats

    if ids is not None:
        return chosen_by_ids(owners.of(platform), ids)
    try:
        parsed = parse_rule(rule or "")
    except RuleError as exc:
        raise ConfigError(f"--rule: {exc}") from None
    span = window(days)
    # Strict: a misread or duplicated row would choose the wrong creatives to pause, so damage
    # stops here, naming file and line, before any ad is looked at.
    rows = read_stats(stats_csv(workspace.records, platform), platform)
    if not any(span.start <= r.day <= span.end for r in rows):
        err_console.print(
            f"{platform}: no stats in records for {span}; run 'creative-flow stats "
            f"--days {days}' first", markup=False,
        )  # fmt: skip
    return set(matching(rows, parsed, span))


def _check_ids(workspace: Workspace, wanted: frozenset[str], chosen: dict[str, set[str]]) -> None:
    """One line for listed creatives that are not ours (an error when none of them is)."""
    found = {u for c in chosen.values() for u in c} | {
        u.rsplit("-", 1)[0] for c in chosen.values() for u in c
    }
    where = f"with an ID on {' or '.join(chosen)} in {workspace.inventory_csv}"
    unknown = sorted(wanted - found)
    if unknown and len(unknown) == len(wanted):
        raise ConfigError(f"--ids {', '.join(unknown)}: no such creative {where}")
    if unknown:
        err_console.print(f"left out (no such creative {where}): {', '.join(unknown)}",
                          markup=False)  # fmt: skip


def _show(run: PauseRun, chosen: dict[str, set[str]]) -> None:
    mode = "" if run.live else " (dry run: nothing sent)"
    console.print(f"[bold]{run.action.capitalize()}[/] run {run.run_id}{mode}")
    for platform, creatives in chosen.items():
        rows = [r for r in run.rows if r.platform == platform]
        counts = {str(res): sum(1 for r in rows if r.result == res) for res in
                  ("changed", "unchanged", "dry_run", "failed")}  # fmt: skip
        shown = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items() if n)
        console.print(
            f"  {platform}: {plural(len(creatives), 'creative')}, {plural(len(rows), 'ad')}"
            + (f" ({shown})" if shown else ""),
            markup=False,
        )
        for row in rows:
            if row.result == "failed":
                console.print(f"    ad {row.ad_id}: {row.message}", markup=False)
    if run.rows:
        console.print(f"  record: {run.path}", markup=False)


def _run(
    settings: Settings, run: PauseRun, owners: OwnersByPlatform, chosen: dict[str, set[str]],
    retries: int,
) -> None:  # fmt: skip
    from automation.adstats.runs import pause_platform

    for platform, creatives in chosen.items():
        if creatives:
            pause_platform(settings, run, platform, owners.of(platform), creatives, retries)


def register(app: typer.Typer) -> None:
    @app.command()
    def pause(
        ctx: typer.Context,
        ids: IdsOpt = None,
        rule: RuleOpt = None,
        days: WindowOpt = 7,
        platform: PlatformOpt = None,
        activate: Annotated[
            bool, typer.Option("--activate", help="Activate the ads instead of pausing them.")
        ] = False,
        retries: RetriesOpt = DEFAULT_RETRIES,
        live: LiveOpt = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Pause (or activate) every ad of chosen creatives (dry run unless --live).

        Choose creatives by --ids or by a --rule over the stats in records (run
        'creative-flow stats' first). Every ad of theirs is changed, read back and recorded in
        records/pauses/<run>.csv (the dry run records what it would change). Exit code 7 when
        an ad could not be changed.

        Example: creative-flow pause --rule "ctr<0.2% and impressions>5000" --live
        """
        from automation.adstats.owners import OwnersByPlatform
        from automation.adstats.pausing import PauseRun
        from automation.adstats.runs import chosen_platforms
        from tracking.runs import new_run_id

        state = app_context(ctx)
        wanted = parse_ids(ids)
        if (wanted is None) == (rule is None):
            raise ConfigError("give either --ids or --rule (one of them) to choose creatives")
        platforms = chosen_platforms(state.settings, platform)
        # The inventory is read once for the whole run, by the first platform that needs it.
        owners = OwnersByPlatform(state.workspace)
        chosen = {p: _chosen(state.workspace, owners, p, wanted, rule, days) for p in platforms}
        if wanted is not None:
            _check_ids(state.workspace, wanted, chosen)
        run = PauseRun(state.workspace, new_run_id(), live=live, activate=activate)
        _run(state.settings, run, owners, chosen, retries)
        if json_out:
            print_json({
                "run_id": run.run_id, "live": live, "action": run.action,
                "creatives": {p: sorted(c) for p, c in chosen.items()},
                "ads": [{**vars(r), "result": str(r.result)} for r in run.rows],
                "record": str(run.path) if run.rows else None,
            })  # fmt: skip
        else:
            _show(run, chosen)
        failed = [r for r in run.rows if r.result == "failed"]
        if failed:
            raise PartialFailure(
                f"{plural(len(failed), 'ad')} could not be changed: "
                + "; ".join(f"ad {r.ad_id}: {r.message}" for r in failed)
            )
