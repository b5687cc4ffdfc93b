"""The ExoClick side of the shared sandbox, for the tests of this package."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from automation.sandbox import exo_api
from automation.sandbox.exo_variants import EXO_VARIANTS, exo_variant_switches
from automation.settings import Secret, Settings
from tests.fixtures.media import make_image, make_video
from tests.fixtures.sandbox import Sandbox
from tracking import inventory
from tracking.library_cache import library_key
from tracking.workspace import Workspace


@dataclass
class ExoSandbox:
    """The sandbox's ExoClick API: its URL, ground truth, switches and controls."""

    sandbox: Sandbox
    variant: str = "default"

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

    def exo_switches(self, **changes: Any) -> None:
        """ExoClick's switches: its open behaviours (exo_variants) and failure modes."""
        self.control("switches", changes)

    def files_by_name(self) -> dict[str, list[dict[str, Any]]]:
        """The library files by name key (`file_name` with or without its extension)."""
        found: dict[str, list[dict[str, Any]]] = {}
        for file in self.truth()["files"]:
            found.setdefault(library_key(file["file_name"]), []).append(file)
        return found

    def review(self, ids: list[int], status: str | int) -> None:
        self.control("review", {"ids": ids, "status": status})

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

    def env_file(self, workspace: Path) -> Path:
        """A settings file pointing the tool at both sandbox platforms (for CLI runs)."""
        path = Path(workspace) / ".env-sandbox"
        path.write_text(
            f"TJ_SIGNIN_URL={self.sandbox.signin_url}\nTJ_APP_URL={self.sandbox.app_url}\n"
            f"TJ_USERNAME={self.sandbox.username}\nTJ_PASSWORD={self.sandbox.password}\n"
            f"EXO_API_URL={self.api_url}\nEXO_API_TOKEN={exo_api.DEMO_API_TOKEN}\n"
        )
        return path

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


@pytest.fixture
def api(exo: ExoSandbox) -> Iterator[httpx.Client]:
    """A raw HTTP client logged in to the sandbox's API (no product code involved)."""
    client = httpx.Client(base_url=exo.api_url, trust_env=False, timeout=30)
    token = client.post("/login", json={"api_token": exo_api.DEMO_API_TOKEN}).json()["token"]
    client.headers["Authorization"] = f"Bearer {token}"
    yield client
    client.close()


@pytest.fixture(params=list(EXO_VARIANTS))
def exo_variant(request: pytest.FixtureRequest, exo: ExoSandbox) -> ExoSandbox:
    """The ExoClick API on the default and on every ExoClick variant (one test per name).

    For the flow tests that must pass however the real API resolves each open question.
    """
    exo.exo_switches(**exo_variant_switches(str(request.param)))
    exo.variant = str(request.param)
    return exo


@dataclass(frozen=True)
class Creative:
    """One inventory row's worth of test creative: its unique_id, file and type."""

    unique_id: str
    path: Path
    creative_type: str
    pair_id: str = ""


def add_creatives(workspace: Path, creatives: list[Creative]) -> None:
    """Record creatives (already in processed/) in the workspace's inventory."""
    rows = [
        {
            "unique_id": c.unique_id,
            "original_filename": c.path.name,
            "new_filename": c.path.name,
            "creative_type": c.creative_type,
            "native_pair_id": c.pair_id,
            "category": "Cat",
            "date_processed": "2026-01-05",
            "file_format": c.path.suffix.lstrip("."),
        }
        for c in creatives
    ]
    inventory.append(Workspace(workspace).inventory_csv, rows)


def make_creatives(workspace: Path, count: int = 1, *, start: int = 0) -> list[Creative]:
    """`count` sets of a native pair, a pre-roll and a 300x250 banner, small enough for both
    platforms, written to processed/ and recorded in the inventory."""
    processed = Workspace(workspace).processed
    made: list[Creative] = []
    for n in range(start, start + count):
        hexid = f"{0xE0C0_0000 + n:08X}"
        stem = f"EN_Cat_MFT_Both_R_Test{n}_Me"
        video = make_video(processed / f"VID_{stem}_4sec_ID-{hexid}-VID.mp4",
                           width=640, height=360, seconds=4, seed=n)  # fmt: skip
        image = make_image(processed / f"IMG_{stem}_ID-{hexid}-IMG.png", width=640, height=360,
                           seed=n)  # fmt: skip
        pre_id = f"{0xE1C0_0000 + n:08X}"
        preroll = make_video(processed / f"{stem}_6sec_ID-{pre_id}.mp4", width=640, height=360,
                             seconds=6, seed=n + 100)  # fmt: skip
        ban_id = f"{0xE2C0_0000 + n:08X}"
        banner = make_image(processed / f"{stem}_300x250_ID-{ban_id}.png", width=300,
                            height=250, seed=n)  # fmt: skip
        made += [
            Creative(f"ID-{hexid}-VID", video, "native_video", f"ID-{hexid}"),
            Creative(f"ID-{hexid}-IMG", image, "native_image", f"ID-{hexid}"),
            Creative(f"ID-{pre_id}", preroll, "preroll"),
            Creative(f"ID-{ban_id}", banner, "banner"),
        ]
    add_creatives(workspace, made)
    return made
