"""Realistic inventory, upload-run and library rows for campaign tests."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from tracking import inventory
from tracking.csvstore import write_rows
from tracking.library_cache import LibraryEntry, record_entries
from tracking.schemas import UPLOAD_STATUS


def native_pair(
    id8: str,
    category: str,
    video_id: str | None,
    image_id: str | None,
    *,
    status: str = "approved",
    date: str = "2026-03-02 10:00:00",
    description: str = "Generic",
) -> list[dict[str, str]]:
    """The two inventory rows of a native pair (creative IDs None = not uploaded)."""
    fields = f"EN_{category}_MFT_Both_NA_{description}_Bob"
    common = {
        "category": category,
        "native_pair_id": f"ID-{id8}",
        "date_processed": date,
        "language": "EN",
        "creator_name": "Bob",
        "width_px": "640",
        "height_px": "360",
    }
    video = {
        **common,
        "unique_id": f"ID-{id8}-VID",
        "creative_type": "native_video",
        "new_filename": f"VID_{fields}_4sec_ID-{id8}-VID.mp4",
        "file_format": "mp4",
        "tj_creative_id": video_id or "",
        "tj_review_status": status if video_id else "",
    }
    image = {
        **common,
        "unique_id": f"ID-{id8}-IMG",
        "creative_type": "native_image",
        "new_filename": f"IMG_{fields}_ID-{id8}-IMG.png",
        "file_format": "png",
        "tj_creative_id": image_id or "",
        "tj_review_status": status if image_id else "",
    }
    return [video, image]  # fmt: skip


def single(
    id8: str,
    category: str,
    creative_type: str,
    creative_id: str | None,
    *,
    file_format: str = "mp4",
    status: str = "approved",
    date: str = "2026-03-02 10:00:00",
) -> dict[str, str]:
    """One pre-roll / video / banner inventory row."""
    return {"unique_id": f"ID-{id8}", "category": category, "creative_type": creative_type,
            "new_filename": f"EN_{category}_MFT_Both_NA_Generic_Bob_12sec_ID-{id8}.{file_format}",
            "file_format": file_format, "date_processed": date, "language": "EN",
            "tj_creative_id": creative_id or "",
            "tj_review_status": status if creative_id else ""}  # fmt: skip


def write_inventory(workspace: Path, rows: Iterable[dict[str, str]]) -> Path:
    path = workspace / "records" / "inventory.csv"
    inventory.append(path, rows)
    return path


def write_library(workspace: Path, rows: Iterable[dict[str, str]]) -> Path:
    """Library cache entries for every inventory row with a creative ID."""
    path = workspace / "records" / "library" / "trafficjunky.csv"
    entries = [
        LibraryEntry(r["tj_creative_id"], r["new_filename"], review_status=r["tj_review_status"])
        for r in rows
        if r.get("tj_creative_id")
    ]
    record_entries(path, entries)
    return path


def write_upload_run(workspace: Path, run_id: str, rows: Iterable[dict[str, str]]) -> Path:
    path = workspace / "records" / "uploads" / f"{run_id}.csv"
    write_rows(path, UPLOAD_STATUS, rows)
    return path


def many_pairs(
    count: int, categories: tuple[str, ...] = ("Teen",), start: int = 0
) -> list[dict[str, str]]:
    """`count` complete native pairs with IDs, spread over categories."""
    rows: list[dict[str, str]] = []
    for n in range(start, start + count):
        cat = categories[n % len(categories)]
        rows += native_pair(f"{n:08X}", cat, str(1_000_000_000 + 2 * n), str(1_000_000_001 + 2 * n))
    return rows
