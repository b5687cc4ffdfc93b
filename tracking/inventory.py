"""The inventory: one row per creative file produced (records/inventory.csv)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from tracking.csvstore import Row, read_rows, update_rows
from tracking.errors import RecordsError
from tracking.schemas import INVENTORY, PLATFORM_PREFIXES, platform_columns

PLATFORM_FIELDS = ("creative_id", "upload_date", "review_status")


def load(path: Path) -> list[Row]:
    """All inventory rows (every schema column present, extra user columns kept)."""
    return read_rows(path, INVENTORY)


def append(path: Path, rows: Iterable[Mapping[str, object]]) -> None:
    """Add rows atomically under the inventory's lock; a unique_id already present is an error."""
    new = [dict(r) for r in rows]

    def merge(existing: list[Row]) -> list[Row]:
        taken = {r["unique_id"] for r in existing}
        clash = [r["unique_id"] for r in new if r["unique_id"] in taken]
        if clash:
            raise RecordsError(f"{path}: unique_id already recorded: {', '.join(clash)}")
        return [*existing, *({k: str(v) for k, v in r.items()} for r in new)]

    update_rows(path, INVENTORY, merge)


def platform_field(platform: str, field: str) -> str:
    """Inventory column of a platform field: ('trafficjunky', 'creative_id') -> tj_creative_id."""
    if platform not in PLATFORM_PREFIXES or field not in PLATFORM_FIELDS:
        raise KeyError(f"unknown platform field {platform}/{field}")
    return platform_columns(platform)[PLATFORM_FIELDS.index(field)]


def set_platform_fields(
    path: Path, platform: str, updates: Mapping[str, Mapping[str, str]]
) -> list[str]:
    """Write per-platform fields by unique_id, e.g. {"ID-..-VID": {"creative_id": "10..."}}.

    Returns the unique_ids that were not found (nothing is written for them).
    """
    missing: list[str] = []

    def change(rows: list[Row]) -> list[Row]:
        index = {r["unique_id"]: r for r in rows}
        for unique_id, fields in updates.items():
            row = index.get(unique_id)
            if row is None:
                missing.append(unique_id)
                continue
            for field, value in fields.items():
                row[platform_field(platform, field)] = value
        return rows

    update_rows(path, INVENTORY, change)
    return missing


def known_hashes(path: Path) -> dict[str, str]:
    """content_sha256 -> unique_id (the first recorded) for every row with a hash."""
    seen: dict[str, str] = {}
    for row in load(path):
        digest = row.get("content_sha256", "")
        if digest and digest not in seen:
            seen[digest] = row["unique_id"]
    return seen
