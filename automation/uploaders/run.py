"""One upload run on any platform: plan, reconcile interrupted runs, submit batches, record.

Crash safety rests on three rules: a file is journalled `submitting` before it leaves the machine;
an ID is recorded only when the platform proves it (a new creative of exactly that name in the
right target, or exactly one creative of that name found by paging the target); and every run
first reconciles the journals of earlier runs by name before uploading anything.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from automation.errors import AuthRequiredError, CreativeFlowError
from automation.uploaders.base import (
    FileOutcome,
    Outcome,
    TransientError,
    Transport,
    Uploader,
    UploadOptions,
)
from automation.uploaders.plan import (
    Batch,
    Disposition,
    Plan,
    PlannedFile,
    Selection,
    UploadItem,
    build_plan,
    item_from_row,
    select_rows,
)
from automation.uploaders.reconcile import reconcile_interrupted
from automation.uploaders.records import FileResult, RunRecords
from tracking import inventory
from tracking.csvstore import locked
from tracking.journal import (
    Journal,
    JournalEntry,
    JournalState,
    journal_path,
    remove_resolved,
    unresolved_entries,
)
from tracking.library_cache import LibraryCache
from tracking.schemas import UploadStatus

log = logging.getLogger(__name__)

ResultListener = Callable[[FileResult], None]
PLAN_STATUS = {
    Disposition.CACHED: UploadStatus.DUPLICATE,
    Disposition.AMBIGUOUS: UploadStatus.DUPLICATE,
    Disposition.INVALID: UploadStatus.FAILED,
    Disposition.REPEATED: UploadStatus.SKIPPED,
}


@dataclass
class RunReport:
    """Everything a run decided and did; `stopped` is the error that ended it early, if any."""

    run_id: str
    platform: str
    live: bool
    plan: Plan
    results: list[FileResult] = field(default_factory=list)
    status_csv: Path | None = None
    artifacts: list[Path] = field(default_factory=list)
    stopped: CreativeFlowError | None = None
    pending_from_earlier: int = 0

    def count(self, status: UploadStatus) -> int:
        return sum(1 for r in self.results if r.status is status)


class UploadRun:
    """Runs one upload for one platform; the CLI and the benchmarks drive it."""

    def __init__(
        self,
        uploader: Uploader,
        run_id: str,
        options: UploadOptions,
        on_result: ResultListener | None = None,
    ) -> None:
        self.uploader = uploader
        self.run_id = run_id
        self.options = options
        self.on_result = on_result or (lambda result: None)
        self.workspace = uploader.workspace
        self.records = RunRecords(self.workspace, uploader.platform, run_id)
        self.journal = Journal(journal_path(self.workspace.uploads_dir, run_id))
        self._last_error: dict[str, str] = {}

    # --- planning (offline) ---------------------------------------------------------------
    def plan(self) -> Plan:
        """Select, validate, deduplicate and batch the inventory's files; no network."""
        id_column = inventory.platform_field(self.uploader.platform, "creative_id")
        rows = inventory.load(self.workspace.inventory_csv)
        selection = Selection(self.options.files, self.options.limit, self.options.force)
        chosen, unknown = select_rows(rows, id_column, selection)
        entries: list[UploadItem | PlannedFile] = []
        for row in chosen:
            target = self.uploader.target_for(row["creative_type"])
            item = item_from_row(row, self.workspace.processed, target or "")
            if target is None:
                note = f"creative type {row['creative_type']!r} has no {self.uploader.label} target"
                entries.append(PlannedFile(item, Disposition.INVALID, note))
            else:
                entries.append(item)
        entries.extend(self._unknown_files(unknown))
        cache = LibraryCache.load(self.uploader.cache_path)
        return build_plan(entries, cache, check=self.uploader.check, selection=selection)

    def _unknown_files(self, names: list[str]) -> list[PlannedFile]:
        note = "is not in the inventory; run 'creative-flow process' on it first"
        return [
            PlannedFile(
                UploadItem("", Path(name), Path(name).stem, "", ""), Disposition.INVALID, note
            )
            for name in names
        ]

    # --- the run --------------------------------------------------------------------------
    def execute(self, plan: Plan | None = None) -> RunReport:
        """Dry run: record the plan. Live: reconcile, submit every batch, record as proven."""
        plan = plan or self.plan()
        report = RunReport(self.run_id, self.uploader.platform, self.options.live, plan)
        report.status_csv = self.records.status_csv
        self._record_planned(plan, report)
        report.pending_from_earlier = len(
            unresolved_entries(
                self.workspace.uploads_dir, self.uploader.platform, exclude_run=self.run_id
            )
        )
        if not self.options.live:
            self._record_dry_run(plan, report)
            return report
        if not plan.batches and not report.pending_from_earlier:
            return report  # everything settled offline: no reason to touch the platform
        uploads_lock = self.workspace.uploads_dir / f".{self.uploader.platform}.run"
        with locked(uploads_lock, timeout=5):
            self._execute_live(report)
        return report

    def _execute_live(self, report: RunReport) -> None:
        try:
            with self.uploader.connect(self.run_id) as connection:
                report.artifacts = connection.artifacts
                transport = connection.transport
                reconciled = reconcile_interrupted(
                    transport, self.uploader.platform, self.records, self.run_id
                )
                self._emit(report, reconciled)
                batches = self._replan(report)
                for index, batch in enumerate(batches):
                    try:
                        self._run_batch(transport, batch, report)
                    except AuthRequiredError:
                        self._skip_rest(batches[index + 1 :], report)
                        raise
        except CreativeFlowError as exc:
            report.stopped = exc
        finally:
            remove_resolved(self.workspace.uploads_dir)

    def _replan(self, report: RunReport) -> list[Batch]:
        """Batches again after reconciliation: files it proved are no longer uploaded."""
        proven = {r.item.unique_id for r in report.results if r.proven_id}
        if not proven:
            return report.plan.batches
        batches = []
        for batch in report.plan.batches:
            items = [i for i in batch.items if i.unique_id not in proven]
            if items:
                batches.append(Batch(batch.label, batch.target, items))
        return batches

    def _emit(self, report: RunReport, results: list[FileResult]) -> None:
        report.results.extend(results)
        for result in results:
            self.on_result(result)

    def _record_planned(self, plan: Plan, report: RunReport) -> None:
        results = [
            FileResult(
                f.item, PLAN_STATUS[f.disposition], message=f.note, creative_id=f.creative_id
            )
            for f in plan.files
            if f.disposition is not Disposition.UPLOAD
        ]
        if results:
            self.records.write(results, inventory_too=self.options.live)
            self._emit(report, results)

    def _record_dry_run(self, plan: Plan, report: RunReport) -> None:
        results = [
            FileResult(
                f.item, UploadStatus.DRY_RUN, message=f"would upload to {f.item.target} ({f.batch})"
            )
            for f in plan.of(Disposition.UPLOAD)
        ]
        self.records.write(results, inventory_too=False)
        self._emit(report, results)

    def _skip_rest(self, batches: list[Batch], report: RunReport) -> None:
        note = "not attempted: the session expired; log in again and rerun"
        results = [
            FileResult(i, UploadStatus.SKIPPED, message=note) for b in batches for i in b.items
        ]
        self.records.write(results)
        self._emit(report, results)

    # --- one batch, with retries ------------------------------------------------------------
    def _run_batch(self, transport: Transport, batch: Batch, report: RunReport) -> None:
        pending = list(batch.items)
        attempts: dict[str, int] = {}
        try:
            pending = self._attempts(transport, batch, pending, attempts, report)
        except AuthRequiredError:
            done = {r.item.unique_id for r in report.results}
            self._record_unconfirmed([i for i in batch.items if i.unique_id not in done], report)
            raise
        if pending:
            self._finish(batch, [self._gave_up(i, attempts) for i in pending], report)

    def _attempts(
        self,
        transport: Transport,
        batch: Batch,
        pending: list[UploadItem],
        attempts: dict[str, int],
        report: RunReport,
    ) -> list[UploadItem]:
        """Submit, settle, and resubmit what failed transiently (reconciling first)."""
        for attempt in range(self.options.retries + 1):
            if attempt:
                time.sleep(self.options.backoff_s * 2 ** (attempt - 1))
                pending = self._reconcile_before_retry(transport, batch, pending, attempts, report)
                if not pending:
                    break
            try:
                outcomes = self._submit(
                    transport, Batch(batch.label, batch.target, pending), attempt
                )
            except TransientError as exc:
                log.info("%s: batch %s attempt %d: %s", batch.target, batch.label, attempt, exc)
                outcomes = [FileOutcome(i, Outcome.TRANSIENT, message=str(exc)) for i in pending]
            for item in pending:
                attempts[item.unique_id] = attempt
            self._last_error.update({o.item.unique_id: o.message for o in outcomes})
            pending = self._settle(transport, batch, outcomes, attempts, report)
            if not pending:
                break
        return pending

    def _gave_up(self, item: UploadItem, attempts: dict[str, int]) -> FileResult:
        tries = attempts.get(item.unique_id, 0)
        reason = self._last_error.get(item.unique_id, "") or "no confirmation"
        return _failed(item, f"gave up after {tries} retries: {reason}", tries)

    def _submit(self, transport: Transport, batch: Batch, attempt: int) -> list[FileOutcome]:
        def before_submit() -> None:
            self.journal.write(
                self._journal_entry(i, JournalState.SUBMITTING, attempt) for i in batch.items
            )

        return transport.upload_batch(batch, before_submit)

    def _journal_entry(
        self, item: UploadItem, state: JournalState, attempt: int = 0, creative_id: str = ""
    ) -> JournalEntry:
        return JournalEntry(
            run_id=self.run_id,
            platform=self.uploader.platform,
            name=item.name,
            target=item.target,
            unique_id=item.unique_id,
            state=state,
            file_path=str(item.path),
            attempt=attempt,
            creative_id=creative_id,
        )

    def _settle(
        self,
        transport: Transport,
        batch: Batch,
        outcomes: list[FileOutcome],
        attempts: dict[str, int],
        report: RunReport,
    ) -> list[UploadItem]:
        """Record what is final (proven first); return the files to retry."""
        final: list[FileResult] = []
        retry: list[UploadItem] = []
        existing: list[FileOutcome] = []
        for o in outcomes:
            tries = attempts.get(o.item.unique_id, 0) + o.retries
            if o.outcome is Outcome.TRANSIENT:
                retry.append(o.item)
            elif o.outcome is Outcome.EXISTING:
                existing.append(o)
            elif o.outcome is Outcome.CREATED:
                final.append(FileResult(o.item, UploadStatus.SUCCESS, o.entry, o.message, tries))
            else:
                final.append(_failed(o.item, o.message, tries))
        if final:
            self._finish(batch, final, report)
        if existing:
            retry.extend(self._settle_existing(transport, batch, existing, attempts, report))
        return retry

    def _settle_existing(
        self,
        transport: Transport,
        batch: Batch,
        existing: list[FileOutcome],
        attempts: dict[str, int],
        report: RunReport,
    ) -> list[UploadItem]:
        """Accepted without a new creative: find the one creative of that name (all pages)."""
        try:
            found = transport.find_names(batch.target, {o.item.name for o in existing})
        except TransientError as exc:
            log.info("%s: library lookup failed, will retry: %s", batch.target, exc)
            return [o.item for o in existing]
        results = [
            _existing_result(o, found.get(o.item.name, []), attempts.get(o.item.unique_id, 0))
            for o in existing
        ]
        self._finish(batch, results, report)
        return []

    def _finish(self, batch: Batch, results: list[FileResult], report: RunReport) -> None:
        """Write records, then mark the journal, then archive: in that order (see records.py)."""
        self.records.write(results)
        self.journal.write(
            self._journal_entry(
                r.item,
                JournalState.CONFIRMED if r.proven_id else JournalState.FAILED,
                r.retries,
                r.proven_id,
            )
            for r in results
        )
        if self.options.archive:
            self.records.archive(
                batch.label, [r for r in results if r.status is not UploadStatus.FAILED]
            )
        self._emit(report, results)

    def _reconcile_before_retry(
        self,
        transport: Transport,
        batch: Batch,
        pending: list[UploadItem],
        attempts: dict[str, int],
        report: RunReport,
    ) -> list[UploadItem]:
        """Before resubmitting, look for each file by name: an earlier attempt may have landed."""
        try:
            found = transport.find_names(batch.target, {i.name for i in pending})
        except TransientError as exc:
            log.info("%s: could not read the library before retrying: %s", batch.target, exc)
            return pending
        landed = []
        for item in pending:
            matches = found.get(item.name, [])
            if len(matches) == 1:
                note = "confirmed by name after a failed attempt"
                landed.append(
                    FileResult(
                        item,
                        UploadStatus.SUCCESS,
                        matches[0],
                        note,
                        attempts.get(item.unique_id, 0),
                    )
                )
        if landed:
            self._finish(batch, landed, report)
        done = {r.item.unique_id for r in landed}
        return [i for i in pending if i.unique_id not in done]

    def _record_unconfirmed(self, pending: list[UploadItem], report: RunReport) -> None:
        """Session lost mid-batch: say so; the journal keeps them for the next run to check."""
        note = "session expired before the upload could be confirmed; the next run checks it"
        results = [FileResult(i, UploadStatus.SKIPPED, message=note) for i in pending]
        self.records.write(results)
        self._emit(report, results)


def _failed(item: UploadItem, message: str, tries: int) -> FileResult:
    return FileResult(item, UploadStatus.FAILED, message=message, retries=tries)


def _existing_result(outcome: FileOutcome, matches: list, tries: int) -> FileResult:
    """Accepted without a new creative: record the existing ID only if exactly one name matches."""
    item = outcome.item
    if len(matches) == 1:
        note = f"the platform already had {item.name} in {item.target}"
        return FileResult(item, UploadStatus.DUPLICATE, matches[0], note, tries)
    note = (
        f"accepted but no new creative, and {len(matches)} creatives named {item.name} in "
        f"{item.target}: no ID recorded"
    )
    return FileResult(item, UploadStatus.DUPLICATE, message=note, retries=tries)
