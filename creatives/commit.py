"""Putting one source's outputs on record: journal, inventory rows, files in place, source moved.

The inventory write is the commit point. A journal written just before it lists every step, so a
run that stops anywhere is finished (rows written) or undone (rows not written) by the next run:
never a row without its file, nor a file without its row.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

from creatives.classify import CreativeType, aspect_ratio
from creatives.errors import MediaError
from creatives.naming import NameKind, pair_id, unique_id
from creatives.plan import Plan
from creatives.produce import TEMP_PREFIX, Produced
from creatives.sources import check_movable, companions, pid_alive
from tracking import inventory
from tracking.csvstore import Row, atomic_write_text, update_rows
from tracking.errors import RecordsError
from tracking.schemas import INVENTORY
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

JOURNAL_PREFIX = ".commit-"


@dataclass(frozen=True)
class Journal:
    """What one commit does, written before the inventory changes."""

    rows: list[dict[str, str]]
    place: list[tuple[str, str]]  # temp file -> final file
    remove: list[str]  # files of replaced rows that no output overwrites
    source: tuple[str, str]  # source -> its place in originals/
    replaces: list[str]  # unique_ids whose rows the new rows replace

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Journal:
        data = json.loads(text)
        return cls(
            rows=data["rows"],
            place=[(str(a), str(b)) for a, b in data["place"]],
            remove=data["remove"],
            source=(str(data["source"][0]), str(data["source"][1])),
            replaces=data["replaces"],
        )


def inventory_row(plan: Plan, item: Produced, source_path: str, when: datetime) -> dict[str, str]:
    """The inventory row of one produced file (sizes and durations measured on it)."""
    fields = plan.fields
    info = item.info
    native = item.planned.name_kind is not NameKind.PLAIN
    row = dict.fromkeys(INVENTORY.columns, "")
    row.update(
        unique_id=unique_id(plan.id8, item.planned.name_kind),
        original_filename=plan.source.path.name,
        new_filename=item.new_filename,
        creator_name=fields.creator or "UNK",
        language=fields.language or "UNK",
        category=fields.category or "UNK",
        content_type=fields.rating or "UNK",
        creative_type=str(item.planned.creative_type),
        duration_seconds=f"{info.duration:.3f}" if info.is_video else "",
        aspect_ratio=aspect_ratio(info.width, info.height),
        width_px=str(info.width),
        height_px=str(info.height),
        file_size_mb=f"{info.size_bytes / 1_000_000:.4f}",
        file_format=item.planned.ext,
        date_processed=when.isoformat(timespec="seconds"),
        source_path=source_path,
        notes="; ".join([*plan.notes, *item.notes]),
        native_pair_id=pair_id(plan.id8) if native else "",
        content_sha256=plan.sha256,
    )
    return row


def originals_destination(ws: Workspace, relative: PurePosixPath, id8: str) -> Path:
    """Where a source goes in originals/: its inbox path, with its ID added if that is taken."""
    target = ws.originals / relative
    if not target.exists():
        return target
    return target.with_name(f"{target.stem}_ID-{id8}{target.suffix}")


def commit(
    ws: Workspace, plan: Plan, produced: list[Produced], old_rows: list[Row], when: datetime
) -> list[dict[str, str]]:
    """Record and place one source's outputs; returns the rows written."""
    # Checked again here, before anything is recorded: the folder may have changed since.
    try:
        check_movable(plan.source.path)
    except MediaError:
        for item in produced:
            item.temp.unlink(missing_ok=True)
        raise
    dest = originals_destination(ws, plan.source.relative, plan.id8)
    source_path = dest.relative_to(ws.root).as_posix()
    rows = [inventory_row(plan, item, source_path, when) for item in produced]
    finals = {row["new_filename"] for row in rows}
    journal = Journal(
        rows=rows,
        place=[(str(p.temp), str(ws.processed / p.new_filename)) for p in produced],
        remove=[
            str(ws.processed / r["new_filename"])
            for r in old_rows
            if r["new_filename"] and r["new_filename"] not in finals
        ],
        source=(str(plan.source.path), str(dest)),
        replaces=[r["unique_id"] for r in old_rows],
    )
    journal_file = ws.processed / f"{JOURNAL_PREFIX}{os.getpid()}-{secrets.token_hex(4)}.json"
    atomic_write_text(journal_file, journal.to_json())
    try:
        write_rows(ws.inventory_csv, rows, journal.replaces)
    except Exception:
        # The write may or may not have landed: settle it as a later run would.
        _settle(ws, journal_file)
        raise
    finish(journal)
    journal_file.unlink(missing_ok=True)
    return rows


def write_rows(path: Path, rows: list[dict[str, str]], replaces: list[str]) -> None:
    """The commit point: add rows to the inventory, in place of `replaces` when re-processing."""
    if not replaces:
        inventory.append(path, rows)
        return

    def swap(existing: list[Row]) -> list[Row]:
        kept = [r for r in existing if r["unique_id"] not in replaces]
        clash = {r["unique_id"] for r in kept} & {r["unique_id"] for r in rows}
        if clash:
            raise RecordsError(
                f"{path}: unique_id already recorded: {', '.join(sorted(clash))}; another run "
                "recorded it meanwhile: run process again to see it skipped"
            )
        return [*kept, *rows]

    update_rows(path, INVENTORY, swap)


def finish(journal: Journal) -> None:
    """The steps after the commit point, each safe to repeat."""
    for temp, final in journal.place:
        if Path(temp).exists():
            os.replace(temp, final)
    for stale in journal.remove:
        Path(stale).unlink(missing_ok=True)
    move_source(Path(journal.source[0]), Path(journal.source[1]))


def _undo(journal: Journal) -> None:
    for temp, _ in journal.place:
        Path(temp).unlink(missing_ok=True)


def move_source(source: Path, dest: Path) -> None:
    """Move a source into originals/ without changing a byte (copy then remove across disks);
    its subtitles go along, renamed after it."""
    for subtitle in companions(source):
        tail = subtitle.name[len(source.stem) :]  # ".en.vtt"
        _move_file(subtitle, dest.with_name(dest.stem + tail))
    _move_file(source, dest)


def _move_file(source: Path, dest: Path) -> None:
    """Rename, or copy the bytes and remove the source; a linked source puts its target's bytes
    in originals/ and only the link is removed (the target is not the tool's to move)."""
    if dest.exists():
        if source.is_symlink():
            source.unlink()  # a run stopped after the copy: the link is all that is left
        return
    if not source.exists():
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not source.is_symlink():
        try:
            os.rename(source, dest)
            return
        except OSError:
            pass  # another file system: copy under a temporary name, then rename, then remove
    temp = dest.with_name(f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}{dest.suffix}")
    shutil.copy2(source, temp)  # follows a link: the bytes, not the link
    os.replace(temp, dest)
    source.unlink()


def _stale(path: Path, prefix: str) -> bool:
    """Whether a temp/journal file belongs to a run that is gone (or to an earlier run of ours)."""
    pid_text = path.name[len(prefix) :].split("-", 1)[0]
    pid = int(pid_text) if pid_text.isdigit() else 0
    return pid == os.getpid() or not pid_alive(pid)


def _settle(ws: Workspace, journal_file: Path) -> str:
    """Finish a journal whose rows are recorded, undo one whose rows are not; then drop it."""
    journal = Journal.from_json(journal_file.read_text(encoding="utf-8"))
    name = Path(journal.source[0]).name
    if _committed(journal, inventory.load(ws.inventory_csv)):
        finish(journal)
        message = f"finished recording {name}"
    else:
        _undo(journal)
        message = f"removed the unrecorded outputs of {name}"
    journal_file.unlink(missing_ok=True)
    return message


def recover(ws: Workspace) -> list[str]:
    """Finish or undo what stopped runs left in processed/; returns what was done, for the log."""
    if not ws.processed.is_dir():
        return []
    done: list[str] = []
    for journal_file in sorted(ws.processed.glob(f"{JOURNAL_PREFIX}*.json")):
        if _stale(journal_file, JOURNAL_PREFIX):
            done.append(_settle(ws, journal_file))
    # A journal killed while being written never took effect: its temporary file goes too.
    journal_temps = ws.processed.glob(f".{JOURNAL_PREFIX}*.tmp")
    for temp, prefix in [
        *((t, TEMP_PREFIX) for t in sorted(ws.processed.glob(f"{TEMP_PREFIX}*"))),
        *((t, f".{JOURNAL_PREFIX}") for t in sorted(journal_temps)),
    ]:
        if _stale(temp, prefix):
            temp.unlink(missing_ok=True)
            done.append(f"removed leftover temporary file {temp.name}")
    for line in done:
        log.info("%s", line)
    return done


def _committed(journal: Journal, recorded: list[Row]) -> bool:
    by_id = {r["unique_id"]: r for r in recorded}
    return all(
        by_id.get(row["unique_id"], {}).get(key) == value
        for row in journal.rows
        for key, value in row.items()
    )


def type_counts(rows: list[Mapping[str, str]]) -> dict[str, int]:
    """How many rows of each creative type (for summaries)."""
    counts: dict[str, int] = {}
    for row in rows:
        kind = row.get("creative_type") or str(CreativeType.VIDEO)
        counts[kind] = counts.get(kind, 0) + 1
    return counts
