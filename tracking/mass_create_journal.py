"""The mass-create journal: what a run was about to create in a campaign, written before it did.

One JSON line per event, appended and fsynced, in `records/mass_create/journal.jsonl`. Just before
the confirm that creates ads, a run writes a `submitting` entry: the campaign, the CSV's hash, the
ads it is about to create (name and creative IDs) and how many ads of those names the campaign held
before. Once the run has counted the result, or a later run has reconciled it against the campaign,
a `settled` entry follows. An entry still `submitting` belongs to an interrupted run: the next run
reads the campaign's ads before submitting that CSV again, and submits only the ads proven absent.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from tracking.csvstore import locked
from tracking.jsonlines import append_lines, read_lines

FILE_NAME = "journal.jsonl"


class MassCreateState(StrEnum):
    """Where a submission stands: on its way (ads may exist) or accounted for."""

    SUBMITTING = "submitting"
    SETTLED = "settled"


@dataclass(frozen=True)
class PlannedAd:
    """One ad a run is about to create: its name and its creative IDs, as in the CSV."""

    name: str
    creative_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class MassCreateEntry:
    """One event of one campaign + CSV; `before` counts the campaign's ads of the planned names."""

    key: str
    campaign_id: str
    csv_file: str
    run_id: str
    state: MassCreateState
    ads: tuple[PlannedAd, ...] = ()
    before: dict[str, int] = field(default_factory=dict)
    at: str = ""

    def settled(self, run_id: str) -> MassCreateEntry:
        """The same submission, accounted for by `run_id` (stamped now)."""
        return replace(self, state=MassCreateState.SETTLED, run_id=run_id, at=_now())

    def created(self, names_now: Iterable[str]) -> list[PlannedAd]:
        """The planned ads the campaign holds now and did not before (each counted once)."""
        gained = Counter(names_now)
        gained.subtract(self.before)
        made: list[PlannedAd] = []
        for ad in self.ads:
            if gained[ad.name] > 0:
                gained[ad.name] -= 1
                made.append(ad)
        return made


def _now() -> str:
    return datetime.now().isoformat(timespec="milliseconds")


def journal_path(mass_create_dir: Path) -> Path:
    return mass_create_dir / FILE_NAME


def _decode(data: dict[str, Any]) -> MassCreateEntry:
    """An entry from its JSON form (KeyError/ValueError/TypeError when it is not one)."""
    return MassCreateEntry(
        key=str(data["key"]),
        campaign_id=str(data["campaign_id"]),
        csv_file=str(data["csv_file"]),
        run_id=str(data["run_id"]),
        state=MassCreateState(data["state"]),
        ads=tuple(
            PlannedAd(str(ad["name"]), tuple(map(str, ad.get("creative_ids", []))))
            for ad in data.get("ads", [])
        ),
        before={str(name): int(n) for name, n in data.get("before", {}).items()},
        at=str(data.get("at", "")),
    )


class MassCreateJournal:
    """Append-only and durable: each write is on disk before it returns."""

    def __init__(self, mass_create_dir: Path) -> None:
        self.path = journal_path(mass_create_dir)

    def write(self, entry: MassCreateEntry) -> None:
        """Append one event and fsync it; a torn last line from a crash is closed first."""
        data = asdict(entry)
        data["at"] = entry.at or _now()
        append_lines(self.path, [json.dumps(data, sort_keys=True) + "\n"], self.path)

    def entries(self) -> list[MassCreateEntry]:
        """Every event in order; a line that cannot be read is skipped with a warning."""
        return read_lines(self.path, _decode, "mass-create journal")

    def unsettled(self) -> dict[str, MassCreateEntry]:
        """The last event of every campaign + CSV whose submission is not accounted for."""
        last: dict[str, MassCreateEntry] = {}
        for entry in self.entries():
            last[entry.key] = entry
        return {k: e for k, e in last.items() if e.state is MassCreateState.SUBMITTING}

    def remove_if_settled(self) -> bool:
        """Delete the journal once every submission in it is accounted for."""
        with locked(self.path):
            if self.path.exists() and not self.unsettled():
                self.path.unlink()
                return True
        return False
