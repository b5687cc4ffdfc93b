"""One upload run on any platform: plan, reconcile interrupted runs, submit batches, record.

Crash safety rests on three rules: a file is journalled `submitting` before it leaves the machine;
an ID is recorded only when the platform proves it (a new creative of exactly that name in the
right target, or exactly one creative of that name found by paging the target); and every run
first reconciles the journals of earlier runs by name before uploading anything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from automation.errors import AuthRequiredError, CreativeFlowError
from automation.uploaders.base import (
    Uploader,
    UploadOptions,
)
from automation.uploaders.batch import BatchRunner
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
    journal_path,
    remove_resolved,
    unresolved_entries,
)
from tracking.library_cache import LibraryCache
from tracking.schemas import UploadStatus

log = logging.getLogger(__name__)

ResultListener = Callable[[FileResult], None]
RUN_LOCK_WAIT_S = 5  # a second live run of a platform is refused, not queued
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
            # Everything settled offline: no reason to touch the platform. A run killed after
            # its last confirmation can leave a settled journal behind; it goes now.
            remove_resolved(self.workspace.uploads_dir)
            return report
        with locked(self.uploader.run_lock, timeout=RUN_LOCK_WAIT_S):
            self._execute_live(report)
        return report

    def _execute_live(self, report: RunReport) -> None:
        try:
            with self.uploader.connect(self.run_id, retries=self.options.retries) as connection:
                report.artifacts = connection.artifacts
                transport = connection.transport
                recorded = {r.item.unique_id: r.proven_id for r in report.results if r.proven_id}
                reconciled = reconcile_interrupted(
                    transport, self.uploader.platform, self.records, self.run_id, recorded
                )
                self._emit(report, reconciled)
                batches = self._replan(report)
                runner = BatchRunner(
                    transport,
                    self.records,
                    self.journal,
                    self.options,
                    lambda results: self._emit(report, results),
                )
                for index, batch in enumerate(batches):
                    try:
                        runner.run(batch)
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
