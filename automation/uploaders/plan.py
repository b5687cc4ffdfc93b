"""The upload plan: which inventory files go to which library target, in which batch, and why not.

Built offline from the inventory and the library cache, so a dry run shows exactly what a live
run would do without opening a browser.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from tracking.csvstore import Row
from tracking.library_cache import LibraryCache, library_key

BATCH_SIZE = 10
# Spec checks measure every file (ffprobe is a process per video): a few run at once.
CHECK_WORKERS = min(8, 2 * (os.cpu_count() or 1))


@dataclass(frozen=True)
class UploadItem:
    """One creative file bound for one library target (a tab, or an API file type)."""

    unique_id: str
    path: Path
    name: str  # the library key: the name the platform will show
    creative_type: str  # the inventory's type (native_video, preroll, ...)
    target: str  # where it lands on the platform (native_rollover, in_stream_video, ...)
    pair_id: str = ""


class Disposition(StrEnum):
    """What the plan does with one selected file."""

    UPLOAD = "upload"
    CACHED = "cached"  # the cache already proves the platform has it
    AMBIGUOUS = "ambiguous"  # the name is in the target more than once: never pick one
    INVALID = "invalid"
    REPEATED = "repeated"  # a second file with the same name and target in this run


@dataclass
class PlannedFile:
    """One selected file and the plan's decision about it."""

    item: UploadItem
    disposition: Disposition
    note: str = ""
    creative_id: str = ""
    batch: str = ""


@dataclass
class Batch:
    """At most BATCH_SIZE files for one target, submitted together."""

    label: str
    target: str
    items: list[UploadItem]


@dataclass
class Plan:
    """Every selected file's decision, the batches to run, and what `--limit` held back."""

    files: list[PlannedFile] = field(default_factory=list)
    batches: list[Batch] = field(default_factory=list)
    held_back: int = 0

    def of(self, disposition: Disposition) -> list[PlannedFile]:
        return [f for f in self.files if f.disposition is disposition]


@dataclass(frozen=True)
class Selection:
    """Which inventory rows a run takes: all not yet uploaded, or the named files."""

    files: tuple[str, ...] = ()
    limit: int | None = None
    force: bool = False


def select_rows(
    rows: Sequence[Row], id_column: str, selection: Selection
) -> tuple[list[Row], list[str]]:
    """Rows the run takes, and the `--files` names that match no inventory row."""
    if not selection.files:
        return [r for r in rows if not r.get(id_column, "").strip()], []
    index: dict[str, Row] = {}
    for row in rows:
        for key in (row["unique_id"], row["new_filename"], library_key(row["new_filename"])):
            index.setdefault(key, row)
    chosen: dict[str, Row] = {}
    unknown: list[str] = []
    for wanted in selection.files:
        found = index.get(wanted) or index.get(Path(wanted).name) or index.get(library_key(wanted))
        if found is None:
            unknown.append(wanted)
        else:
            chosen.setdefault(found["unique_id"], found)
    return list(chosen.values()), unknown


def _units(files: Sequence[PlannedFile]) -> list[list[int]]:
    """Positions in `files` of the uploadable ones, grouped so both halves of a native pair
    stay in one unit."""
    by_pair: dict[str, list[int]] = {}
    units: list[list[int]] = []
    for position, planned in enumerate(files):
        if planned.disposition is not Disposition.UPLOAD:
            continue
        pair = planned.item.pair_id if planned.item.creative_type.startswith("native_") else ""
        if not pair:
            units.append([position])
        elif pair in by_pair:
            by_pair[pair].append(position)
        else:
            by_pair[pair] = [position]
            units.append(by_pair[pair])
    return units


def _apply_limit(units: list[list[int]], limit: int | None) -> tuple[list[list[int]], int]:
    """The leading units that fit in `limit` files, and how many files the rest hold."""
    if limit is None:
        return units, 0
    taken: list[list[int]] = []
    count = 0
    for unit in units:
        if count + len(unit) > limit:
            break
        taken.append(unit)
        count += len(unit)
    return taken, sum(len(u) for u in units) - count


def _batches(units: list[list[PlannedFile]], size: int) -> list[Batch]:
    """Pairs first, ten pairs a group (one batch per target, same label), then singles."""
    pairs = [u for u in units if len(u) > 1]
    singles = [u[0] for u in units if len(u) == 1]
    groups: list[list[PlannedFile]] = [
        [f for unit in pairs[i : i + size] for f in unit] for i in range(0, len(pairs), size)
    ]
    by_target: dict[str, list[PlannedFile]] = {}
    for planned in singles:
        by_target.setdefault(planned.item.target, []).append(planned)
    for files in by_target.values():
        groups.extend(files[i : i + size] for i in range(0, len(files), size))
    batches: list[Batch] = []
    for number, group in enumerate(groups, 1):
        label = f"b{number:02d}"
        targets = sorted({f.item.target for f in group}, key=_video_first)
        for target in targets:
            members = [f for f in group if f.item.target == target]
            for planned in members:
                planned.batch = label
            batches.append(Batch(label, target, [f.item for f in members]))
    return batches


def _video_first(target: str) -> tuple[int, str]:
    return (0 if "rollover" in target or "video" in target else 1, target)


def build_plan(
    items: Iterable[UploadItem | PlannedFile],
    cache: LibraryCache,
    *,
    check: Callable[[UploadItem], str | None],
    selection: Selection,
    batch_size: int = BATCH_SIZE,
) -> Plan:
    """Validate, deduplicate against the cache and the run itself, limit, and batch."""
    plan = Plan()
    entries = list(items)
    problems = _spec_problems(entries, check)
    seen: dict[tuple[str, str], str] = {}
    for entry, problem in zip(entries, problems, strict=True):
        if isinstance(entry, PlannedFile):  # decided before planning (e.g. no target)
            plan.files.append(entry)
            continue
        plan.files.append(_decide(entry, problem, cache, selection, seen))
    units, plan.held_back = _apply_limit(_units(plan.files), selection.limit)
    plan.batches = _batches([[plan.files[p] for p in unit] for unit in units], batch_size)
    kept = {p for unit in units for p in unit}
    plan.files = [
        f for p, f in enumerate(plan.files) if f.disposition is not Disposition.UPLOAD or p in kept
    ]
    return plan


def _spec_problems(
    entries: Sequence[UploadItem | PlannedFile], check: Callable[[UploadItem], str | None]
) -> list[str | None]:
    """Why each entry's file would be refused, in the entries' order (None: it passes, or the
    entry was decided before planning); the files are checked in parallel."""
    with ThreadPoolExecutor(max_workers=CHECK_WORKERS) as pool:
        return list(pool.map(lambda entry: _spec_problem(entry, check), entries))


def _spec_problem(
    entry: UploadItem | PlannedFile, check: Callable[[UploadItem], str | None]
) -> str | None:
    """One entry's refusal note: its file is missing or misses the specs (None: it passes)."""
    if isinstance(entry, PlannedFile):
        return None
    if not entry.path.is_file():
        return f"{entry.path} is missing; run 'creative-flow process' again or restore it"
    problem = check(entry)
    return f"{entry.path.name} {problem}" if problem else None


def _decide(
    item: UploadItem,
    problem: str | None,
    cache: LibraryCache,
    selection: Selection,
    seen: dict[tuple[str, str], str],
) -> PlannedFile:
    if problem:
        return PlannedFile(item, Disposition.INVALID, problem)
    other = seen.setdefault((item.name, item.target), item.unique_id)
    if other != item.unique_id:
        return PlannedFile(item, Disposition.REPEATED, f"same name as {other} in this run")
    if not selection.force:
        hits = cache.lookup_all(item.name, item.target)
        if len(hits) == 1:
            note = f"already in the library as {hits[0].creative_id}"
            return PlannedFile(item, Disposition.CACHED, note, hits[0].creative_id)
        if len(hits) > 1:
            ids = ", ".join(h.creative_id for h in hits)
            note = f"name is in {item.target} {len(hits)} times ({ids}); no ID recorded"
            return PlannedFile(item, Disposition.AMBIGUOUS, note)
    return PlannedFile(item, Disposition.UPLOAD)


def item_from_row(
    row: Mapping[str, str], processed: Path, target: str, unique_id_column: str = "unique_id"
) -> UploadItem:
    """The upload item of an inventory row (its file lives in processed/)."""
    return UploadItem(
        unique_id=row[unique_id_column],
        path=processed / row["new_filename"],
        name=library_key(row["new_filename"]),
        creative_type=row["creative_type"],
        target=target,
        pair_id=row.get("native_pair_id", ""),
    )
