"""Which inventory creatives go into campaign CSVs: filters, proven IDs, native pairs (pandas).

Only creatives with a TrafficJunky creative ID (proven by an upload) are usable, and by default
only those the platform has not rejected (approved or pending review); every creative left out
is reported with its true reason, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
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
    CampaignFormat.STATIC_BANNER: ("banner", "image"),
}
VIDEO_FILE_FORMATS = frozenset({"mp4", "webm", "mov", "m4v"})
PROVEN_RUN_STATUSES = frozenset({UploadStatus.SUCCESS, UploadStatus.DUPLICATE})
COLUMNS = ("unique_id", "new_filename", "category", "creative_type", "native_pair_id",
           "file_format", "date_processed", "tj_creative_id", "tj_upload_date",
           "tj_review_status", "exo_creative_id")  # fmt: skip
PLATFORM_LABEL = "TrafficJunky"


class ReviewFilter(StrEnum):
    """Which review statuses go into the CSVs (`--status`)."""

    NOT_REJECTED = "not-rejected"  # the default: approved or pending review
    APPROVED = "approved"
    PENDING = "pending"
    ANY = "any"


class LeftOut(StrEnum):
    """Why a creative is not in the CSVs; the summary counts creatives by it."""

    REJECTED = "rejected"
    NOT_APPROVED = "not approved yet"
    NOT_PENDING = "not pending"
    NEVER_UPLOADED = "never uploaded"
    NO_ID = "no ID on this platform"
    PAIR_INCOMPLETE = "half of a pair missing"
    NOT_IN_INVENTORY = "not in the inventory"
    INVALID = "invalid ad"


@dataclass(frozen=True)
class Selection:
    """The user's choice of creatives; None means "no filter".

    `approved_only` is the same as `review=ReviewFilter.APPROVED`.
    """

    since: date | None = None
    runs: tuple[str, ...] = ()
    ids: frozenset[str] | None = None
    approved_only: bool = False
    review: ReviewFilter = ReviewFilter.NOT_REJECTED

    @property
    def review_filter(self) -> ReviewFilter:
        return ReviewFilter.APPROVED if self.approved_only else self.review


@dataclass(frozen=True)
class Skipped:
    """A creative left out of the CSVs, and why. `problem` is False for a plain filter."""

    unique_id: str
    reason: str
    problem: bool = True
    kind: str = LeftOut.INVALID


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
    """Each creative's review status: the library cache's (the platform's latest), else the
    inventory's; empty when neither knows."""
    status = frame["tj_review_status"].str.lower()
    if library is None:
        return status
    cached = frame["tj_creative_id"].map(
        lambda cid: (e.review_status if (e := library.by_id(cid)) else "") if cid else ""
    )
    cached = cached.fillna("").astype(str).str.lower()
    return cached.where(cached != "", status)


def _no_id_reason(row: pd.Series) -> Skipped:
    """A creative without a TrafficJunky ID: never uploaded, or uploaded without a proven ID."""
    if row["exo_creative_id"] or row["tj_upload_date"]:
        where = "uploaded to ExoClick only" if row["exo_creative_id"] else "no proven ID"
        return Skipped(
            row["unique_id"],
            f"no {PLATFORM_LABEL} creative ID ({where}); run 'creative-flow upload --live'",
            problem=False,
            kind=LeftOut.NO_ID,
        )
    return Skipped(
        row["unique_id"],
        f"never uploaded to {PLATFORM_LABEL}; run 'creative-flow upload --live' first",
        problem=False,
        kind=LeftOut.NEVER_UPLOADED,
    )


def _status_reason(status: str, wanted: ReviewFilter) -> tuple[str, LeftOut] | None:
    """Why a creative of this review status is left out under `wanted` (None: it goes in)."""
    if wanted is ReviewFilter.ANY:
        return None
    if status == ReviewStatus.REJECTED:
        return f"rejected by {PLATFORM_LABEL}", LeftOut.REJECTED
    if wanted is ReviewFilter.APPROVED and status != ReviewStatus.APPROVED:
        shown = {"": "review status unknown", ReviewStatus.PENDING: "pending review"}.get(
            status, status
        )
        return (
            f"{shown} on {PLATFORM_LABEL}, not approved yet (run 'creative-flow sync-status' "
            "for the latest, or leave out --status approved)",
            LeftOut.NOT_APPROVED,
        )
    if wanted is ReviewFilter.PENDING and status == ReviewStatus.APPROVED:
        return f"approved on {PLATFORM_LABEL}, not pending", LeftOut.NOT_PENDING
    return None


def _by_review(
    typed: pd.DataFrame, library: LibraryCache | None, wanted: ReviewFilter
) -> tuple[pd.DataFrame, list[Skipped]]:
    """The creatives whose review status `wanted` lets in; the others with their reason."""
    status = _review_status(typed, library)
    keep = []
    skipped: list[Skipped] = []
    for unique_id, value in zip(typed["unique_id"], status, strict=True):
        why = _status_reason(value, wanted)
        keep.append(why is None)
        if why is not None:
            skipped.append(Skipped(unique_id, why[0], problem=False, kind=why[1]))
    return typed[pd.Series(keep, index=typed.index, dtype=bool)], skipped


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
        skipped += [
            Skipped(i, "not in the inventory", kind=LeftOut.NOT_IN_INVENTORY)
            for i in sorted(selection.ids - known)
        ]
    typed = frame[frame["creative_type"].isin(FORMAT_TYPES[fmt])]
    is_video = typed["file_format"].str.lower().str.lstrip(".").isin(VIDEO_FILE_FORMATS)
    if fmt is CampaignFormat.VIDEO_BANNER:
        typed = typed[(typed["creative_type"] == "video") | is_video]
    elif fmt is CampaignFormat.STATIC_BANNER:
        typed = typed[~is_video]
    typed = typed[_chosen(typed, selection, runs)].copy()
    if runs is not None:
        typed = _fill_from_runs(typed, runs)
    no_id = typed["tj_creative_id"] == ""
    skipped += [_no_id_reason(row) for _, row in typed[no_id].iterrows()]
    typed, left = _by_review(typed[~no_id], library, selection.review_filter)
    return typed, skipped + left


def _lone_half(unique_id: str, pair: str, other: str, gone: dict[str, Skipped]) -> Skipped:
    """A native half whose other half is not usable, with why the other half is missing."""
    tag = "IMG" if other == "thumbnail" else "VID"
    other_id = f"{pair}-{tag}"
    why = gone.get(other_id)
    detail = f"{other_id} is left out: {why.reason}" if why else f"no {other_id} in the inventory"
    return Skipped(
        unique_id, f"its {other} is missing ({detail})", problem=False,
        kind=LeftOut.PAIR_INCOMPLETE,
    )  # fmt: skip


def pair_natives(
    frame: pd.DataFrame, gone: list[Skipped] | None = None
) -> tuple[pd.DataFrame, list[Skipped]]:
    """Native videos joined with their own thumbnails on the pair ID; lone halves reported.

    `gone`: the creatives already left out, so a lone half can say why its other half is.
    """
    left_out = {s.unique_id: s for s in gone or []}
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
        _lone_half(u, p, "thumbnail", left_out)
        for u, p in zip(lone_videos["unique_id_vid"], lone_videos["pair"], strict=True)
    ]
    skipped += [
        _lone_half(u, p, "video", left_out)
        for u, p in zip(lone_images["unique_id_img"], lone_images["pair"], strict=True)
    ]
    return pairs[pairs["_merge"] == "both"].drop(columns="_merge"), skipped  # fmt: skip
