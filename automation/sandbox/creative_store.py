"""Creatives in the sandbox library: add, list by tab (newest first), seed, review."""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass
from typing import Any

from automation.sandbox.db import Database
from automation.sandbox.tabs import TABS, Tab

FIRST_CREATIVE_ID = 1_000_012_340  # 10 digits; every new creative gets the previous one + 10
ID_STEP = 10
REVIEW_STATUSES = ("pending", "approved", "rejected")
# What a seeded creative looks like in each place: dimensions, file type, duration.
SEED_SHAPES: dict[str, tuple[str, str, float | None]] = {
    "static_banner": ("300x250", ".png", None),
    "video_banner": ("300x250", ".mp4", 6.0),
    "in_stream_video": ("1920x1080", ".mp4", 15.0),
    "native_static": ("640x360", ".png", None),
    "native_rollover": ("640x360", ".mp4", 4.0),
    "short_video": ("1080x1920", ".mp4", 15.0),
}


@dataclass
class Creative:
    """One creative as the sandbox knows it (the ground truth)."""

    id: int
    name: str
    tab: str
    native_type: str | None
    dimensions: str
    file_type: str
    creative_type: str
    status: str
    upload_order: int
    content_category: str
    size_bytes: int
    duration_s: float | None
    ready_at: float = 0.0  # when the platform finishes processing it; no card before then

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _creative(row: Any) -> Creative:
    keys = Creative.__dataclass_fields__
    return Creative(**{k: row[k] for k in keys})


class CreativeStore:
    """The library half of SandboxState."""

    db: Database

    def add_creative(
        self,
        place: Tab,
        name: str,
        *,
        dimensions: str,
        file_type: str,
        size_bytes: int,
        duration_s: float | None = None,
        content_category: str = "straight",
        status: str = "pending",
        processing_s: float = 0.0,
        duplicate_scope: str = "tab",
    ) -> Creative | None:
        """Add a creative, shown once `processing_s` have passed; None when the name exists.

        A name that exists (in the page tab, or anywhere with `duplicate_scope="library"`) is
        dropped silently, as the platform does.
        """
        with self.db.transaction():
            if self.find_by_name(None if duplicate_scope == "library" else place.tab, name):
                return None
            creative = Creative(
                id=self.db.next_number("next_creative_id", FIRST_CREATIVE_ID, ID_STEP),
                name=name, tab=place.tab, native_type=place.native_type, dimensions=dimensions,
                file_type=file_type, creative_type=place.creative_type, status=status,
                upload_order=self.db.next_number("next_upload_order", 1, 1),
                content_category=content_category, size_bytes=size_bytes, duration_s=duration_s,
                ready_at=time.time() + processing_s if processing_s else 0.0,
            )  # fmt: skip
            values = creative.as_dict()
            values["created_at"] = time.time()
            columns = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            self.db.execute(
                f"INSERT INTO creatives ({columns}) VALUES ({marks})", list(values.values())
            )
        return creative

    def _short_video_shown(self) -> bool:
        """Whether the library page shows a Short Video tab (a switch of the whole state)."""
        switches: Any = getattr(self, "switches", dict)()
        return bool(switches.get("short_video_tab"))

    def find_by_name(self, tab: str | None, name: str) -> Creative | None:
        """The creative of that name in a page tab (both native sub-types share one tab), or
        anywhere in the library when `tab` is None; processing or not."""
        if tab is None:
            rows = self.db.query("SELECT * FROM creatives WHERE name = ?", (name,))
        else:
            rows = self.db.query("SELECT * FROM creatives WHERE tab = ? AND name = ?", (tab, name))
        return _creative(rows[0]) if rows else None

    def creative(self, creative_id: int) -> Creative | None:
        rows = self.db.query("SELECT * FROM creatives WHERE id = ?", (creative_id,))
        return _creative(rows[0]) if rows else None

    def creatives(self, place: Tab | None = None, *, processed: bool = False) -> list[Creative]:
        """Creatives newest first, all or in one place (tab + native sub-type).

        `processed`: only those the platform has finished processing (the ones with a card).
        """
        self.apply_auto_approve()
        ready = "ready_at <= ?" if processed else "? IS NOT NULL"
        if place is None:
            rows = self.db.query(
                f"SELECT * FROM creatives WHERE {ready} ORDER BY id DESC", (time.time(),)
            )
        else:
            rows = self.db.query(
                f"SELECT * FROM creatives WHERE {ready} AND tab = ? "
                "AND coalesce(native_type, '') = ? ORDER BY id DESC",
                (time.time(), place.tab, place.native_type or ""),
            )
        return [_creative(r) for r in rows]

    def processing_count(self) -> int:
        """How many creatives the platform is still processing."""
        rows = self.db.query(
            "SELECT count(*) AS n FROM creatives WHERE ready_at > ?", (time.time(),)
        )
        return int(rows[0]["n"])

    def seed_creatives(
        self,
        n: int,
        tabs: list[str] | None = None,
        *,
        content_category: str = "straight",
        status: str = "pending",
        prefix: str = "Seed",
    ) -> list[Creative]:
        """Add `n` creatives, cycling over `tabs` (places like "native_rollover"; if None, every
        place the library page shows)."""
        keys = tabs or [k for k in SEED_SHAPES if k != "short_video" or self._short_video_shown()]
        unknown = [k for k in keys if k not in TABS]
        if unknown:
            raise ValueError(f"unknown tab(s) {unknown}; use {', '.join(TABS)}")
        made: list[Creative] = []
        start = int(self.db.meta("next_upload_order", "0") or 0)
        for i in range(n):
            place = TABS[keys[i % len(keys)]]
            dimensions, file_type, duration = SEED_SHAPES[place.key]
            number = start + i + 1
            digest = hashlib.sha256(f"{place.key}-{number}".encode()).hexdigest()[:8].upper()
            name = f"EN_Demo_MFT_Both_NSFW_{prefix}{number:03d}_Sandbox_ID-{digest}"
            created = self.add_creative(
                place, name, dimensions=dimensions, file_type=file_type,
                size_bytes=150_000 + number * 17, duration_s=duration,
                content_category=content_category, status=status,
            )  # fmt: skip
            if created is not None:
                made.append(created)
        return made

    def set_review_status(self, ids: list[int], status: str) -> int:
        """Move creatives to pending / approved / rejected; how many were found."""
        if status not in REVIEW_STATUSES:
            raise ValueError(f"status must be one of {', '.join(REVIEW_STATUSES)}")
        return sum(
            self.db.execute("UPDATE creatives SET status = ? WHERE id = ?", (status, int(i)))
            for i in ids
        )

    def set_content_category(self, ids: list[int], category: str) -> int:
        """Change creatives' content category; how many were found."""
        return sum(
            self.db.execute(
                "UPDATE creatives SET content_category = ? WHERE id = ?", (category, int(i))
            )
            for i in ids
        )

    def apply_auto_approve(self) -> None:
        """Approve pending creatives older than the auto-approve delay, when it is set."""
        delay = self.db.meta("auto_approve_after_s")
        if delay not in (None, "", "None"):
            cutoff = time.time() - float(str(delay))
            self.db.execute(
                "UPDATE creatives SET status = 'approved' WHERE status = 'pending' "
                "AND created_at <= ?",
                (cutoff,),
            )
