"""What a batch did: one result per source, and the one-line reasons of its failures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path

from creatives.errors import MediaError
from creatives.sources import SourceFile


class Outcome(StrEnum):
    """What happened to one source."""

    PROCESSED = "processed"
    SKIPPED = "skipped"
    FAILED = "failed"
    PLANNED = "planned"  # --dry-run: what would be produced


@dataclass
class ItemResult:
    """One source's result: its outputs (new file names) or the reason it was skipped/failed."""

    source: str
    outcome: Outcome
    reason: str = ""
    unique_ids: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    creative_types: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "outcome": str(self.outcome)}


@dataclass
class BatchReport:
    """Every source's result, in the order the sources were given, and what recovery did."""

    items: list[ItemResult]
    recovered: list[str] = field(default_factory=list)

    def of(self, outcome: Outcome) -> list[ItemResult]:
        return [item for item in self.items if item.outcome is outcome]

    def type_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.items:
            if item.outcome in (Outcome.PROCESSED, Outcome.PLANNED):
                for kind in item.creative_types:
                    counts[kind] = counts.get(kind, 0) + 1
        return counts


ResultCallback = Callable[[ItemResult], None]


def unreadable(path: Path, exc: OSError) -> MediaError:
    """The one line for a source that cannot be read."""
    return MediaError(
        f"{path}: cannot be read ({exc.strerror or exc}); check that it exists and that you "
        f"may read it (chmod u+r), then run again"
    )


def file_problem(exc: OSError) -> MediaError:
    """The one line for a file system failure while placing outputs or moving a source."""
    where = exc.filename or "a file"
    return MediaError(
        f"{where}: {exc.strerror or exc}; check the workspace's free space and permissions, "
        "then run again"
    )


def reason_text(exc: BaseException, source: SourceFile) -> str:
    """An error's message without the source's path (the report names the source itself)."""
    text = str(exc)
    for prefix in (f"{source.path}: ", f"{source.path.resolve()}: "):
        text = text.replace(prefix, "")
    return text.replace(str(source.path), source.path.name)
