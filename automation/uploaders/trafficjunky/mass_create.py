"""Apply campaign CSVs with TrafficJunky's "Mass create with CSV", campaign by campaign.

Per campaign: validate the file offline; open the ad settings, choose the CSV mode and set the
file, and while the platform checks it show 100 rows and read the ads; when the page refuses
creative IDs (named only in the banner's text), write a cleaned CSV without those ads, report
them and retry once; preview,
confirm and wait for the creating request to end (the page never navigates), then load the page
again and count: the table must have grown by exactly the ads submitted, or the campaign is
reported as a count mismatch.
Every live outcome goes into the checkpoint, so a rerun skips what was done. Just before the
confirm, the ads about to be created go into the mass-create journal (fsynced): a run killed
between the confirm and the checkpoint leaves them there, and the next run reads the campaign's
ads first and submits only the ads proven absent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from automation.browser import BrowserRun, browser_run
from automation.errors import AuthRequiredError, CreativeFlowError
from automation.settings import Settings
from automation.uploaders.trafficjunky.campaign_pages import AdSettingsPage, CsvIssue
from automation.uploaders.trafficjunky.mass_create_jobs import (
    PROBLEM_STATUSES,
    CampaignJob,
    JobResult,
    JobStatus,
    action_for,
)
from automation.uploaders.trafficjunky.mass_create_resume import (
    creative_uses,
    journal_entry,
    reconcile,
    remaining_csv,
)
from tracking import mass_create_records as records
from tracking.campaign_csv import render_parts
from tracking.campaign_validate import (
    ProblemKind,
    ValidationReport,
    validate_csv,
)
from tracking.csvstore import atomic_write_text
from tracking.library_cache import LibraryCache
from tracking.mass_create_journal import (
    MassCreateEntry,
    MassCreateJournal,
)
from tracking.workspace import Workspace

log = logging.getLogger(__name__)
PLATFORM = "trafficjunky"
# The page decides about IDs missing from a stale cache; everything else stops a file offline.
WARNING_KINDS = frozenset({ProblemKind.NOT_IN_LIBRARY})


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class MassCreate:
    """One mass-create run over several campaigns (dry run unless `live`)."""

    def __init__(
        self,
        settings: Settings,
        run_id: str,
        *,
        live: bool = False,
        require_approved: bool = False,
        retry_failed: bool = False,
        fresh: bool = False,
        on_result: Callable[[JobResult], None] | None = None,
    ) -> None:
        self.settings = settings
        self.workspace = Workspace(settings.workspace)
        self.records_dir = self.workspace.records
        self.run_id = run_id
        self.live = live
        self.require_approved = require_approved
        self.retry_failed = retry_failed
        self.fresh = fresh
        self.on_result = on_result or (lambda result: None)
        path = self.workspace.library_csv(PLATFORM)
        self.library = LibraryCache.load(path) if path.exists() else None
        self.checkpoint = {} if fresh else records.load_checkpoint(self.records_dir)
        self.journal = MassCreateJournal(records.folder(self.records_dir))
        # Unsettled submissions are reconciled even with --fresh: their ads may exist.
        self.unsettled = self.journal.unsettled()
        self.results: list[JobResult] = []
        self.trace_path: Path | None = None  # where a traced live run saved its trace

    # --- offline ------------------------------------------------------------------------
    def _skip_reason(self, job: CampaignJob) -> str | None:
        key = records.checkpoint_key(job.campaign_id, job.csv_file)
        entry = self.checkpoint.get(key)
        pending = self.unsettled.get(key)
        if pending is not None and self.live:
            if entry is None or entry.run_id != pending.run_id:
                return None  # an interrupted submission: reconciled against the campaign first
            # Killed between its checkpoint and its journal: the checkpoint accounts for it.
            self.journal.write(pending.settled(self.run_id))
            del self.unsettled[key]
        if entry is None:
            return None
        status = JobStatus(entry.status)
        if status is JobStatus.SUCCESS:
            return f"done in run {entry.run_id} ({entry.ads_created} ads)"
        if status is JobStatus.COUNT_MISMATCH:
            return (
                f"count mismatch in run {entry.run_id}; check the campaign, then --fresh to "
                "submit this file again"
            )
        if self.retry_failed:
            return None
        return f"{status.value} in run {entry.run_id}; --retry-failed to try again"

    def _offline(self, job: CampaignJob) -> tuple[JobResult | None, ValidationReport | None]:
        """A finished result (disabled, skipped, invalid, dry run) or the report to go on with."""
        if not job.enabled:
            return JobResult(job, JobStatus.DISABLED), None
        if not job.csv_file.is_file():
            return JobResult(
                job, JobStatus.INVALID_CSV, error=f"{job.csv_file}: no such file"
            ), None
        reason = None if self.fresh else self._skip_reason(job)
        if reason:
            return JobResult(job, JobStatus.SKIPPED, error=reason), None
        report = validate_csv(
            job.csv_file, library=self.library, require_approved=self.require_approved
        )
        warnings = [
            p.describe(str(job.csv_file)) for p in report.problems if p.kind in WARNING_KINDS
        ]
        errors = [
            p.describe(str(job.csv_file)) for p in report.problems if p.kind not in WARNING_KINDS
        ]
        if errors:
            return JobResult(
                job,
                JobStatus.INVALID_CSV,
                submitted=report.ads,
                error=f"{len(errors)} problem(s) in the CSV",
                notes=errors,
            ), None
        if not self.live:
            plan = (
                f"would open campaign {job.campaign_id}'s ad settings, show 100 rows, count "
                f"the ads, mass-create {report.ads} ad(s) from {job.csv_file.name}, verify "
                "the count grew by as many"
            )
            pending = self.unsettled.get(records.checkpoint_key(job.campaign_id, job.csv_file))
            if pending is not None:
                plan = (
                    f"would first read campaign {job.campaign_id}'s ads: run {pending.run_id} "
                    "was interrupted while creating them; then " + plan.removeprefix("would ")
                )
            return JobResult(
                job, JobStatus.DRY_RUN, submitted=report.ads, notes=[plan, *warnings]
            ), None
        return None, report

    # --- records ------------------------------------------------------------------------
    def _record(self, result: JobResult, *, checkpoint: bool = True) -> None:
        job = result.job
        stamp = _now()
        records.append_summary(
            self.records_dir,
            self.run_id,
            [
                {
                    "campaign_id": job.campaign_id,
                    "campaign_name": job.campaign_name,
                    "csv_file": str(job.csv_file),
                    "status": result.status.value,
                    "ads_created": result.ads_created,
                    "error": result.error,
                    "invalid_creatives_count": len(result.invalid),
                    "timestamp": stamp,
                }
            ],
        )
        if result.invalid:
            records.append_invalid(
                self.records_dir,
                self.run_id,
                [
                    {
                        "campaign_id": job.campaign_id,
                        "campaign_name": job.campaign_name,
                        "creative_id": issue.creative_id,
                        "error": issue.message,
                        "action_required": action_for(issue.message),
                        "timestamp": stamp,
                    }
                    for issue in result.invalid
                ],
            )
        # An unverified submission stays unsettled in the journal: the next run reconciles it.
        checkpoint = checkpoint and not result.unverified
        if checkpoint and self.live and result.status in (*PROBLEM_STATUSES, JobStatus.SUCCESS):
            key = records.checkpoint_key(job.campaign_id, job.csv_file)
            entry = records.CheckpointEntry(
                job.campaign_id,
                str(job.csv_file),
                result.status.value,
                result.ads_created,
                self.run_id,
                stamp,
            )
            records.record_checkpoint(self.records_dir, key, entry)
            if result.journaled is not None:  # the checkpoint now accounts for those ads
                self.journal.write(result.journaled.settled(self.run_id))
        self.results.append(result)
        self.on_result(result)

    # --- live ---------------------------------------------------------------------------
    def _clean(self, job: CampaignJob, source: Path, refused: set[str]) -> tuple[Path, int]:
        """The CSV without the ads that use a refused creative; (path, ads left)."""
        frame, spec, uses = creative_uses(source)
        keep = ~uses.apply(lambda col: col.str.strip().isin(refused)).any(axis=1)
        kept = frame[keep].reset_index(drop=True)
        path = records.cleaned_path(self.records_dir, self.run_id, job.campaign_id, job.csv_file)
        if len(kept):
            atomic_write_text(path, render_parts(kept, spec)[0])
        return path, len(kept)

    def _submit(
        self, pages: AdSettingsPage, result: JobResult, source: Path, *, given: bool = False
    ) -> Path:
        """Set the file `source` (`given`: it was set already and is being checked), clean and
        retry once on refused creatives; the file the page took."""
        job = result.job
        issues = pages.csv_check() if given else pages.set_csv(source)
        if not issues:
            return source
        # Only an ID the file uses is a refused creative: a record never names another number.
        used = set(creative_uses(source)[2].stack().str.strip())
        refused = {i.creative_id for i in issues if i.creative_id and i.creative_id in used}
        if not refused:
            raise _Refused("the platform refused the file: " + "; ".join(_messages(issues)))
        # Other sentences may go with the refused creatives; the retry shows if they remain.
        result.invalid = [i for i in issues if i.creative_id in refused]
        result.cleaned_csv, result.submitted = self._clean(job, source, refused)
        if result.submitted == 0:
            raise _Refused(f"every ad uses a refused creative ({', '.join(sorted(refused))})")
        again = pages.set_csv(result.cleaned_csv)
        if again:
            raise _Refused("the cleaned CSV was refused too: " + "; ".join(_messages(again)))
        return result.cleaned_csv

    def _create(self, pages: AdSettingsPage, result: JobResult, entry: MassCreateEntry) -> None:
        """Preview and confirm; from the confirm on, ads may exist whatever happens next."""
        previewed = pages.open_preview()
        if previewed is not None and previewed != result.submitted:
            result.notes.append(f"the preview listed {previewed} ads for {result.submitted}")
        # Durable before the click: a kill from here on leaves the submission to reconcile.
        self.journal.write(entry)
        result.journaled = entry
        result.confirmed = True
        try:
            status = pages.confirm()
        except PlaywrightError as exc:  # the ads may exist all the same: the count decides
            result.notes.append(f"creating the ads did not answer: {_first_line(exc)}")
            return
        if status >= 400:
            result.notes.append(f"creating the ads answered HTTP {status}; the count decides")

    def _apply(
        self, pages: AdSettingsPage, result: JobResult, pending: MassCreateEntry | None = None
    ) -> None:
        job = result.job
        pages.open(job.campaign_id)
        # The platform checks the file while the ads table loads: both take seconds. Resuming
        # an interrupted submission needs the ads first, to know what file to give.
        given = pending is None
        if given:
            pages.choose_mass_csv()
            pages.give_csv(job.csv_file)
        pages.show_rows(100)
        names = pages.ad_names()
        before = len(names)
        source = job.csv_file
        if pending is not None:
            missing = reconcile(result, pending, names)
            result.submitted = len(missing)
            if not missing:
                result.journaled = pending
                result.status = JobStatus.SUCCESS
                result.ads_created = result.submitted = len(result.already)
                return
            source = remaining_csv(self.records_dir, self.run_id, job, missing)
            pages.choose_mass_csv()
        submitted = self._submit(pages, result, source, given=given)
        entry = journal_entry(result, self.run_id, submitted, names, pending)
        self._create(pages, result, entry)
        # A fresh load shows the table as the platform holds it, on every form of the page;
        # its "of N entries" counts every ad whatever the page length.
        pages.open(job.campaign_id)
        after = pages.count_ads()
        created, wanted = after - before, result.submitted
        result.ads_created = created + len(result.already)
        result.submitted = wanted + len(result.already)
        if created == wanted:
            result.status = JobStatus.SUCCESS
        else:
            result.status = JobStatus.COUNT_MISMATCH
            result.error = (
                f"submitted {wanted} ads but the ads table went from "
                f"{before} to {after} ({created:+d}); check the campaign"
            )

    def _apply_safely(self, run: BrowserRun, pages: AdSettingsPage, result: JobResult) -> None:
        pending = self.unsettled.get(
            records.checkpoint_key(result.job.campaign_id, result.job.csv_file)
        )
        try:
            self._apply(pages, result, pending)
        except AuthRequiredError:
            raise
        except _Refused as exc:
            result.status, result.error = JobStatus.FAILED, str(exc)
        except (CreativeFlowError, PlaywrightError) as exc:
            saved = run.capture_failure(f"campaign-{result.job.campaign_id}")
            where = f" (saved: {', '.join(map(str, saved))})" if saved else ""
            result.status, result.error = JobStatus.FAILED, _first_line(exc) + where
            if result.confirmed:
                _unverified(result, _first_line(exc) + where)

    def _run_live(self, pending: list[tuple[CampaignJob, ValidationReport]]) -> None:
        run: BrowserRun | None = None
        try:
            with browser_run(self.settings, PLATFORM, self.run_id) as run:
                self._run_pages(run, pending)
        finally:
            if run is not None and run.trace_path is not None and run.trace_path.exists():
                self.trace_path = run.trace_path

    def _run_pages(
        self, run: BrowserRun, pending: list[tuple[CampaignJob, ValidationReport]]
    ) -> None:
        """Every pending job in the run's one page."""
        assert run.page is not None
        pages = AdSettingsPage(run.page, self.settings.tj_app_url, self.settings.timeout_ms)
        for job, report in pending:
            result = JobResult(job, JobStatus.FAILED, submitted=report.ads)
            try:
                self._apply_safely(run, pages, result)
            except AuthRequiredError as exc:
                if result.confirmed:  # ads may exist: a rerun must not submit them again
                    _unverified(result, str(exc))
                    self._record(result)
                else:
                    result.error = str(exc)
                    self._record(result, checkpoint=False)  # a rerun after login redoes it
                raise
            self._record(result)

    def run(self, jobs: list[CampaignJob]) -> list[JobResult]:
        """Every job, in order; live jobs share one browser. Returns all results."""
        pending: list[tuple[CampaignJob, ValidationReport]] = []
        for job in jobs:
            done, report = self._offline(job)
            if done is not None:
                # Offline outcomes are not checkpointed: the next run checks the file again.
                self._record(done, checkpoint=False)
            elif report is not None:
                pending.append((job, report))
        if pending:
            records.append_invalid(self.records_dir, self.run_id, [])  # the file, even if empty
            self._run_live(pending)
        if self.live:
            self.journal.remove_if_settled()
        return self.results


def _messages(issues: list[CsvIssue]) -> list[str]:
    """The distinct sentences of a list of issues, in order."""
    return list(dict.fromkeys(i.message for i in issues))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _unverified(result: JobResult, reason: str) -> None:
    """After confirm, a failure leaves the ads unknown: the next run reconciles, never resubmits."""
    result.status = JobStatus.COUNT_MISMATCH
    result.unverified = True
    result.error = (
        f"confirmed {result.submitted} ad(s) but could not count the ads afterwards ({reason}); "
        "run the same command again: it reads the campaign's ads and submits only those missing"
    )


class _Refused(Exception):
    """The page refused the file for reasons cleaning cannot fix."""
