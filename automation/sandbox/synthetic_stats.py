"""Deterministic synthetic ad statistics for the sandbox's APIs (TrafficJunky and ExoClick).

An ad's numbers for a day depend only on a seed, the ad's key and the day, so a test can ask
the sandbox's ground truth for the same numbers the API serves. A "weak" ad (its creative named
by a switch) gets a tenth of the click-through rate: the loser a pause rule should find.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class DayStats:
    """One ad's numbers for one day; cost in the account's currency, two decimals."""

    impressions: int
    clicks: int
    conversions: int
    cost: Decimal

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cost"] = float(self.cost)
        return data


def daily(seed: int, key: str, day: date, *, weak: bool = False) -> DayStats:
    """The numbers of ad `key` on `day` for this seed (the same every time)."""
    digest = hashlib.sha256(f"{seed}:{key}:{day.isoformat()}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    impressions = rng.randint(2_000, 20_000)
    ctr = rng.uniform(0.005, 0.03) / (10 if weak else 1)
    clicks = round(impressions * ctr)
    conversions = round(clicks * rng.uniform(0.02, 0.1))
    cpm = Decimal(rng.randint(50, 300)) / 100
    cost = (cpm * impressions / 1000).quantize(Decimal("0.01"))
    return DayStats(impressions, clicks, conversions, cost)


def days(start: date, end: date) -> list[date]:
    """Every day from start to end, both included."""
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def summed(parts: list[DayStats]) -> DayStats:
    """The numbers of several days or ads together."""
    return DayStats(
        sum(p.impressions for p in parts),
        sum(p.clicks for p in parts),
        sum(p.conversions for p in parts),
        sum((p.cost for p in parts), Decimal("0.00")),
    )
