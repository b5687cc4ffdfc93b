"""Pause (or activate) every ad of chosen creatives, in every campaign, on one platform.

Creatives are chosen by unique_id or by a rule over the stats in records. Every ad of theirs is
found (TrafficJunky: campaigns, then each campaign's ads; ExoClick: each campaign's variations),
changed only with --live, and read back: an ad counts as changed only when the platform then
shows it so (a campaign's list is read once more, after all its changes). One row per ad goes
to records/pauses/<run-id>.csv as soon as it is known.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path

from automation.adstats.owners import Owners
from automation.adstats.window import Window
from automation.errors import CreativeFlowError
from automation.uploaders.exoclick.client import ExoClient
from automation.uploaders.exoclick.models import ExoVariation
from automation.uploaders.trafficjunky.api import ACTIVE, PAUSED, TjAd, TjApi
from tracking.csvstore import append_rows
from tracking.pauses import PAUSES, PauseResult, pauses_csv
from tracking.stat_rules import Rule
from tracking.stats import Counts, StatRow
from tracking.workspace import Workspace

log = logging.getLogger(__name__)


def matching(rows: list[StatRow], rule: Rule, window: Window) -> dict[str, Counts]:
    """unique_id -> its counts over the window, for every creative the rule selects."""
    totals: dict[str, Counts] = defaultdict(Counts)
    for row in rows:
        if window.start <= row.day <= window.end:
            totals[row.unique_id] += row.counts
    return {uid: counts for uid, counts in sorted(totals.items()) if rule.matches(counts)}


@dataclass
class PauseRow:
    """What happened to one ad."""

    platform: str
    unique_id: str
    creative_id: str
    campaign_id: str
    ad_id: str
    status_before: str
    status_after: str = ""
    result: PauseResult = PauseResult.DRY_RUN
    message: str = ""


@dataclass
class PauseRun:
    """One pause run: where its rows go, whether it acts, and which way."""

    workspace: Workspace
    run_id: str
    live: bool
    activate: bool = False
    rows: list[PauseRow] = field(default_factory=list)

    @property
    def action(self) -> str:
        return "activate" if self.activate else "pause"

    @property
    def wanted(self) -> str:
        return ACTIVE if self.activate else PAUSED

    @property
    def path(self) -> Path:
        return pauses_csv(self.workspace.records, self.run_id)

    def record(self, row: PauseRow) -> None:
        """Keep the row and write it at once (a crash loses no finished change)."""
        self.rows.append(row)
        stamp = datetime.now().isoformat(timespec="seconds")
        data = {**asdict(row), "result": str(row.result), "run_id": self.run_id,
                "action": self.action, "timestamp": stamp}  # fmt: skip
        append_rows(self.path, PAUSES, [data])

    def _plan(self, row: PauseRow) -> PauseRow | None:
        """A row settled without acting (already so, or a dry run); None when it must change."""
        if row.status_before == self.wanted:
            row.status_after, row.result = row.status_before, PauseResult.UNCHANGED
            return row
        if not self.live:
            row.result = PauseResult.DRY_RUN
            return row
        return None

    # -- TrafficJunky -----------------------------------------------------------------------

    def trafficjunky(self, api: TjApi, owners: Owners, chosen: set[str]) -> None:
        """Every ad of a chosen creative in every campaign; each changed campaign read back."""
        for campaign_id in api.campaign_ids():
            pending: list[PauseRow] = []
            for ad in api.ads(campaign_id):
                unique_id = owners.owner(ad.creative_id)
                if unique_id not in chosen:
                    continue
                row = self._tj_row(ad, unique_id)
                if self._plan(row) is not None:
                    self.record(row)
                    continue
                try:
                    api.set_paused(ad.id, not self.activate)
                    pending.append(row)
                except CreativeFlowError as exc:
                    row.result, row.message = PauseResult.FAILED, str(exc)
                    self.record(row)
            if pending:
                # The campaign's ad list (the API's seen read of ads) proves every change at once.
                self._read_back(partial(_tj_statuses, api, campaign_id), pending)

    @staticmethod
    def _tj_row(ad: TjAd, unique_id: str) -> PauseRow:
        return PauseRow("trafficjunky", unique_id, ad.creative_id, str(ad.campaign_id),
                        str(ad.id), ad.status)  # fmt: skip

    # -- ExoClick ---------------------------------------------------------------------------

    def exoclick(self, client: ExoClient, owners: Owners, chosen: set[str]) -> None:
        """Every variation of a chosen creative in every campaign; each campaign read back."""
        for campaign in client.campaigns():
            pending: list[PauseRow] = []
            for variation in client.variations(campaign.id):
                unique_id = owners.owner(str(variation.file_id), str(variation.id))
                if unique_id not in chosen:
                    continue
                row = self._exo_row(owners, campaign.id, variation, unique_id)
                if self._plan(row) is not None:
                    self.record(row)
                    continue
                try:
                    client.set_variation_active(campaign.id, variation.id, self.activate)
                    pending.append(row)
                except CreativeFlowError as exc:
                    row.result, row.message = PauseResult.FAILED, str(exc)
                    self.record(row)
            if pending:
                self._read_back(partial(_exo_statuses, client, campaign.id), pending)

    def _exo_row(
        self, owners: Owners, campaign_id: int, variation: ExoVariation, unique_id: str
    ) -> PauseRow:
        creative = owners.shown_creative(str(variation.file_id), unique_id)
        return PauseRow("exoclick", unique_id, creative, str(campaign_id), str(variation.id),
                        exo_status(variation))  # fmt: skip

    def _read_back(self, statuses: Callable[[], dict[str, str]], rows: list[PauseRow]) -> None:
        """Settle changed rows by the campaign as the platform now shows it (ad id -> status)."""
        try:
            now = statuses()
        except CreativeFlowError as exc:
            now, note = {}, f"changed, but the campaign could not be read back: {exc}"
        else:
            note = ""
        for row in rows:
            row.status_after = now.get(row.ad_id, "")
            if row.status_after == self.wanted:
                row.result = PauseResult.CHANGED
            else:
                row.result = PauseResult.FAILED
                row.message = note or f"reads back {row.status_after or 'missing'}"
            self.record(row)


def _tj_statuses(api: TjApi, campaign_id: int) -> dict[str, str]:
    """Each ad's status in a TrafficJunky campaign's ad list."""
    return {str(ad.id): ad.status for ad in api.ads(campaign_id)}


def _exo_statuses(client: ExoClient, campaign_id: int) -> dict[str, str]:
    """Each variation's status in an ExoClick campaign."""
    return {str(v.id): exo_status(v) for v in client.variations(campaign_id)}


def exo_status(variation: ExoVariation) -> str:
    """A variation's running state in the words TrafficJunky uses."""
    if variation.active is None:
        return "unknown"
    return ACTIVE if variation.active else PAUSED
