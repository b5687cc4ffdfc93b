"""Records of mass-create runs: the campaign mapping, per-run summaries, the checkpoint.

Everything lives in records/mass_create/ (apart from the campaign CSVs in records/campaigns/,
so that folder holds only files meant for the platform):
- `upload_summary_<run>.csv` and `invalid_creatives_<run>.csv`, one pair per run;
- `checkpoint.json`: the outcome of every campaign + CSV ever applied live, keyed by campaign ID
  and the CSV's content hash, so a rerun skips what was done (a changed CSV is new work);
- `cleaned/`: CSVs rewritten without the ads the platform refused, as they were resubmitted.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from tracking.csvstore import append_rows, atomic_write_text, locked, read_rows
from tracking.errors import RecordsError
from tracking.schemas import Schema

MAPPING = Schema(
    name="campaign mapping",
    columns=("campaign_id", "csv_filename", "campaign_name", "enabled"),
    required=("campaign_id", "csv_filename"),
)
UPLOAD_SUMMARY = Schema(
    name="mass-create summary",
    columns=(
        "campaign_id",
        "campaign_name",
        "csv_file",
        "status",
        "ads_created",
        "error",
        "invalid_creatives_count",
        "timestamp",
    ),
    required=("campaign_id", "status"),
)
INVALID_CREATIVES = Schema(
    name="invalid creatives",
    columns=(
        "campaign_id",
        "campaign_name",
        "creative_id",
        "error",
        "action_required",
        "timestamp",
    ),
    required=("campaign_id", "creative_id"),
)
TRUE_WORDS = frozenset({"", "1", "true", "yes", "y", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "off"})


def folder(records_dir: Path) -> Path:
    return records_dir / "mass_create"


def summary_path(records_dir: Path, run_id: str) -> Path:
    return folder(records_dir) / f"upload_summary_{run_id}.csv"


def invalid_path(records_dir: Path, run_id: str) -> Path:
    return folder(records_dir) / f"invalid_creatives_{run_id}.csv"


def checkpoint_path(records_dir: Path) -> Path:
    return folder(records_dir) / "checkpoint.json"


def cleaned_path(records_dir: Path, run_id: str, campaign_id: str, csv_file: Path) -> Path:
    return folder(records_dir) / "cleaned" / f"{csv_file.stem}_cleaned_{campaign_id}_{run_id}.csv"


@dataclass(frozen=True)
class MappingRow:
    """One line of a mapping CSV (`campaign_id,csv_filename,campaign_name,enabled`)."""

    campaign_id: str
    csv_filename: str
    campaign_name: str
    enabled: bool


def read_mapping(path: Path) -> list[MappingRow]:
    """The campaigns of a mapping CSV; a bad `enabled` or campaign ID raises, naming the line."""
    if not path.exists():
        raise RecordsError(f"{path}: mapping file not found")
    rows = []
    for line, row in enumerate(read_rows(path, MAPPING), start=2):
        campaign_id, enabled = row["campaign_id"].strip(), row["enabled"].strip().lower()
        if not campaign_id.isdigit():
            raise RecordsError(f"{path}:{line}: campaign_id {campaign_id!r} is not a number")
        if enabled not in TRUE_WORDS | FALSE_WORDS:
            raise RecordsError(f"{path}:{line}: enabled {enabled!r} is not true/false")
        rows.append(
            MappingRow(
                campaign_id,
                row["csv_filename"].strip(),
                row["campaign_name"].strip(),
                enabled in TRUE_WORDS,
            )
        )
    return rows


@dataclass(frozen=True)
class CheckpointEntry:
    """What happened when a campaign + CSV was last applied live."""

    campaign_id: str
    csv_file: str
    status: str
    ads_created: int
    run_id: str
    timestamp: str


def checkpoint_key(campaign_id: str, csv_file: Path) -> str:
    """Campaign ID + the CSV's content hash: the same file for the same campaign is one job."""
    digest = hashlib.sha256(csv_file.read_bytes()).hexdigest()[:16]
    return f"{campaign_id}:{digest}"


def load_checkpoint(records_dir: Path) -> dict[str, CheckpointEntry]:
    path = checkpoint_path(records_dir)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {key: CheckpointEntry(**value) for key, value in data.items()}
    except (ValueError, TypeError) as exc:
        raise RecordsError(
            f"{path}: unreadable checkpoint ({exc}); fix it or use --fresh"
        ) from None


def record_checkpoint(records_dir: Path, key: str, entry: CheckpointEntry) -> None:
    """Add or replace one campaign's entry, atomically under the checkpoint's lock."""
    path = checkpoint_path(records_dir)
    with locked(path):
        entries = load_checkpoint(records_dir)
        entries[key] = entry
        data = {k: asdict(v) for k, v in entries.items()}
        atomic_write_text(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def append_summary(records_dir: Path, run_id: str, rows: list[dict[str, object]]) -> Path:
    path = summary_path(records_dir, run_id)
    append_rows(path, UPLOAD_SUMMARY, rows)
    return path


def append_invalid(records_dir: Path, run_id: str, rows: list[dict[str, object]]) -> Path:
    path = invalid_path(records_dir, run_id)
    append_rows(path, INVALID_CREATIVES, rows)
    return path
