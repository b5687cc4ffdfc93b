"""`creative-flow exo-ads`: ads ("variations") in an ExoClick campaign from uploaded creatives."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from automation.commands.campaign import (
    IdsOpt,
    RunOpt,
    SinceOpt,
    StatusOpt,
    approved_only,
    parse_ids,
    parse_since,
)
from automation.commands.common import JsonOpt, LiveOpt, app_context, console, print_json
from automation.errors import ConfigError, PartialFailure
from automation.uploaders.exoclick.ad_select import choose_creatives
from automation.uploaders.exoclick.campaigns import (
    AdResult,
    AdsReport,
    AdStatus,
    CampaignAds,
    checkpoint_path,
)
from automation.uploaders.exoclick.client import ExoClient
from tracking.campaign_select import Selection
from tracking.runs import new_run_id
from tracking.workspace import Workspace

_STYLE = {
    AdStatus.CREATED: "green",
    AdStatus.EXISTS: "cyan",
    AdStatus.DRY_RUN: "cyan",
    AdStatus.SKIPPED: "yellow",
    AdStatus.FAILED: "red",
}


def _check_url(url: str) -> str:
    if not url.startswith(("http://", "https://")) or " " in url:
        raise ConfigError(f"--target-url {url!r} must be an http:// or https:// URL")
    return url


def _render(report: AdsReport, workspace: Workspace) -> None:
    campaign = report.campaign
    kind = campaign.type_name or "type unknown"
    table = Table(title=f"ExoClick campaign {campaign.id} ({campaign.name}, {kind})")
    for column in ("creative", "file id", "status", "ad id", "note"):
        table.add_column(column)
    for r in report.results:
        style = _STYLE[r.status]
        table.add_row(r.candidate.unique_id, str(r.candidate.file_id), f"[{style}]{r.status}[/]",
                      str(r.variation_id or ""), r.message)  # fmt: skip
    console.print(table)
    for left in report.left_out:
        console.print(f"[yellow]left out[/] {left.unique_id}: {left.reason}")
    counts = ", ".join(f"{report.count(s)} {s}" for s in AdStatus if report.count(s))
    console.print(f"{counts or 'nothing to do'}; checkpoint: "
                  f"{checkpoint_path(workspace, campaign.id)}")  # fmt: skip
    if not report.live:
        console.print("dry run: nothing was created; add --live to create the ads")
    elif not report.verify_problems:
        console.print(f"verified: campaign {campaign.id} now has {report.ads_after} ad(s)")


def _as_json(report: AdsReport) -> dict[str, Any]:
    def item(r: AdResult) -> dict[str, Any]:
        return {
            "unique_id": r.candidate.unique_id,
            "file_id": r.candidate.file_id,
            "status": str(r.status),
            "variation_id": r.variation_id,
            "message": r.message,
        }

    return {
        "run_id": report.run_id,
        "campaign": {
            "id": report.campaign.id,
            "name": report.campaign.name,
            "format": report.campaign.format,
            "campaign_type": report.campaign.type_name,
        },
        "live": report.live,
        "results": [item(r) for r in report.results],
        "left_out": [{"unique_id": x.unique_id, "reason": x.reason} for x in report.left_out],
        "ads_before": report.ads_before,
        "ads_after": report.ads_after,
        "verify_problems": report.verify_problems,
    }


def register(app: typer.Typer) -> None:
    @app.command("exo-ads")
    def exo_ads(
        ctx: typer.Context,
        campaign: Annotated[int, typer.Option("--campaign", help="ExoClick campaign ID.")],
        target_url: Annotated[
            str, typer.Option("--target-url", help="Landing page of every ad (http/https).")
        ],
        since: SinceOpt = None,
        run: RunOpt = None,
        ids: IdsOpt = None,
        status: StatusOpt = None,
        retries: Annotated[
            int, typer.Option("--retries", min=0, help="Retries of an ad after server errors.")
        ] = 2,
        live: LiveOpt = False,
        json_out: JsonOpt = False,
    ) -> None:
        """Create ads in an ExoClick campaign from uploaded creatives (dry run unless --live).

        A creative whose file already has an ad in the campaign is left as it is, so reruns are
        safe. The dry run reads the campaign (no writes) to show exactly what --live would do.
        Exit code 7 when an ad failed or the read-back check found a difference.

        Example: creative-flow exo-ads --campaign 1001 --status approved
        --target-url 'https://acme.example/?v={variation_id}' --live
        """
        state = app_context(ctx)
        workspace = state.workspace
        selection = Selection(
            since=parse_since(since),
            runs=tuple(run or ()),
            ids=parse_ids(ids),
            approved_only=approved_only(status),
        )
        url = _check_url(target_url)
        candidates, left_out = choose_creatives(workspace, selection)
        if not candidates:
            raise ConfigError(
                f"no chosen creative has an ExoClick file id ({len(left_out)} left out); "
                "run 'creative-flow upload --platform exoclick --live' first"
            )
        with ExoClient.from_settings(state.settings) as client:
            ads = CampaignAds(client, workspace, new_run_id(), target_url=url, live=live,
                              retries=retries)  # fmt: skip
            report = ads.run(campaign, candidates, left_out)
        if json_out:
            print_json(_as_json(report))
        else:
            _render(report, workspace)
        problems = report.verify_problems + [
            f"{r.candidate.unique_id}: {r.message}" for r in report.results
            if r.status is AdStatus.FAILED
        ]  # fmt: skip
        if problems:
            raise PartialFailure("; ".join(problems))
