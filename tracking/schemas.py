"""Every record file's columns, declared once and used by readers, writers and validators."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Schema:
    """A CSV layout: its name (for messages), columns in order, and the columns it requires."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        missing = set(self.required) - set(self.columns)
        assert not missing, f"{self.name}: required columns not declared: {missing}"


# Per-platform columns of the inventory, in the order they appear after native_pair_id.
PLATFORM_PREFIXES: dict[str, str] = {"trafficjunky": "tj", "exoclick": "exo"}
PLATFORM_LABELS: dict[str, str] = {"trafficjunky": "TrafficJunky", "exoclick": "ExoClick"}


def platform_columns(platform: str) -> tuple[str, str, str]:
    """The inventory's creative-id, upload-date and review-status columns of a platform."""
    prefix = PLATFORM_PREFIXES[platform]
    return (f"{prefix}_creative_id", f"{prefix}_upload_date", f"{prefix}_review_status")


INVENTORY = Schema(
    name="inventory",
    columns=(
        "unique_id", "original_filename", "new_filename", "creator_name", "language", "category",
        "content_type", "creative_type", "duration_seconds", "aspect_ratio", "width_px",
        "height_px", "file_size_mb", "file_format", "date_processed", "source_path", "notes",
        "native_pair_id",
        *(col for platform in PLATFORM_PREFIXES for col in platform_columns(platform)),
        "content_sha256",
    ),
    required=("unique_id", "new_filename"),
    numeric=("duration_seconds", "width_px", "height_px", "file_size_mb"),
)  # fmt: skip

LIBRARY = Schema(
    name="library cache",
    columns=(
        "creative_id", "filename", "upload_date", "dimensions", "file_type", "creative_type",
        "review_status",
    ),
    required=("creative_id", "filename"),
)  # fmt: skip

UPLOAD_STATUS = Schema(
    name="upload status",
    columns=(
        "unique_id", "file_name", "file_path", "upload_date", "upload_time", "platform",
        "tj_creative_id", "status", "error_message", "creative_type", "native_pair_id", "retries",
    ),
    required=("file_name", "status"),
)  # fmt: skip

FOLDER_DEFAULTS = Schema(
    name="folder defaults",
    columns=(
        "folder_path", "category_name", "model_sex", "style", "creator_name", "language",
        "content_type", "creative_description", "test_id",
    ),
    required=("folder_path",),
)  # fmt: skip


class UploadStatus(StrEnum):
    """Outcome of one file in an upload run."""

    SUCCESS = "success"
    FAILED = "failed"
    SKIPPED = "skipped"
    DUPLICATE = "duplicate"
    DRY_RUN = "dry_run"


class ReviewStatus(StrEnum):
    """A creative's review state on the platform."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
