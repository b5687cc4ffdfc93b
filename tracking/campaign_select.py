"""Which inventory creatives go into campaign CSVs: filters, proven IDs, native pairs (pandas).

Only creatives with a TrafficJunky creative ID (proven by an upload) are usable; every
creative left out is reported with its reason, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from tracking import inventory
from tracking.campaign_formats import CampaignFormat
from tracking.csvstore import read_rows
from tracking.errors import RecordsError
from tracking.library_cache import LibraryCache, library_key
from tracking.schemas import UPLOAD_STATUS, ReviewStatus, UploadStatus

# Which creative types feed which template. Video banners take `video` creatives and `banner`
# creatives whose file is a video; the overlay is optional and left empty.
FORMAT_TYPES: dict[CampaignFormat, tuple[str, ...]] = {
    CampaignFormat.NATIVE: ("native_video", "native_image"),
    CampaignFormat.PREROLL: ("preroll", "short_video"),
    CampaignFormat.VIDEO_BANNER: ("video", "banner"),
}
VIDEO_FILE_FORMATS = frozenset({"mp4", "webm", "mov", "m4v"})
PROVEN_RUN_STATUSES = frozenset({UploadStatus.SUCCESS, UploadStatus.DUPLICATE})
COLUMNS = ("unique_id", "new_filename", "category", "creative_type", "native_pair_id",
           "file_format", "date_processed", "tj_creative_id", "tj_review_status")  # fmt: skip


@dataclass(frozen=True)
class Selection:
    """The user's choice of creatives; None means "no filter"."""

    since: date | None = None
    runs: tuple[str, ...] = ()
    ids: frozenset[str] | None = None
    approved_only: bool = False


@dataclass(frozen=True)
class Skipped:
    """A creative left out of the CSVs, and why. `problem` is False for a plain filter."""

    unique_id: str
    reason: str
    problem: bool = True


def inventory_frame(path: Path) -> pd.DataFrame:
    """The inventory as text columns, plus `pair` (the shared ID of a native pair)."""
    frame = pd.DataFrame.from_records(inventory.load(path), columns=list(COLUMNS))
    frame = frame.fillna("").astype(str)
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    derived = frame["unique_id"].str.replace(r"-(?:VID|IMG)$", "", regex=True)
    frame["pair"] = frame["native_pair_id"].where(frame["native_pair_id"] != "", derived)
    return frame


def run_records(uploads_dir: Path, runs: Iterable[str]) -> pd.DataFrame:
    """Proven rows of upload runs: `key` (unique_id or name key) and their creative ID."""
    rows = []
    for run in runs:
        path = uploads_dir / f"{run}.csv"
        if not path.exists():
            raise RecordsError(f"{path}: no upload run {run!r}; see records/uploads/ for runs")
        for row in read_rows(path, UPLOAD_STATUS):
            if row["status"].strip() in PROVEN_RUN_STATUSES:
                key = row["unique_id"].strip() or library_key(row["file_name"])
                rows.append({"key": key, "run_creative_id": row["tj_creative_id"].strip()})
    return pd.DataFrame(rows, columns=["key", "run_creative_id"]).drop_duplicates("key")


def _chosen(frame: pd.DataFrame, selection: Selection, runs: pd.DataFrame | None) -> pd.Series:
    chosen = pd.Series(True, index=frame.index)
    if selection.since is not None:
        chosen &= frame["date_processed"].str[:10] >= selection.since.isoformat()
    if runs is not None:
        keys = set(runs["key"])
        chosen &= frame["unique_id"].isin(keys) | frame["new_filename"].map(library_key).isin(keys)
    if selection.ids is not None:
        chosen &= frame["unique_id"].isin(selection.ids) | frame["pair"].isin(selection.ids)
    # A native ad needs both halves: choosing either half of a pair chooses the pair.
    return frame["pair"].isin(frame.loc[chosen, "pair"])


def _fill_from_runs(frame: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """IDs an upload run proved but the inventory does not carry yet."""
    by_key = dict(zip(runs["key"], runs["run_creative_id"], strict=True))
    from_run = (
        frame["unique_id"].map(by_key).fillna(frame["new_filename"].map(library_key).map(by_key))
    )
    missing = frame["tj_creative_id"] == ""
    frame.loc[missing, "tj_creative_id"] = from_run[missing].fillna("")
    return frame


def _review_status(frame: pd.DataFrame, library: LibraryCache | None) -> pd.Series:
    status = frame["tj_review_status"].str.lower()
    if library is None:
        return status
    cached = frame["tj_creative_id"].map(
        lambda cid: (e.review_status if (e := library.by_id(cid)) else "") if cid else ""
    )
    return status.where(status != "", cached.str.lower())


def select_creatives(
    frame: pd.DataFrame,
    fmt: CampaignFormat,
    selection: Selection,
    *,
    runs: pd.DataFrame | None = None,
    library: LibraryCache | None = None,
) -> tuple[pd.DataFrame, list[Skipped]]:
    """The chosen creatives of a format that carry a proven ID (and approval, when asked)."""
    skipped: list[Skipped] = []
    if selection.ids is not None:
        known = set(frame["unique_id"]) | set(frame["pair"])
        skipped += [Skipped(i, "not in the inventory") for i in sorted(selection.ids - known)]
    typed = frame[frame["creative_type"].isin(FORMAT_TYPES[fmt])]
    if fmt is CampaignFormat.VIDEO_BANNER:
        is_video = typed["file_format"].str.lower().str.lstrip(".").isin(VIDEO_FILE_FORMATS)
        typed = typed[(typed["creative_type"] == "video") | is_video]
    typed = typed[_chosen(typed, selection, runs)].copy()
    if runs is not None:
        typed = _fill_from_runs(typed, runs)
    no_id = typed["tj_creative_id"] == ""
    skipped += [
        Skipped(u, "no TrafficJunky creative ID yet; upload it first", problem=False)
        for u in typed.loc[no_id, "unique_id"]
    ]
    typed = typed[~no_id]
    if selection.approved_only:
        status = _review_status(typed, library)
        approved = status == ReviewStatus.APPROVED
        skipped += [
            Skipped(u, f"review status is {s or 'unknown'}, not approved", problem=False)
            for u, s in zip(typed.loc[~approved, "unique_id"], status[~approved], strict=True)
        ]
        typed = typed[approved]
    return typed, skipped


def pair_natives(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Skipped]]:
    """Native videos joined with their own thumbnails on the pair ID; lone halves reported."""
    videos = frame[frame["creative_type"] == "native_video"]
    images = frame[frame["creative_type"] == "native_image"]
    skipped: list[Skipped] = []
    for half, dups in (("video", videos), ("image", images)):
        extra = dups[dups.duplicated("pair")]
        skipped += [Skipped(u, f"a second native {half} of pair {p}; only the first is used")
                    for u, p in zip(extra["unique_id"], extra["pair"], strict=True)]  # fmt: skip
    videos = videos.drop_duplicates("pair")
    images = images.drop_duplicates("pair")
    pairs = videos.merge(images, on="pair", how="outer", suffixes=("_vid", "_img"), indicator=True)
    lone_videos = pairs[pairs["_merge"] == "left_only"]
    lone_images = pairs[pairs["_merge"] == "right_only"]
    skipped += [
        Skipped(u, f"native video without a usable thumbnail (no {p}-IMG with an ID)")
        for u, p in zip(lone_videos["unique_id_vid"], lone_videos["pair"], strict=True)
    ]
    skipped += [
        Skipped(u, f"native thumbnail without a usable video (no {p}-VID with an ID)")
        for u, p in zip(lone_images["unique_id_img"], lone_images["pair"], strict=True)
    ]
    return pairs[pairs["_merge"] == "both"].drop(columns="_merge"), skipped  # fmt: skip
