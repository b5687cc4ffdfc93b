"""Both platforms' APIs in the sandbox, with campaigns, ads and our creatives' records."""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from automation.adstats.window import today_est
from automation.sandbox import exo_api, tj_api
from automation.sandbox.tj_api_variants import TJ_API_VARIANTS
from automation.uploaders.exoclick.campaigns import CHECKPOINT, checkpoint_path
from tests.exoclick.conftest import (  # noqa: F401  (fixtures used here)
    ExoSandbox,
    exo,
    exo_variant,
)
from tests.fixtures.sandbox import Sandbox
from tracking import inventory
from tracking.csvstore import append_rows
from tracking.workspace import Workspace

YESTERDAY = today_est() - timedelta(days=1)


def days_back(n: int) -> tuple[date, date]:
    """The last n finished days (EST), as the tool's --days n takes them."""
    return YESTERDAY - timedelta(days=n - 1), YESTERDAY


@dataclass
class Platforms:
    """The sandbox's two APIs as a test sees them: truth, switches, seeding, settings file."""

    sandbox: Sandbox
    # unique_id -> what it is on each platform (filled by the seeding helpers)
    tj_ids: dict[str, int] = field(default_factory=dict)
    exo_ids: dict[str, int] = field(default_factory=dict)

    @property
    def exo(self) -> ExoSandbox:
        return ExoSandbox(self.sandbox)

    def env_file(self, workspace: Path) -> Path:
        """The ExoClick tests' settings file, plus the TrafficJunky API's URL and key."""
        path = self.exo.env_file(workspace)
        with path.open("a") as env:
            env.write(
                f"TJ_API_URL={self.sandbox.url}{tj_api.URL_PREFIX}\n"
                f"TJ_API_KEY={tj_api.DEMO_API_KEY}\n"
            )
        return path

    def get(self, path: str, **params: Any) -> Any:
        response = httpx.get(f"{self.sandbox.url}{path}", params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def exo_control(self, path: str, body: dict[str, Any]) -> Any:
        return self.exo.control(path, body)

    # -- truth ----------------------------------------------------------------------------------

    def tj_ads(self) -> list[dict[str, Any]]:
        return list(self.get(f"{tj_api.TRUTH_PREFIX}/ads")["ads"])

    def exo_variations(self) -> list[dict[str, Any]]:
        truth = self.get(f"{exo_api.CONTROL_PREFIX}/truth")
        return [{**v, "campaign_id": c["id"]} for c in truth["campaigns"] for v in c["variations"]]

    def tj_truth(self, start: date, end: date) -> dict[tuple[str, str], tuple]:
        """(date, unique_id) -> summed numbers of our ads, from the sandbox's own view."""
        rows = self.get(f"{tj_api.TRUTH_PREFIX}/stats", start=start, end=end)["rows"]
        owner = {v: k for k, v in self.tj_ids.items()}
        return _summed((r["date"], owner.get(r["banner_id"]), r) for r in rows)

    def exo_truth(self, start: date, end: date, owner_of_variation: dict[int, str]) -> dict:
        rows = self.get(f"{exo_api.CONTROL_PREFIX}/stats", start=start, end=end)["rows"]
        return _summed((r["date"], owner_of_variation.get(r["variation_id"]), r) for r in rows)


def _summed(items: Any) -> dict[tuple[str, str], tuple]:
    sums: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0, 0, Decimal("0")])
    for day, owner, row in items:
        if owner is None:
            continue
        into = sums[(day, owner)]
        for n, key in enumerate(("impressions", "clicks", "conversions")):
            into[n] += int(row[key])
        into[3] += Decimal(str(row["cost"]))
    return {k: (v[0], v[1], v[2], v[3]) for k, v in sums.items()}


def written(workspace: Path, platform: str) -> dict[tuple[str, str], tuple]:
    """records/stats/<platform>.csv as (date, unique_id) -> numbers; a duplicate fails."""
    path = workspace / "records" / "stats" / f"{platform}.csv"
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == [
            "date", "unique_id", "creative_id", "impressions", "clicks", "conversions", "cost",
        ]  # fmt: skip
        out: dict[tuple[str, str], tuple] = {}
        for row in reader:
            key = (row["date"], row["unique_id"])
            assert key not in out, f"duplicate row {key}"
            out[key] = (int(row["impressions"]), int(row["clicks"]), int(row["conversions"]),
                        Decimal(row["cost"]))  # fmt: skip
    return out


def record_creatives(workspace: Path, rows: list[dict[str, str]]) -> None:
    """Inventory rows for our creatives (no files needed: the APIs never see them)."""
    full = [{"new_filename": f"{r['unique_id']}.mp4", "creative_type": "x", **r} for r in rows]
    inventory.append(Workspace(workspace).inventory_csv, full)


def seed_trafficjunky(platforms: Platforms, workspace: Path) -> dict[str, Any]:
    """Two campaigns: a native pair (A), a pre-roll (B) in both, and an ad not ours (C)."""
    state = platforms.sandbox.state
    video, thumb, pre, other = (c.id for c in state.seed_creatives(4, ["native_rollover"]))
    one = state.seed_campaign("Native one", ad_format="native")
    two = state.seed_campaign("Native two", ad_format="native")
    for campaign in (one, two):
        state.add_ad(campaign.id, "A", "https://a.example/", [video, thumb])
        state.add_ad(campaign.id, "B", "https://b.example/", [pre])
    state.add_ad(one.id, "C", "https://c.example/", [other])
    platforms.tj_ids.update(
        {"ID-0000000A-VID": video, "ID-0000000A-IMG": thumb, "ID-0000000B": pre}
    )
    record_creatives(workspace, [
        {"unique_id": uid, "tj_creative_id": str(cid), "native_pair_id": uid[:11]}
        for uid, cid in platforms.tj_ids.items()
    ])  # fmt: skip
    return {"campaigns": [one.id, two.id], "other": other}


def seed_exoclick(platforms: Platforms, workspace: Path) -> dict[int, str]:
    """A campaign with three variations: of our file D, of a file ExoClick stored anew for our
    creative E (known from the exo-ads record), and of a file not ours. Returns variation ->
    unique_id of ours."""
    platforms.exo_control("campaigns", {"name": "Display", "format": "display", "id": 1001})
    files = platforms.exo_control("files", {"count": 3})["result"]
    made = [
        platforms.exo_control("variations", {"campaign_id": 1001, "file_id": f["id"]})
        for f in files
    ]
    platforms.exo_ids.update({"ID-0000000D": files[0]["id"], "ID-0000000E": files[1]["id"] + 1000})
    record_creatives(workspace, [
        {"unique_id": uid, "exo_creative_id": str(fid)} for uid, fid in platforms.exo_ids.items()
    ])  # fmt: skip
    append_rows(checkpoint_path(Workspace(workspace), 1001), CHECKPOINT, [
        {"run_id": "r1", "campaign_id": 1001, "unique_id": "ID-0000000E",
         "variation_id": made[1]["idvariation"], "status": "created"},
    ])  # fmt: skip
    return {made[0]["idvariation"]: "ID-0000000D", made[1]["idvariation"]: "ID-0000000E"}


@pytest.fixture
def platforms(sandbox: Sandbox) -> Platforms:
    """Both APIs of the sandbox, reset for this test; ExoClick's own tables too."""
    httpx.post(f"{sandbox.url}{exo_api.CONTROL_PREFIX}/reset", timeout=30).raise_for_status()
    return Platforms(sandbox)


@pytest.fixture(params=list(TJ_API_VARIANTS))
def tj_variant(request: pytest.FixtureRequest, platforms: Platforms) -> Platforms:
    """The TrafficJunky API on the default and on every open behaviour (one test per name)."""
    platforms.sandbox.switches(**TJ_API_VARIANTS[str(request.param)])
    return platforms
