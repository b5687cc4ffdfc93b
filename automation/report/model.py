"""What the report shows, gathered from the records: creatives, their platform states, runs."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from automation.report.runs import RunOutcome, load_runs
from tracking import inventory
from tracking.csvstore import Row
from tracking.schemas import PLATFORM_LABELS, PLATFORM_PREFIXES, platform_columns
from tracking.workspace import Workspace

if TYPE_CHECKING:
    from automation.report.performance import PerformanceView

log = logging.getLogger(__name__)

NOT_UPLOADED = "not-uploaded"
UPLOADED = "uploaded"  # has a creative ID but no review status recorded yet
STATUS_LABELS = {
    "approved": "Approved",
    "pending": "Pending review",
    "rejected": "Rejected",
    UPLOADED: "Uploaded",
    NOT_UPLOADED: "Not uploaded",
}
TYPE_LABELS = {
    "native_video": "Native video",
    "native_image": "Native image",
    "preroll": "Pre-roll",
    "pre-roll": "Pre-roll",
    "instream": "Pre-roll",
    "in_stream": "Pre-roll",
    "in_stream_video": "Pre-roll",
    "short_video": "Short video",
    "banner": "Banner",
    "static_banner": "Banner",
    "video_banner": "Video banner",
}
TYPE_ORDER = ("Native video", "Native image", "Pre-roll", "Short video", "Video banner", "Banner")
VIDEO_FORMATS = {"mp4", "mov", "webm", "m4v", "mkv", "avi"}


@dataclass(frozen=True)
class PlatformState:
    """One creative's standing on one platform."""

    platform: str
    label: str
    creative_id: str
    upload_date: str
    status: str  # approved / pending / rejected / uploaded / not-uploaded

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status.replace("-", " ").capitalize())


@dataclass
class Creative:
    """One inventory row, ready to show as a card."""

    unique_id: str
    name: str
    creative_type: str
    category: str
    width: int | None
    height: int | None
    duration_s: float | None
    size_mb: float | None
    file_format: str
    pair_id: str
    path: Path | None
    platforms: list[PlatformState]
    thumbnail: str = ""  # a data: URI, filled in by the thumbnailer

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.creative_type.lower(), _title(self.creative_type) or "Other")

    @property
    def is_video(self) -> bool:
        suffix = self.path.suffix if self.path is not None else ""
        return any(f.lower().lstrip(".") in VIDEO_FORMATS for f in (self.file_format, suffix))

    @property
    def statuses(self) -> list[str]:
        return [p.status for p in self.platforms]


@dataclass
class CreativeGroup:
    """A native pair (video and image side by side) or a single creative."""

    pair_id: str
    creatives: list[Creative]

    @property
    def is_pair(self) -> bool:
        return len(self.creatives) > 1


@dataclass
class ReportData:
    """Everything one report page shows."""

    workspace: Path
    generated_at: str
    groups: list[CreativeGroup]
    runs: list[RunOutcome]
    platforms: list[str]
    warnings: list[str] = field(default_factory=list)
    performance: PerformanceView | None = None  # filled in from the stats records

    @property
    def creatives(self) -> list[Creative]:
        return [c for g in self.groups for c in g.creatives]

    def totals(self) -> dict[str, int]:
        """Header figures: creatives, pairs, uploaded, and creatives per review status.

        A creative counts once under each status it has on some platform (as the filters do).
        """
        creatives = self.creatives
        statuses = Counter(s for c in creatives for s in set(c.statuses))
        return {
            "creatives": len(creatives),
            "pairs": sum(1 for g in self.groups if g.is_pair),
            "uploaded": sum(1 for c in creatives if any(p.creative_id for p in c.platforms)),
            **{s: statuses.get(s, 0) for s in ("approved", "pending", "rejected", NOT_UPLOADED)},
        }

    def by_platform(self) -> dict[str, Counter[str]]:
        """Platform label -> how many creatives have each status there."""
        counts: dict[str, Counter[str]] = {}
        for creative in self.creatives:
            for state in creative.platforms:
                counts.setdefault(state.label, Counter())[state.status] += 1
        return counts

    def status_text(self) -> str:
        """One line per the terminal: 'TrafficJunky: 5 approved, 5 pending, 1 rejected; ...'."""
        parts = []
        for label, counts in self.by_platform().items():
            shown = [f"{counts[s]} {STATUS_LABELS[s].lower()}" for s in STATUS_LABELS if counts[s]]
            parts.append(f"{label}: {', '.join(shown) or 'nothing'}")
        return "; ".join(parts) or "no creatives"


def _title(text: str) -> str:
    return text.replace("_", " ").replace("-", " ").strip().capitalize()


def _number(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None


def _int(text: str) -> int | None:
    value = _number(text)
    return int(value) if value is not None else None


def platforms_in_use(rows: list[Row]) -> list[str]:
    """Platforms with any creative ID recorded; TrafficJunky always (it is the first platform)."""
    used = [p for p in PLATFORM_PREFIXES if any(r.get(platform_columns(p)[0]) for r in rows)]
    return used if "trafficjunky" in used else ["trafficjunky", *used]


def platform_state(row: Row, platform: str) -> PlatformState:
    """A row's creative ID, upload date and review status on one platform."""
    id_col, date_col, status_col = platform_columns(platform)
    creative_id = row.get(id_col, "").strip()
    status = row.get(status_col, "").strip().lower()
    if not creative_id:
        status = NOT_UPLOADED
    elif not status:
        status = UPLOADED
    label = PLATFORM_LABELS.get(platform, platform)
    return PlatformState(platform, label, creative_id, row.get(date_col, "").strip(), status)


def find_files(workspace: Workspace) -> dict[str, Path]:
    """Every creative file by name: processed/ first, then archive/ (where uploads may move).

    The naming convention makes names unique, so a name finds its one file.
    """
    found: dict[str, Path] = {}
    for folder in (workspace.processed, workspace.root / "archive"):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    found.setdefault(path.name, path)
    return found


def creative_from_row(row: Row, platforms: list[str], files: dict[str, Path]) -> Creative:
    """A card's content from one inventory row."""
    name = row["new_filename"].strip()
    fmt = row.get("file_format", "").strip().lower().lstrip(".") or Path(name).suffix.lstrip(".")
    return Creative(
        unique_id=row["unique_id"].strip(),
        name=name,
        creative_type=row.get("creative_type", "").strip(),
        category=row.get("category", "").strip(),
        width=_int(row.get("width_px", "")),
        height=_int(row.get("height_px", "")),
        duration_s=_number(row.get("duration_seconds", "")),
        size_mb=_number(row.get("file_size_mb", "")),
        file_format=fmt,
        pair_id=row.get("native_pair_id", "").strip(),
        path=files.get(Path(name).name),
        platforms=[platform_state(row, p) for p in platforms],
    )


def group_creatives(creatives: list[Creative]) -> list[CreativeGroup]:
    """Pairs joined on native_pair_id (video first), singles alone.

    Native pairs come first, then pre-rolls, short videos, banners and the rest; within a
    type the newest records come first.
    """
    groups: dict[str, CreativeGroup] = {}
    for creative in creatives:
        key = creative.pair_id or f"single:{creative.unique_id}"
        groups.setdefault(key, CreativeGroup(creative.pair_id, [])).creatives.append(creative)
    for group in groups.values():
        group.creatives.sort(key=lambda c: (not c.is_video, c.name))
    newest_first = list(reversed(groups.values()))
    return sorted(newest_first, key=_type_rank)


def _type_rank(group: CreativeGroup) -> int:
    label = group.creatives[0].type_label
    return TYPE_ORDER.index(label) if label in TYPE_ORDER else len(TYPE_ORDER)


def gather(workspace: Workspace, generated_at: str) -> ReportData:
    """Read the inventory and the upload runs of a workspace into report data."""
    rows = inventory.load(workspace.inventory_csv)
    platforms = platforms_in_use(rows)
    files = find_files(workspace)
    creatives = [creative_from_row(r, platforms, files) for r in rows if r["new_filename"].strip()]
    runs, warnings = load_runs(workspace)
    missing = [c.name for c in creatives if c.path is None]
    if missing:
        log.info("%d creative file(s) not found under processed/", len(missing))
    return ReportData(
        workspace=workspace.root,
        generated_at=generated_at,
        groups=group_creatives(creatives),
        runs=runs,
        platforms=platforms,
        warnings=warnings,
    )
