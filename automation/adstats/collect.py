"""Pull per-ad statistics from a platform's API and sum them per creative per day.

TrafficJunky: every campaign, its ads (to know each ad's creative), then the ads' numbers one
reporting day at a time (the API sums a range; a day per call gives daily rows). ExoClick: the
advertiser statistics grouped by date and variation, and every campaign's variations to know
each one's library file. An ad whose creative is not in our records is counted, never written.
A native ad counts once, under its video creative (its banner on TrafficJunky).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from automation.adstats.owners import Owners
from automation.adstats.window import REPORTING_TZ_NAME, Window
from automation.uploaders.exoclick.client import ExoApiError, ExoClient
from automation.uploaders.trafficjunky.api import TjApi
from tracking.stats import Counts, StatRow

log = logging.getLogger(__name__)


@dataclass
class Collected:
    """One platform's pull: rows per creative per day, and the ads that are not ours."""

    platform: str
    window: Window
    rows: list[StatRow] = field(default_factory=list)
    ads_seen: set[str] = field(default_factory=set)
    ads_not_ours: set[str] = field(default_factory=set)
    campaigns: int = 0
    retries: int = 0

    @property
    def creatives(self) -> int:
        return len({r.unique_id for r in self.rows})


class _Sums:
    """Counts summed per (day, unique_id), with the creative id each row is written under."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.sums: dict[tuple[date, str], Counts] = defaultdict(Counts)
        self.creative: dict[str, str] = {}

    def add(self, day: date, unique_id: str, creative_id: str, counts: Counts) -> None:
        self.sums[(day, unique_id)] += counts
        self.creative.setdefault(unique_id, creative_id)

    def rows(self) -> list[StatRow]:
        return [
            StatRow(self.platform, day, uid, self.creative[uid], counts)
            for (day, uid), counts in sorted(self.sums.items())
        ]


def collect_trafficjunky(api: TjApi, owners: Owners, window: Window) -> Collected:
    """Every ad's numbers per day in the window, summed per creative of ours."""
    out = Collected("trafficjunky", window)
    sums = _Sums(out.platform)
    for campaign_id in api.campaign_ids():
        out.campaigns += 1
        ads = {ad.id: ad for ad in api.ads(campaign_id)}
        for day in window.days:
            for ad_id, counts in api.ad_stats(campaign_id, day).items():
                key = f"{campaign_id}/{ad_id}"
                out.ads_seen.add(key)
                ad = ads.get(ad_id)
                unique_id = owners.owner(ad.creative_id) if ad else None
                if ad is None or unique_id is None:
                    out.ads_not_ours.add(key)
                    continue
                sums.add(day, unique_id, ad.creative_id, counts)
    out.rows = sums.rows()
    out.retries = api.retry_count
    return out


def _exo_counts(row: dict[str, Any]) -> Counts:
    try:
        return Counts(
            int(row.get("impressions") or 0),
            int(row.get("clicks") or 0),
            int(row.get("conversions") or 0),  # not every account reports conversions
            Decimal(str(row.get("cost") or 0)),
        )
    except (ValueError, InvalidOperation):
        raise ExoApiError(f"ExoClick statistics: unreadable row {str(row)[:120]}") from None


def _exo_day(row: dict[str, Any]) -> date:
    try:
        return date.fromisoformat(str(row.get("date", ""))[:10])
    except ValueError:
        raise ExoApiError(f"ExoClick statistics: a row without a readable date: {row}") from None


def collect_exoclick(client: ExoClient, owners: Owners, window: Window) -> Collected:
    """Every variation's numbers per day in the window, summed per creative of ours."""
    out = Collected("exoclick", window)
    files: dict[str, str] = {}  # variation id -> its library file id
    for campaign in client.campaigns():
        out.campaigns += 1
        files.update({str(v.id): str(v.file_id) for v in client.variations(campaign.id)})
    sums = _Sums(out.platform)
    for row in client.variation_stats(window.start, window.end, REPORTING_TZ_NAME):
        variation = str(row.get("variation_id", ""))
        out.ads_seen.add(variation)
        file_id = files.get(variation, "")
        unique_id = owners.owner(file_id, variation)
        if unique_id is None:
            out.ads_not_ours.add(variation)
            continue
        creative_id = owners.shown_creative(file_id, unique_id)
        sums.add(_exo_day(row), unique_id, creative_id, _exo_counts(row))
    out.rows = sums.rows()
    out.retries = client.retry_count
    return out
