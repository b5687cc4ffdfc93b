"""The last upload runs' outcomes, summed up from records/uploads/<run-id>.csv."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from tracking.csvstore import read_rows
from tracking.errors import RecordsError
from tracking.schemas import PLATFORM_LABELS, UPLOAD_STATUS
from tracking.workspace import Workspace

RECENT_RUNS = 8


@dataclass(frozen=True)
class RunOutcome:
    """One upload run, summed up from records/uploads/<run-id>.csv."""

    run_id: str
    platform: str
    started: str
    counts: dict[str, int]
    errors: list[str]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def dry_run(self) -> bool:
        """A rehearsal: nothing was sent (only dry runs write dry_run rows)."""
        return "dry_run" in self.counts


def load_runs(workspace: Workspace, limit: int = RECENT_RUNS) -> tuple[list[RunOutcome], list[str]]:
    """The last `limit` upload runs (newest first) and a warning per unreadable run file."""
    folder = workspace.uploads_dir
    files = sorted(folder.glob("*.csv"), reverse=True)[:limit] if folder.is_dir() else []
    runs: list[RunOutcome] = []
    warnings: list[str] = []
    for path in files:
        try:
            rows = read_rows(path, UPLOAD_STATUS)
        except RecordsError as exc:
            warnings.append(str(exc))
            continue
        counts = Counter(r["status"].strip() or "unknown" for r in rows)
        platforms = sorted({r["platform"].strip() for r in rows if r["platform"].strip()})
        first = rows[0] if rows else {}
        started = f"{first.get('upload_date', '')} {first.get('upload_time', '')}".strip()
        # Only failures are errors: a dry run's "would upload to ..." or a duplicate's note
        # is what the plan said, not something that went wrong.
        errors = [
            f"{r['file_name']}: {r['error_message']}"
            for r in rows
            if r["status"].strip() == "failed" and r["error_message"].strip()
        ]
        label = ", ".join(PLATFORM_LABELS.get(p, p) for p in platforms) or "-"
        runs.append(RunOutcome(path.stem, label, started, dict(counts), errors))
    return runs, warnings
