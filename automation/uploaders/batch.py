"""One batch on any platform: journal, submit, settle what is proven, retry what is transient.

Results are final only when proven; records are written before the journal says `confirmed`
(see records.py), so a crash between the two is settled by the next run's reconciliation.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import tenacity

from automation.errors import AuthRequiredError
from automation.uploaders.base import FileOutcome, Outcome, TransientError, Transport, UploadOptions
from automation.uploaders.plan import Batch, UploadItem
from automation.uploaders.records import FileResult, RunRecords
from tracking.journal import Journal, JournalEntry, JournalState
from tracking.library_cache import LibraryEntry
from tracking.schemas import UploadStatus

log = logging.getLogger(__name__)


class BatchRunner:
    """Runs batches through one transport for one run, reporting each final result to `emit`."""

    def __init__(
        self,
        transport: Transport,
        records: RunRecords,
        journal: Journal,
        options: UploadOptions,
        emit: Callable[[list[FileResult]], None],
    ) -> None:
        self.transport = transport
        self.records = records
        self.journal = journal
        self.options = options
        self.platform = records.platform
        self.run_id = records.run_id
        self._emit_to = emit
        self._last_error: dict[str, str] = {}
        self.settled: set[str] = set()

    def emit(self, results: list[FileResult]) -> None:
        self.settled.update(r.item.unique_id for r in results)
        self._emit_to(results)

    def run(self, batch: Batch) -> None:
        """Submit one batch until every file is settled, retried out, or the session ends."""
        pending = list(batch.items)
        attempts: dict[str, int] = {}
        try:
            pending = self._attempts(batch, pending, attempts)
        except AuthRequiredError:
            done = set(self.settled)
            self._record_unconfirmed([i for i in batch.items if i.unique_id not in done])
            raise
        if pending:
            self._finish(batch, [self._gave_up(i, attempts) for i in pending])

    def _attempts(
        self,
        batch: Batch,
        pending: list[UploadItem],
        attempts: dict[str, int],
    ) -> list[UploadItem]:
        """Submit, settle, and resubmit what failed transiently (reconciling first).

        tenacity carries the attempts and the backoff; what is particular stays here: every
        attempt after the first looks for the files by name before sending them again.
        """
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.options.retries + 1),
            wait=tenacity.wait_exponential(multiplier=self.options.backoff_s),
            retry=tenacity.retry_if_result(bool),  # files still pending: try again
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else [],
        )
        for attempt in retrying:
            with attempt:
                number = attempt.retry_state.attempt_number - 1
                pending = self._attempt(batch, pending, attempts, number)
            if not attempt.retry_state.outcome or not attempt.retry_state.outcome.failed:
                attempt.retry_state.set_result(pending)
        return pending

    def _attempt(
        self,
        batch: Batch,
        pending: list[UploadItem],
        attempts: dict[str, int],
        attempt: int,
    ) -> list[UploadItem]:
        """One submission of what is pending; returns the files still pending after it."""
        if attempt:
            pending = self._reconcile_before_retry(batch, pending, attempts)
            if not pending:
                return []
        try:
            outcomes = self._submit(Batch(batch.label, batch.target, pending), attempt)
        except TransientError as exc:
            log.info("%s: batch %s attempt %d: %s", batch.target, batch.label, attempt, exc)
            outcomes = [FileOutcome(i, Outcome.TRANSIENT, message=str(exc)) for i in pending]
        for item in pending:
            attempts[item.unique_id] = attempt
        self._last_error.update({o.item.unique_id: o.message for o in outcomes})
        return self._settle(batch, outcomes, attempts)

    def _gave_up(self, item: UploadItem, attempts: dict[str, int]) -> FileResult:
        tries = attempts.get(item.unique_id, 0)
        reason = self._last_error.get(item.unique_id, "") or "no confirmation"
        return _failed(item, f"gave up after {tries} retries: {reason}", tries)

    def _submit(self, batch: Batch, attempt: int) -> list[FileOutcome]:
        def before_submit() -> None:
            self.journal.write(
                self._journal_entry(i, JournalState.SUBMITTING, attempt) for i in batch.items
            )

        return self.transport.upload_batch(batch, before_submit)

    def _journal_entry(
        self, item: UploadItem, state: JournalState, attempt: int = 0, creative_id: str = ""
    ) -> JournalEntry:
        return JournalEntry(
            run_id=self.run_id,
            platform=self.platform,
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
        batch: Batch,
        outcomes: list[FileOutcome],
        attempts: dict[str, int],
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
            self._finish(batch, final)
        if existing:
            retry.extend(self._settle_existing(batch, existing, attempts))
        return retry

    def _settle_existing(
        self,
        batch: Batch,
        existing: list[FileOutcome],
        attempts: dict[str, int],
    ) -> list[UploadItem]:
        """Accepted without a new creative: find the one creative of that name (all pages)."""
        try:
            found = self.transport.find_names(batch.target, {o.item.name for o in existing})
        except TransientError as exc:
            log.info("%s: library lookup failed, will retry: %s", batch.target, exc)
            return [o.item for o in existing]
        results = [
            _existing_result(o, found.get(o.item.name, []), attempts.get(o.item.unique_id, 0))
            for o in existing
        ]
        self._finish(batch, results)
        return []

    def _finish(self, batch: Batch, results: list[FileResult]) -> None:
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
        self.emit(results)

    def _reconcile_before_retry(
        self,
        batch: Batch,
        pending: list[UploadItem],
        attempts: dict[str, int],
    ) -> list[UploadItem]:
        """Before resubmitting, look for each file by name: an earlier attempt may have landed."""
        try:
            found = self.transport.find_names(batch.target, {i.name for i in pending})
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
            self._finish(batch, landed)
        done = {r.item.unique_id for r in landed}
        return [i for i in pending if i.unique_id not in done]

    def _record_unconfirmed(self, pending: list[UploadItem]) -> None:
        """Session lost mid-batch: say so; the journal keeps them for the next run to check."""
        note = "session expired before the upload could be confirmed; the next run checks it"
        results = [FileResult(i, UploadStatus.SKIPPED, message=note) for i in pending]
        self.records.write(results)
        self.emit(results)


def _failed(item: UploadItem, message: str, tries: int) -> FileResult:
    return FileResult(item, UploadStatus.FAILED, message=message, retries=tries)


def _existing_result(outcome: FileOutcome, matches: list[LibraryEntry], tries: int) -> FileResult:
    """Accepted without a new creative: record the existing ID only if exactly one name matches."""
    item = outcome.item
    if len(matches) == 1:
        note = f"the platform already had {item.name} in {item.target}"
        return FileResult(item, UploadStatus.DUPLICATE, matches[0], note, tries)
    if not matches:  # nothing to show for it: not a duplicate, and no ID; a rerun checks again
        note = (
            f"accepted, but no creative named {item.name} is in {item.target} (the platform may "
            "still be processing it, or hold the name in another tab); run again later"
        )
        return _failed(item, note, tries)
    note = (
        f"accepted but no new creative, and {len(matches)} creatives named {item.name} in "
        f"{item.target}: no ID recorded"
    )
    return FileResult(item, UploadStatus.DUPLICATE, message=note, retries=tries)
