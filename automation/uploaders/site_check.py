"""What `site-check` reports for any platform: each thing the tool relies on, where it was looked
for, and whether it was there. Read-only by contract: a site check never uploads or creates.

A platform provides `site_check(settings, run_id, *, campaign) -> SiteCheckReport` in its own
`automation/uploaders/<platform>/site_check.py`; SITE_CHECKS below names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import import_module
from pathlib import Path
from typing import Any

from automation.errors import ConfigError
from automation.settings import Settings

# platform -> "module:function"; imported only when that platform is checked.
SITE_CHECKS: dict[str, str] = {
    "trafficjunky": "automation.uploaders.trafficjunky.site_check:site_check",
    "exoclick": "automation.uploaders.exoclick.site_check:site_check",
}


class ProbeStatus(StrEnum):
    """Where one probe stands."""

    FOUND = "found"
    MISSING = "missing"  # expected where it was looked for, and not there: the site changed
    ABSENT_OK = "absent (optional)"  # an optional element the site may or may not have
    NOT_TRIED = "not tried"  # only shows during a write (an upload, a CSV check): not checked


@dataclass(frozen=True)
class Probe:
    """One selector (or API field) looked for in one place.

    `name`: the constant in selectors.py (or `endpoint.field` for an API); `where`: the page,
    tab or endpoint; `detail`: what was found (a count, a type) or, when missing, what was found
    instead nearby.
    """

    name: str
    where: str
    status: ProbeStatus
    detail: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "where": self.where,
            "status": self.status.value,
            "detail": self.detail,
        }


@dataclass
class SiteCheckReport:
    """Every probe of one platform, plus the sanitized snapshots saved for a bug report."""

    platform: str
    probes: list[Probe] = field(default_factory=list)
    artifacts: list[Path] = field(default_factory=list)

    @property
    def missing(self) -> list[Probe]:
        return [p for p in self.probes if p.status is ProbeStatus.MISSING]

    @property
    def ok(self) -> bool:
        return bool(self.probes) and not self.missing

    def as_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "ok": self.ok,
            "missing": len(self.missing),
            "probes": [p.as_dict() for p in self.probes],
            "artifacts": [str(a) for a in self.artifacts],
        }


SiteCheck = Callable[..., SiteCheckReport]


def site_check_for(platform: str) -> SiteCheck:
    """The site check of a platform; ConfigError naming the platforms that have one."""
    target = SITE_CHECKS.get(platform.strip().lower())
    if target is None:
        raise ConfigError(
            f"site-check: no check for {platform!r}; choose from {', '.join(SITE_CHECKS)}"
        )
    module_name, _, function = target.partition(":")
    check: SiteCheck = getattr(import_module(module_name), function)
    return check


def run_site_check(
    platform: str, settings: Settings, run_id: str, *, campaign: str | None = None
) -> SiteCheckReport:
    """Run a platform's read-only site check."""
    return site_check_for(platform)(settings, run_id, campaign=campaign)
