"""Platform name -> uploader factory: the one place the commands look platforms up.

A platform registers itself by adding a line to PLATFORMS: a module path and the factory's name in
it, imported only when that platform is used (so one platform's heavy imports never slow another).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from automation.errors import ConfigError
from automation.settings import Settings

if TYPE_CHECKING:
    from automation.uploaders.base import Uploader

# name -> "module:factory"; the factory takes Settings and returns an Uploader.
PLATFORMS: dict[str, str] = {
    "trafficjunky": "automation.uploaders.trafficjunky.uploader:TrafficJunkyUploader",
    "exoclick": "automation.uploaders.exoclick.uploader:ExoClickUploader",
}
ALL = "all"


def names() -> list[str]:
    """Registered platform names, in registration order."""
    return list(PLATFORMS)


def resolve(choice: str) -> list[str]:
    """Platform names for a `--platform` value: one name, a comma list, or `all`."""
    wanted = (
        names() if choice.strip().lower() == ALL else [p.strip().lower() for p in choice.split(",")]
    )
    unknown = [p for p in wanted if p not in PLATFORMS]
    if unknown or not wanted:
        raise ConfigError(
            f"unknown platform {', '.join(unknown) or choice!r}; "
            f"choose from {', '.join(names())} or all"
        )
    return wanted


def uploader_for(platform: str, settings: Settings) -> Uploader:
    """The uploader of a registered platform, built for these settings."""
    resolve(platform)
    module_name, _, factory = PLATFORMS[platform].partition(":")
    made: Uploader = getattr(import_module(module_name), factory)(settings)
    return made
