"""The `stats` and `pause` runs per platform: clients from settings, records written."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from automation.adstats.collect import Collected, collect_exoclick, collect_trafficjunky
from automation.adstats.owners import Owners, load_owners
from automation.adstats.pausing import PauseRun
from automation.adstats.window import Window
from automation.errors import ConfigError
from automation.settings import Settings
from automation.uploaders.exoclick.client import ExoClient
from automation.uploaders.trafficjunky.api import TjApi
from tracking import stats
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

PLATFORMS = ("trafficjunky", "exoclick")
KEYS = {"trafficjunky": "TJ_API_KEY", "exoclick": "EXO_API_TOKEN"}


def chosen_platforms(settings: Settings, platform: str | None) -> list[str]:
    """The platform asked for, else every platform whose API key is set."""
    if platform is not None:
        if platform not in PLATFORMS:
            raise ConfigError(f"--platform {platform!r}: one of {', '.join(PLATFORMS)}")
        return [platform]
    have = {"trafficjunky": bool(settings.tj_api_key), "exoclick": bool(settings.exo_api_token)}
    chosen = [p for p in PLATFORMS if have[p]]
    if not chosen:
        raise ConfigError(
            "no platform API key is set: add TJ_API_KEY (TrafficJunky) and/or EXO_API_TOKEN "
            "(ExoClick) to .env"
        )
    return chosen


@contextmanager
def _client(settings: Settings, platform: str, retries: int) -> Iterator[TjApi | ExoClient]:
    client: TjApi | ExoClient
    if platform == "trafficjunky":
        client = TjApi.from_settings(settings, retries=retries)
    else:
        client = ExoClient.from_settings(settings, retries=retries)
    with client:
        yield client


@dataclass
class StatsResult:
    """One platform's stats run: what was pulled, where it went, how many old rows it replaced."""

    collected: Collected
    path: Path
    replaced: int


def pull_stats(
    settings: Settings, workspace: Workspace, platform: str, window: Window, retries: int
) -> StatsResult:
    """Pull a platform's stats for the window and write them in place of those days."""
    owners = load_owners(workspace, platform)
    with _client(settings, platform, retries) as client:
        if isinstance(client, TjApi):
            collected = collect_trafficjunky(client, owners, window)
        else:
            collected = collect_exoclick(client, owners, window)
    path = stats.stats_csv(workspace.records, platform)
    replaced = stats.replace_days(path, window.days, collected.rows)
    return StatsResult(collected, path, replaced)


def chosen_by_ids(owners: Owners, ids: frozenset[str]) -> set[str]:
    """The listed creatives that have an id on the platform (a pair id names both files)."""
    ours = set(owners.by_creative.values()) | set(owners.by_variation.values())
    return {uid for uid in ours if uid in ids or uid.rsplit("-", 1)[0] in ids}


def pause_platform(
    settings: Settings, run: PauseRun, platform: str, owners: Owners, chosen: set[str],
    retries: int,
) -> None:  # fmt: skip
    """Pause (or activate) every ad of the chosen creatives on one platform (`owners`: of it)."""
    with _client(settings, platform, retries) as client:
        if isinstance(client, TjApi):
            run.trafficjunky(client, owners, chosen)
        else:
            run.exoclick(client, owners, chosen)
