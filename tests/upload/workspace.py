"""Upload-test workspaces: inventories of generated media, and what records and sandbox say."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fixtures.media import make_image, make_video
from tests.fixtures.sandbox import Sandbox
from tracking import inventory
from tracking.library_cache import LibraryCache
from tracking.workspace import Workspace


@dataclass
class TJWorkspace:
    """A workspace whose inventory lists generated creatives, and the sandbox it uploads to."""

    root: Path
    sandbox: Sandbox
    rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def ws(self) -> Workspace:
        return Workspace(self.root)

    def env(self) -> dict[str, str]:
        """Environment that points the tool at the sandbox (for child processes)."""
        return {
            "TJ_APP_URL": self.sandbox.app_url,
            "TJ_SIGNIN_URL": self.sandbox.signin_url,
            "TJ_USERNAME": self.sandbox.username,
            "TJ_PASSWORD": self.sandbox.password,
            "CREATIVE_FLOW_UPLOAD_TIMEOUT_S": "30",
        }

    def _add(self, path: Path, unique_id: str, creative_type: str, pair: str = "") -> None:
        row = {
            "unique_id": unique_id,
            "new_filename": path.name,
            "creative_type": creative_type,
            "native_pair_id": pair,
            "source_path": str(path),
        }
        inventory.append(self.ws.inventory_csv, [row])
        self.rows.append(row)

    def banners(self, count: int, prefix: str = "Banner", start: int = 0) -> list[str]:
        """`count` 300x250 PNG banners; returns their unique_ids."""
        ids = []
        for i in range(start, start + count):
            name = f"EN_Cat_MFT_Both_NA_{prefix}{i:03d}_Bob_ID-{i:08X}.png"
            make_image(self.ws.processed / name, width=300, height=250, seed=i)
            self._add(self.ws.processed / name, f"ID-{i:08X}", "banner")
            ids.append(f"ID-{i:08X}")
        return ids

    def named_banner(self, name: str, unique_id: str, creative_type: str = "banner") -> str:
        """One PNG under an exact name (without extension); 640x360 for native images."""
        size = (640, 360) if creative_type == "native_image" else (300, 250)
        path = self.ws.processed / f"{name}.png"
        make_image(path, width=size[0], height=size[1])
        self._add(path, unique_id, creative_type)
        return unique_id

    def pairs(self, count: int, start: int = 0) -> list[str]:
        """`count` native pairs (640x360 1 s MP4 + 640x360 PNG); returns their pair ids."""
        ids = []
        for i in range(start, start + count):
            hex_id = f"{0xA0000000 + i:08X}"
            video = (
                self.ws.processed
                / f"VID_EN_Cat_MFT_Both_NA_Pair{i:03d}_Bob_1sec_ID-{hex_id}-VID.mp4"
            )
            image = (
                self.ws.processed / f"IMG_EN_Cat_MFT_Both_NA_Pair{i:03d}_Bob_ID-{hex_id}-IMG.png"
            )
            make_video(video, width=640, height=360, seconds=1, audio=False, fps=10, seed=i)
            make_image(image, width=640, height=360, seed=i)
            self._add(video, f"ID-{hex_id}-VID", "native_video", f"ID-{hex_id}")
            self._add(image, f"ID-{hex_id}-IMG", "native_image", f"ID-{hex_id}")
            ids.append(f"ID-{hex_id}")
        return ids

    def preroll(self, name: str, unique_id: str, seconds: float) -> str:
        path = self.ws.processed / f"{name}.mp4"
        make_video(path, width=640, height=360, seconds=seconds, audio=False, fps=5)
        self._add(path, unique_id, "preroll")
        return unique_id

    # --- what the records and the platform say ----------------------------------------------
    def recorded_ids(self) -> dict[str, str]:
        """unique_id -> tj_creative_id from the inventory."""
        return {r["unique_id"]: r["tj_creative_id"] for r in inventory.load(self.ws.inventory_csv)}

    def truth(self) -> list[dict[str, Any]]:
        return list(self.sandbox.truth()["creatives"])

    def truth_ids(self, place: str) -> dict[str, str]:
        """name -> id of the sandbox's creatives in one place (tab or native sub-type)."""
        return {
            c["name"]: str(c["id"]) for c in self.truth() if place in (c["tab"], c["native_type"])
        }

    def place_of(self, unique_id: str) -> str:
        row = next(r for r in self.rows if r["unique_id"] == unique_id)
        return {
            "banner": "static_banner",
            "native_video": "native_rollover",
            "native_image": "native_static",
            "preroll": "in_stream_video",
        }[row["creative_type"]]

    def expected_ids(self) -> dict[str, str]:
        """unique_id -> the sandbox's id of the creative with that file's name, in its place."""
        expected = {}
        for row in self.rows:
            names = self.truth_ids(self.place_of(row["unique_id"]))
            expected[row["unique_id"]] = names.get(Path(row["new_filename"]).stem, "")
        return expected

    def duplicates_in_sandbox(self) -> list[tuple[str, str]]:
        counts = Counter((c["tab"], c["name"]) for c in self.truth())
        return [key for key, n in counts.items() if n > 1]

    def status_rows(self) -> list[dict[str, str]]:
        rows: list[dict[str, str]] = []
        for path in sorted(self.ws.uploads_dir.glob("*.csv")):
            with path.open(newline="") as handle:
                rows.extend(csv.DictReader(handle))
        return rows

    def cache(self) -> LibraryCache:
        return LibraryCache.load(self.ws.library_csv("trafficjunky"))

    def journals(self) -> list[Path]:
        return sorted(self.ws.uploads_dir.glob("*.journal.jsonl"))


def sandbox_requests_seen(sandbox: Sandbox, marker: int = 1_000_000) -> int:
    """How many requests the sandbox served since `arm_request_counter` (via its expiry counter)."""
    left = sandbox.control("switches")["expire_after_requests"]
    return marker - int(left)


def arm_request_counter(sandbox: Sandbox, marker: int = 1_000_000) -> None:
    """Start counting requests (the session-expiry countdown, set far beyond reach)."""
    sandbox.switches(expire_after_requests=marker)
