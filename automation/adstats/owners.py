"""Which of our creatives an ad shows, by the creative's proven id on the platform.

TrafficJunky: an ad's banner (for a native ad, its video) is a creative id in the inventory.
ExoClick: a variation's library file is a creative id in the inventory; where ExoClick stored
the file anew for the ad (the API wanted the file itself), the variation is ours when exo-ads
recorded it (records/campaigns/exoclick/ads_<campaign>.csv). Names are never used: a name can be
typed by anyone, an id cannot.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from tracking import inventory
from tracking.csvstore import Row, read_rows
from tracking.schemas import platform_columns
from tracking.workspace import Workspace

log = logging.getLogger(__name__)
PROVEN_AD_STATUSES = ("created", "exists")


@dataclass
class Owners:
    """Our creatives on one platform: creative id -> unique_id, and ExoClick ads we made."""

    by_creative: dict[str, str] = field(default_factory=dict)
    by_variation: dict[str, str] = field(default_factory=dict)
    # unique_id -> its first proven creative id: the reverse of by_creative, kept by add()
    _creative_by_unique: dict[str, str] = field(default_factory=dict, init=False, repr=False)

    def add(self, creative_id: str, unique_id: str) -> None:
        """Record that `creative_id` on the platform is our creative `unique_id`."""
        self.by_creative[creative_id] = unique_id
        self._creative_by_unique.setdefault(unique_id, creative_id)

    def creative_of(self, unique_id: str) -> str:
        """The creative id of one of our creatives ('' when it has none)."""
        return self._creative_by_unique.get(unique_id, "")

    def shown_creative(self, creative_id: str, unique_id: str) -> str:
        """The ad's own creative id when it is ours, else the recorded one of `unique_id`."""
        return creative_id if creative_id in self.by_creative else self.creative_of(unique_id)

    def owner(self, creative_id: str, ad_id: str = "") -> str | None:
        """The unique_id an ad shows, or None when it is not ours."""
        return self.by_creative.get(creative_id) or self.by_variation.get(ad_id)


def load_owners(workspace: Workspace, platform: str) -> Owners:
    """Our creatives with a proven id on `platform`, from the inventory (and exo-ads records)."""
    return owners_from(workspace, platform, inventory.load(workspace.inventory_csv))


def owners_from(workspace: Workspace, platform: str, rows: list[Row]) -> Owners:
    """Our creatives with a proven id on `platform`, from inventory rows already read."""
    column = platform_columns(platform)[0]
    owners = Owners()
    for row in rows:
        creative_id = row.get(column, "").strip()
        if not creative_id:
            continue
        if creative_id in owners.by_creative:
            log.warning("%s: creative id %s is recorded for %s and %s; counted for the first",
                        workspace.inventory_csv, creative_id,
                        owners.by_creative[creative_id], row["unique_id"])  # fmt: skip
            continue
        owners.add(creative_id, row["unique_id"])
    if platform == "exoclick":
        owners.by_variation = _exo_ads_made(workspace, set(owners.by_creative.values()))
    return owners


class OwnersByPlatform:
    """Each platform's owners from one read of the inventory, made when first asked for."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._rows: list[Row] | None = None
        self._owners: dict[str, Owners] = {}

    def of(self, platform: str) -> Owners:
        """Our creatives with a proven id on `platform` (the inventory is read the first time)."""
        if platform not in self._owners:
            if self._rows is None:
                self._rows = inventory.load(self.workspace.inventory_csv)
            self._owners[platform] = owners_from(self.workspace, platform, self._rows)
        return self._owners[platform]


def _exo_ads_made(workspace: Workspace, ours: set[str]) -> dict[str, str]:
    """Variation id -> unique_id of every ad exo-ads proved it made (or found) for us."""
    from automation.uploaders.exoclick.campaigns import CHECKPOINT

    made: dict[str, str] = {}
    folder = workspace.campaigns_dir / "exoclick"
    for path in sorted(folder.glob("ads_*.csv")) if folder.is_dir() else []:
        for row in read_rows(path, CHECKPOINT):
            if (
                row["status"] in PROVEN_AD_STATUSES
                and row["variation_id"]
                and (row["unique_id"] in ours)
            ):
                made[row["variation_id"]] = row["unique_id"]
    return made
