"""Creating ExoClick ads ("variations") in a campaign from uploaded creatives.

Per creative: skip it when the campaign already has an ad of its file or of its ad name (so a
rerun, or a run after a crash, never makes a second one), refuse it when the campaign's ad
format does not take its file type, else create the variation: a multipart form naming the
library file, or carrying the file itself where the API wants that (then ExoClick stores a new
library file for the ad, so the ad is known by its name), with the landing URL registered first
(`/library/url`). Each outcome is checkpointed at once in
`records/campaigns/exoclick/ads_<campaign>.csv`. At the end the campaign's variations are read
back: every created ad must be there under its name, and the count must have grown by exactly
the number created.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from automation.errors import ConfigError
from automation.uploaders.exoclick.ad_select import AdCandidate, LeftOut
from automation.uploaders.exoclick.client import ExoApiError, ExoClient, ExoUnsure
from automation.uploaders.exoclick.models import ExoCampaign, ExoVariation
from automation.uploaders.exoclick.specs import CAMPAIGN_FORMAT_TYPES
from creatives.naming import ad_name
from tracking.csvstore import append_rows
from tracking.schemas import Schema
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

CHECKPOINT = Schema(
    name="ExoClick ads checkpoint",
    columns=(
        "run_id",
        "campaign_id",
        "unique_id",
        "file_name",
        "file_id",
        "variation_id",
        "status",
        "message",
        "timestamp",
    ),
    required=("campaign_id", "unique_id", "status"),
)


class AdStatus(StrEnum):
    """What happened to one creative in an exo-ads run."""

    CREATED = "created"
    EXISTS = "exists"  # the campaign already had an ad of this file
    SKIPPED = "skipped"  # the campaign's format does not take this file type
    FAILED = "failed"
    DRY_RUN = "dry_run"


@dataclass
class AdResult:
    """One creative's outcome; `variation_id` is the ad's id on ExoClick when there is one."""

    candidate: AdCandidate
    status: AdStatus
    variation_id: int | None = None
    message: str = ""


@dataclass
class AdsReport:
    """An exo-ads run: the campaign, every result, what was left out, the read-back check."""

    run_id: str
    campaign: ExoCampaign
    live: bool
    results: list[AdResult] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    ads_before: int = 0
    ads_after: int | None = None
    verify_problems: list[str] = field(default_factory=list)

    def count(self, status: AdStatus) -> int:
        return sum(1 for r in self.results if r.status is status)


def checkpoint_path(workspace: Workspace, campaign_id: int) -> Path:
    """The checkpoint file of one campaign's ads."""
    return workspace.campaigns_dir / "exoclick" / f"ads_{campaign_id}.csv"


class CampaignAds:
    """One run of exo-ads for one campaign."""

    def __init__(
        self,
        client: ExoClient,
        workspace: Workspace,
        run_id: str,
        *,
        target_url: str,
        live: bool,
        retries: int = 2,
        backoff_s: float = 1.0,
        on_result: Callable[[AdResult], None] | None = None,
    ) -> None:
        self.client = client
        self.workspace = workspace
        self.run_id = run_id
        self.target_url = target_url
        self.live = live
        self.retries = retries
        self.backoff_s = backoff_s
        self.on_result = on_result or (lambda result: None)
        self._url_id: int | None = None

    def campaign(self, campaign_id: int) -> ExoCampaign:
        """The campaign, or a usage error naming the campaigns the account has."""
        campaigns = self.client.campaigns()
        for campaign in campaigns:
            if campaign.id == campaign_id:
                return campaign
        known = ", ".join(f"{c.id} ({c.name})" for c in campaigns[:20]) or "none"
        raise ConfigError(f"ExoClick campaign {campaign_id} not found; the account has: {known}")

    def run(
        self, campaign_id: int, candidates: list[AdCandidate], left_out: list[LeftOut]
    ) -> AdsReport:
        """Create (or, in a dry run, plan) an ad per candidate, checkpoint each, verify."""
        campaign = self.campaign(campaign_id)
        before = self.client.variations(campaign_id)
        report = AdsReport(self.run_id, campaign, self.live, left_out=list(left_out))
        report.ads_before = len(before)
        have: dict[int | str, ExoVariation] = {v.name: v for v in before if v.name}
        have.update({v.file_id: v for v in before})
        for candidate in candidates:
            result = self._one(campaign, candidate, have)
            if result.variation_id is not None:
                made = _placeholder(result)
                have.setdefault(candidate.file_id, made)
                have.setdefault(made.name, made)
            self._checkpoint(campaign.id, result)
            report.results.append(result)
            self.on_result(result)
        if self.live:
            self._verify(report)
        return report

    def _one(
        self, campaign: ExoCampaign, candidate: AdCandidate, have: dict[int | str, ExoVariation]
    ) -> AdResult:
        existing = have.get(candidate.file_id) or have.get(ad_name(candidate.file_name))
        if existing is not None:
            note = f"campaign {campaign.id} already has ad {existing.id} ({existing.name})"
            return AdResult(candidate, AdStatus.EXISTS, existing.id, note)
        allowed = CAMPAIGN_FORMAT_TYPES.get(campaign.format)
        if allowed is not None and candidate.file_type not in allowed:
            kind = candidate.file_type or "unknown"
            note = f"{kind} file; {campaign.type_name} campaigns take {', '.join(allowed)}"
            return AdResult(candidate, AdStatus.SKIPPED, message=note)
        if not self.live:
            return AdResult(
                candidate, AdStatus.DRY_RUN, message=f"would create an ad in {campaign.id}"
            )
        return self._create(campaign.id, candidate)

    def _create(self, campaign_id: int, candidate: AdCandidate) -> AdResult:
        """POST the variation; after an unsure failure, never POST again before a read-back
        has shown the campaign without an ad of this file."""
        name = ad_name(candidate.file_name)
        message, unsure = "", False
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff_s * 2 ** (attempt - 1))
            if unsure:
                landed = self._landed(campaign_id, candidate)
                if landed is None:
                    continue  # the campaign could not be read: sending again might make two
                if landed:
                    return AdResult(candidate, AdStatus.CREATED, landed[0].id, "found on read-back")
                unsure = False
            try:
                return self._post(campaign_id, candidate, name)
            except ExoUnsure as exc:
                log.info("%s: %s; reading the campaign back", candidate.unique_id, exc)
                message, unsure = str(exc), True
            except ExoApiError as exc:
                return AdResult(candidate, AdStatus.FAILED, message=exc.api_message or str(exc))
        if unsure:
            landed = self._landed(campaign_id, candidate)
            if landed:
                return AdResult(candidate, AdStatus.CREATED, landed[0].id, "found on read-back")
            if landed is None:
                message += "; the campaign could not be read back: a rerun checks it first"
        return AdResult(candidate, AdStatus.FAILED, message=f"gave up: {message}")

    def _post(self, campaign_id: int, candidate: AdCandidate, name: str) -> AdResult:
        """Send one variation; its id from the answer, or else from reading the campaign."""
        if self._url_id is None:
            self._url_id = self.client.add_url(self.target_url)
        made = self.client.create_variation(
            campaign_id, name=name, url=self.target_url, url_id=self._url_id,
            file_id=candidate.file_id, path=candidate.path,
        )  # fmt: skip
        if made is not None:
            return AdResult(candidate, AdStatus.CREATED, made.id)
        landed = self._landed(campaign_id, candidate) or []
        if len(landed) == 1:
            return AdResult(candidate, AdStatus.CREATED, landed[0].id, "id from read-back")
        note = f"created, but {len(landed)} ads named {name} are in the campaign: no id proven"
        return AdResult(candidate, AdStatus.FAILED, message=note)

    def _landed(self, campaign_id: int, candidate: AdCandidate) -> list[ExoVariation] | None:
        """The campaign's ads of this creative, or None when the campaign cannot be read."""
        name = ad_name(candidate.file_name)
        try:
            return [v for v in self.client.variations(campaign_id)
                    if v.name == name or v.file_id == candidate.file_id]  # fmt: skip
        except ExoApiError as exc:
            log.info("campaign %d: read-back failed: %s", campaign_id, exc)
            return None

    def _verify(self, report: AdsReport) -> None:
        """Every created ad is in the campaign with its file; the count grew by exactly that."""
        after = {v.id: v for v in self.client.variations(report.campaign.id)}
        report.ads_after = len(after)
        created = [r for r in report.results if r.status is AdStatus.CREATED]
        for result in created:
            found = after.get(result.variation_id or -1)
            name = ad_name(result.candidate.file_name)
            if found is None or not _is_ad_of(found, result.candidate):
                report.verify_problems.append(
                    f"{result.candidate.unique_id}: ad {result.variation_id} is not in "
                    f"campaign {report.campaign.id} as {name}"
                )
        grown = len(after) - report.ads_before
        if grown != len(created):
            report.verify_problems.append(
                f"campaign {report.campaign.id} has {grown} new ad(s), {len(created)} were created"
            )

    def _checkpoint(self, campaign_id: int, result: AdResult) -> None:
        row = {
            "run_id": self.run_id,
            "campaign_id": campaign_id,
            "unique_id": result.candidate.unique_id,
            "file_name": result.candidate.file_name,
            "file_id": result.candidate.file_id,
            "variation_id": result.variation_id or "",
            "status": str(result.status),
            "message": result.message,
            "timestamp": datetime.now().isoformat(timespec="seconds"),
        }
        append_rows(checkpoint_path(self.workspace, campaign_id), CHECKPOINT, [row])


def _is_ad_of(variation: ExoVariation, candidate: AdCandidate) -> bool:
    """Whether a variation is this creative's ad: by its name, else (no name) by its file."""
    if variation.name:
        return variation.name == ad_name(candidate.file_name)
    return variation.file_id == candidate.file_id


def _placeholder(result: AdResult) -> ExoVariation:
    """What the run knows of an ad it just made (so a second file id in the run is not redone)."""
    name = ad_name(result.candidate.file_name)
    return ExoVariation(result.variation_id or 0, result.candidate.file_id, name)
