"""The ExoClick side of the shared sandbox, for the tests of this package."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from automation.sandbox import exo_api
from automation.settings import Secret, Settings
from tests.fixtures.sandbox import Sandbox


@dataclass
class ExoSandbox:
    """The sandbox's ExoClick API: its URL, ground truth, switches and controls."""

    sandbox: Sandbox

    @property
    def url(self) -> str:
        return self.sandbox.url

    @property
    def api_url(self) -> str:
        return self.url + exo_api.URL_PREFIX

    def control(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = httpx.post(f"{self.url}{exo_api.CONTROL_PREFIX}/{path}", json=body or {})
        response.raise_for_status()
        return response.json()

    def truth(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.url}{exo_api.CONTROL_PREFIX}/truth").json())

    def switches(self, **changes: Any) -> None:
        """The sandbox's own failure switches (latency, 500 rate on route prefixes)."""
        self.sandbox.switches(**changes)

    def requests(self, method: str | None = None, path: str = "") -> list[dict[str, Any]]:
        """The API requests the sandbox answered (optionally one method and path prefix)."""
        return [
            r
            for r in self.truth()["requests"]
            if (method is None or r["method"] == method) and r["path"].startswith(path)
        ]

    def campaign(self, name: str, fmt: str) -> int:
        """A new campaign of ad format `fmt` (display, native, instream); its id."""
        return int(self.control("campaigns", {"name": name, "format": fmt})["id"])

    def settings(self, workspace: Path, **overrides: Any) -> Settings:
        """Settings pointed at both sandbox platforms, with the demo credentials and API token."""
        return self.sandbox.settings(
            workspace,
            exo_api_url=self.api_url,
            exo_api_token=Secret(exo_api.DEMO_API_TOKEN),
            **overrides,
        )


@pytest.fixture
def exo(sandbox: Sandbox) -> ExoSandbox:
    """The ExoClick API of the sandbox, reset for this test."""
    return ExoSandbox(sandbox)
