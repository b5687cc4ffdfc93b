"""A creative's attributes as the performance views group them, read from its inventory row."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from creatives.naming import parse_name  # the naming convention carries the style field
from tracking.csvstore import Row

UNKNOWN = "UNK"
NO_DURATION = "image (no duration)"
INBOX_TOP = "(inbox top level)"
# Duration buckets by the rounded seconds the names carry, (upper bound inclusive, label).
# Natives are 4 s clips and pre-rolls run 5 to 31 s: "up to 5 s" holds the natives and the
# shortest pre-rolls, the rest split the pre-roll range where a viewer's patience is tested.
DURATION_BUCKETS: tuple[tuple[int, str], ...] = (
    (5, "up to 5 s"),
    (10, "6-10 s"),
    (15, "11-15 s"),
    (30, "16-30 s"),
)
OVER_LAST_BUCKET = "over 30 s"
# Folders that hold sources after processing: the inbox folder is what follows them.
SOURCE_ROOTS = ("originals", "inbox")

# Attribute name -> how a person calls it, in the order the views show them.
ATTRIBUTE_LABELS: dict[str, str] = {
    "category": "Category",
    "style": "Style",
    "duration": "Duration",
    "native_pair": "Native pair",
    "source_folder": "Source folder",
    "platform": "Platform",
}


@dataclass(frozen=True)
class CreativeAttributes:
    """The values a creative is grouped by; `native_pair` is empty outside native videos."""

    category: str
    style: str
    duration: str
    native_pair: str
    source_folder: str

    def value(self, attribute: str) -> str:
        """The value of one attribute by its name in ATTRIBUTE_LABELS (not 'platform')."""
        return str(getattr(self, attribute))


def attributes_of(row: Row) -> CreativeAttributes:
    """The attributes of one inventory row."""
    parsed = parse_name(row.get("new_filename", ""))
    style = parsed.fields.style if parsed is not None else ""
    seconds = _seconds(row.get("duration_seconds", ""))
    if seconds is None and parsed is not None and parsed.seconds is not None:
        seconds = float(parsed.seconds)
    unique_id = row.get("unique_id", "").strip()
    # A native pair's stats are recorded under its video only, so only the video joins the pair.
    pair = "" if unique_id.endswith("-IMG") else row.get("native_pair_id", "").strip()
    return CreativeAttributes(
        category=row.get("category", "").strip() or UNKNOWN,
        style=style or UNKNOWN,
        duration=duration_bucket(seconds),
        native_pair=pair,
        source_folder=source_folder(row.get("source_path", "")),
    )


def duration_bucket(seconds: float | None) -> str:
    """The bucket of a duration in seconds (rounded as names round it); None is an image."""
    if seconds is None:
        return NO_DURATION
    whole = round(seconds)
    for upper, label in DURATION_BUCKETS:
        if whole <= upper:
            return label
    return OVER_LAST_BUCKET


def source_folder(source_path: str) -> str:
    """The inbox folder a source came from: `originals/fetched/site/a.mp4` -> `fetched/site`."""
    text = source_path.strip().replace("\\", "/")
    if not text:
        return UNKNOWN
    path = PurePosixPath(text)
    parts = path.parts
    if not path.is_absolute() and parts and parts[0] in SOURCE_ROOTS:
        parts = parts[1:]
    folder = PurePosixPath(*parts).parent if len(parts) > 1 else PurePosixPath("")
    return INBOX_TOP if str(folder) in ("", ".") else folder.as_posix()


def _seconds(text: str) -> float | None:
    try:
        return float(text) if text.strip() else None
    except ValueError:
        return None
