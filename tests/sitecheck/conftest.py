"""A workspace signed in to the sandbox, whose library has creatives in every tab and a page 2."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.sandbox import Sandbox

# Places with creatives; static banners fill more than one page (12 cards a page).
SEEDED_TABS = {
    "static_banner": 14,
    "video_banner": 2,
    "in_stream_video": 2,
    "native_static": 2,
    "native_rollover": 2,
}
CAMPAIGN_NAME = "Spring Promo Straight"


@dataclass
class SiteCheckWorkspace:
    """The workspace and sandbox a site check runs against, and what the sandbox holds."""

    root: Path
    sandbox: Sandbox
    campaign_id: str

    def truth(self) -> dict[str, Any]:
        """Creatives and campaigns (with their ads) as the sandbox holds them."""
        truth = self.sandbox.truth()
        return {"creatives": truth["creatives"], "campaigns": truth["campaigns"]}

    def run_folder(self) -> Path:
        """The artifacts folder of the one run made so far."""
        runs = sorted((self.root / "artifacts").iterdir())
        assert len(runs) == 1, runs
        return runs[0]


@pytest.fixture
def site(sandbox: Sandbox, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> SiteCheckWorkspace:
    """A signed-in workspace pointed at the sandbox; creatives in every tab, one campaign."""
    for tab, count in SEEDED_TABS.items():
        sandbox.seed(creatives=count, tabs=[tab])
    made = sandbox.seed(campaigns=[{"name": CAMPAIGN_NAME, "ad_format": "native"}])
    sandbox.write_session(workspace)
    monkeypatch.setenv("TJ_APP_URL", sandbox.app_url)
    monkeypatch.setenv("TJ_SIGNIN_URL", sandbox.signin_url)
    monkeypatch.setenv("TJ_USERNAME", sandbox.username)
    return SiteCheckWorkspace(workspace, sandbox, str(made["campaigns"][0]["id"]))


def probes_of(stdout: str) -> list[dict[str, str]]:
    """The probes of a `site-check --json` answer."""
    return list(json.loads(stdout)["probes"])
