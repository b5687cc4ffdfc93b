"""`creative-flow exo-ads`: ads ("variations") in an ExoClick campaign from uploaded creatives."""

from __future__ import annotations

from typing import Annotated

import typer

from automation.commands.campaign import (
    IdsOpt,
    RunOpt,
    SinceOpt,
    StatusOpt,
    approved_only,
    parse_ids,
    parse_since,
)
from automation.commands.common import (
    DEFAULT_RETRIES,
    JsonOpt,
    LiveOpt,
    RetriesOpt,
    app_context,
    print_json,
)
from automation.errors import ConfigError, PartialFailure
from tracking.runs import new_run_id


def _check_url(url: str) -> str:
    if not url.startswith(("http://", "https://")) or " " in url:
        raise ConfigError(f"--target-url {url!r} must be an http:// or https:// URL")
    return url


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
        retries: RetriesOpt = DEFAULT_RETRIES,
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
        # pandas and httpx load only when the command runs, not for --help.
        from automation.commands.exo_ads_views import as_json, render
        from automation.uploaders.exoclick.ad_select import choose_creatives
        from automation.uploaders.exoclick.campaigns import AdStatus, CampaignAds
        from automation.uploaders.exoclick.client import ExoClient
        from tracking.campaign_select import Selection

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
            print_json(as_json(report))
        else:
            render(report, workspace)
        problems = report.verify_problems + [
            f"{r.candidate.unique_id}: {r.message}" for r in report.results
            if r.status is AdStatus.FAILED
        ]  # fmt: skip
        if problems:
            raise PartialFailure("; ".join(problems))
