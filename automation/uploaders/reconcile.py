"""Reconciling interrupted runs: files an earlier run journalled as `submitting` and never settled.

Each is looked for by its exact name in its own target (every page): exactly one creative -> that
ID is proven and recorded; none -> the file is free to be uploaded again; more than one -> the
platform has the name but which creative is this file cannot be told, so no ID is recorded.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

from automation.uploaders.base import Transport
from automation.uploaders.plan import UploadItem
from automation.uploaders.records import FileResult, RunRecords
from tracking import inventory
from tracking.journal import Journal, JournalEntry, JournalState, unresolved_entries
from tracking.schemas import UploadStatus

log = logging.getLogger(__name__)


def _item(entry: JournalEntry, creative_type: str, pair_id: str) -> UploadItem:
    return UploadItem(
        unique_id=entry.unique_id,
        path=Path(entry.file_path),
        name=entry.name,
        creative_type=creative_type,
        target=entry.target,
        pair_id=pair_id,
    )


def reconcile_interrupted(
    transport: Transport,
    platform: str,
    records: RunRecords,
    run_id: str,
    recorded: Mapping[str, str] | None = None,
    *,
    pending: list[tuple[Journal, JournalEntry]] | None = None,
) -> list[FileResult]:
    """Settle every unresolved journal entry of earlier runs; returns the IDs it proved.

    `recorded`: unique_id -> creative ID this run has recorded already (from the cache); a
    file found with that same ID only has its journal entry settled, not a second status row.
    `pending`: settle only these entries (a queued batch settles its own earlier attempt).
    """
    recorded = recorded or {}
    if pending is None:
        pending = unresolved_entries(records.workspace.uploads_dir, platform, exclude_run=run_id)
    if not pending:
        return []
    rows = {r["unique_id"]: r for r in inventory.load(records.workspace.inventory_csv)}
    by_target: dict[str, list[tuple[Journal, JournalEntry]]] = defaultdict(list)
    for journal, entry in pending:
        by_target[entry.target].append((journal, entry))
    proven: list[FileResult] = []
    for target, entries in by_target.items():
        found = transport.find_names(target, {e.name for _, e in entries})
        for journal, entry in entries:
            row = rows.get(entry.unique_id, {})
            item = _item(entry, row.get("creative_type", ""), row.get("native_pair_id", ""))
            result = _settle(item, entry, found.get(entry.name, []))
            if result is not None and recorded.get(entry.unique_id) == result.proven_id:
                state = JournalState.FOUND  # this run recorded that very ID from the cache
            elif result is not None:
                records.write([result])
                proven.append(result)
                state = JournalState.FOUND
            else:
                state = JournalState.ABSENT
            journal.write([entry.moved_to(state, result.proven_id if result else "")])
    for journal in {j.path: j for j, _ in pending}.values():
        journal.remove_if_resolved()
    log.info("%s: reconciled %d interrupted file(s), %d found", platform, len(pending), len(proven))
    return proven


def _settle(item: UploadItem, entry: JournalEntry, matches: list) -> FileResult | None:
    if not matches:
        return None
    note = f"an interrupted run ({entry.run_id}) had submitted it"
    if len(matches) == 1:
        return FileResult(item, UploadStatus.SUCCESS, matches[0], f"{note}; found by name")
    ids = ", ".join(m.creative_id for m in matches)
    message = f"{note}; {len(matches)} creatives carry its name ({ids}): no ID recorded"
    return FileResult(item, UploadStatus.DUPLICATE, message=message)
