"""Pause records: `records/pauses/<run-id>.csv`, one row per ad a pause run looked at.

`result` is `changed` (the ad was changed and read back so), `unchanged` (it already was),
`dry_run` (it would be changed) or `failed` (see `message`); `status_before` and `status_after`
are the ad's status as the platform showed it before and after.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from tracking.schemas import Schema

PAUSES = Schema(
    name="pause record",
    columns=(
        "run_id", "platform", "unique_id", "creative_id", "campaign_id", "ad_id", "action",
        "status_before", "status_after", "result", "message", "timestamp",
    ),
    required=("run_id", "platform", "ad_id", "action", "result"),
)  # fmt: skip


class PauseResult(StrEnum):
    """What a pause run did to one ad."""

    CHANGED = "changed"
    UNCHANGED = "unchanged"
    DRY_RUN = "dry_run"
    FAILED = "failed"


def pauses_csv(records: Path, run_id: str) -> Path:
    """Where a pause run's rows live."""
    return records / "pauses" / f"{run_id}.csv"
