"""A batch of sources: identify, plan, convert in parallel, commit one source at a time.

The results it reports (`Outcome`, `ItemResult`, `BatchReport`) are defined in
`creatives.results` and importable from here too.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from creatives.commit import commit, recover
from creatives.errors import MediaError
from creatives.naming import NameFields, NameKind, build_name, unique_id
from creatives.plan import Plan, ProcessOptions, make_plan, taken_ids
from creatives.probe import MediaInfo, probe
from creatives.produce import Produced, produce
from creatives.results import (
    BatchReport,
    ItemResult,
    Outcome,
    ResultCallback,
    file_problem,
    reason_text,
    unreadable,
)
from creatives.sources import SourceFile, check_movable, sha256_file
from creatives.spec import PlatformSpecs
from tracking import folder_defaults, inventory
from tracking.csvstore import Row
from tracking.errors import RecordsError
from tracking.schemas import PLATFORM_PREFIXES, platform_columns
from tracking.workspace import Workspace

log = logging.getLogger(__name__)


Identified = tuple[str, MediaInfo] | MediaError


@dataclass
class Planned:
    """The plans of a batch; `waiting` maps each leading source to the sources of the same
    content that wait on it (by index)."""

    plans: dict[int, Plan] = field(default_factory=dict)
    waiting: dict[int, list[int]] = field(default_factory=dict)


def source_folder_key(source: SourceFile, inbox: Path) -> str:
    """The folder_defaults.csv key of a source's folder: where it (or its link) lies in the
    inbox; a source outside the inbox keys by its folder's absolute path."""
    if source.inside:
        return folder_defaults.folder_key(source.relative.parent.as_posix(), inbox)
    return folder_defaults.folder_key(source.path.resolve().parent, inbox)


def defaults_fields(entry: folder_defaults.FolderDefaults | None) -> NameFields | None:
    """A folder_defaults.csv row as name fields."""
    if entry is None:
        return None
    return NameFields(
        language=entry.language,
        category=entry.category_name,
        model_sex=entry.model_sex,
        style=entry.style,
        rating=entry.content_type,
        description=entry.creative_description,
        creator=entry.creator_name,
        test_id=entry.test_id,
    )


class Pipeline:
    """Turns sources into one platform's creatives, recording each in the inventory."""

    def __init__(self, ws: Workspace, specs: PlatformSpecs, options: ProcessOptions) -> None:
        self.ws = ws
        self.options = options
        self.specs = (
            specs.with_native_seconds(options.native_seconds)
            if options.native_seconds is not None
            else specs
        )
        self.jobs = max(1, options.jobs or os.cpu_count() or 1)
        # ffmpeg picks its own thread count; capping it per job measured slower on two cores.
        self.threads = 0
        # At most `jobs` conversions run at once; one extra worker measures a finished source
        # (ffprobe, the still's compression) while the next one converts.
        self.encode_slots = threading.BoundedSemaphore(self.jobs)
        # Probing and hashing sources is mostly waiting on ffprobe to start: more at once.
        self.identify_workers = max(self.jobs, 4)

    def run(
        self, sources: list[SourceFile], on_result: ResultCallback | None = None
    ) -> BatchReport:
        """Process `sources`; every one ends processed, skipped or failed (planned in a dry run)."""
        recovered = [] if self.options.dry_run else recover(self.ws.ensure())
        # Recovery may have finished moving a source of this batch into originals/.
        sources = [s for s in sources if s.path.exists() or s.path.is_symlink()]
        results: dict[int, ItemResult] = {}

        def done(index: int, result: ItemResult) -> None:
            results[index] = result
            if on_result is not None:
                on_result(result)

        pool = ThreadPoolExecutor(max_workers=self.jobs + 1, thread_name_prefix="process")
        try:
            with ThreadPoolExecutor(self.identify_workers, thread_name_prefix="probe") as probes:
                # In order, each as soon as it is probed: the first source converts while the
                # others are still being probed and hashed.
                identified = probes.map(self._identify, sources)
                rows = inventory.load(self.ws.inventory_csv)
                planned = Planned()
                converting: dict[Future[list[Produced]], int] = {}
                for index in self._plan_each(sources, identified, done, rows, planned):
                    if not self.options.dry_run:
                        converting[self._submit(pool, planned.plans[index])] = index
            if self.options.dry_run:
                self._plan_only(planned, done)
            else:
                self._convert_all(pool, planned, converting, rows, done)
        finally:
            # On Ctrl-C, drop the queued conversions instead of running the whole batch first;
            # what the running ones leave is a temporary file the next run removes.
            pool.shutdown(wait=True, cancel_futures=True)
        return BatchReport([results[i] for i in sorted(results)], recovered)

    def _submit(self, pool: ThreadPoolExecutor, plan: Plan) -> Future[list[Produced]]:
        """Queue the conversion of one planned source."""
        return pool.submit(
            produce, plan, self.specs, self.ws.processed, self.threads, self.encode_slots
        )

    def _identify(self, source: SourceFile) -> Identified:
        try:
            check_movable(source.path)
            info = probe(source.path)
            return sha256_file(source.path), info
        except MediaError as exc:
            return exc
        except OSError as exc:
            return unreadable(source.path, exc)

    def _plan_all(
        self,
        sources: list[SourceFile],
        identified: Iterable[Identified],
        done: Callable[[int, ItemResult], None],
    ) -> Planned:
        """The plans of every source against the inventory as it is now."""
        planned = Planned()
        rows = inventory.load(self.ws.inventory_csv)
        for _ in self._plan_each(sources, identified, done, rows, planned):
            pass
        return planned

    def _plan_each(
        self,
        sources: list[SourceFile],
        identified: Iterable[Identified],
        done: Callable[[int, ItemResult], None],
        rows: list[Row],
        planned: Planned,
    ) -> Iterator[int]:
        """Plan each source into `planned` as it is identified; yields each source that goes
        first for its content (the others of the same content wait on it)."""
        by_hash: dict[str, list[Row]] = {}
        for row in rows:
            by_hash.setdefault(row.get("content_sha256", "").lower(), []).append(row)
        taken = taken_ids(rows)
        table = folder_defaults.load(self.ws.folder_defaults_csv, self.ws.inbox)
        leaders: dict[str, int] = {}  # content hash -> the source of this batch that goes first
        for index, (source, ident) in enumerate(zip(sources, identified, strict=True)):
            shown = self.shown(source)
            if isinstance(ident, MediaError):
                done(index, ItemResult(shown, Outcome.FAILED, reason_text(ident, source)))
                continue
            digest, info = ident
            earlier = by_hash.get(digest, [])
            verdict = self._repeat_verdict(shown, digest, earlier)
            if verdict is not None:
                done(index, verdict)
                continue
            try:
                plan = self._plan_one(source, digest, info, taken, table)
            except MediaError as exc:
                done(index, ItemResult(shown, Outcome.FAILED, reason_text(exc, source)))
                continue
            plan.replaces = [r["unique_id"] for r in earlier]
            taken[plan.id8] = digest.upper()
            planned.plans[index] = plan
            # Same content twice in one batch: the second waits; it goes only if the first fails.
            if digest in leaders:
                planned.waiting[leaders[digest]].append(index)
            else:
                leaders[digest] = index
                planned.waiting[index] = []
                yield index

    def _plan_one(
        self,
        source: SourceFile,
        digest: str,
        info: MediaInfo,
        taken: dict[str, str],
        table: dict[str, folder_defaults.FolderDefaults],
    ) -> Plan:
        key = source_folder_key(source, self.ws.inbox)
        defaults = defaults_fields(folder_defaults.lookup(table, key))
        return make_plan(
            source, digest, info, specs=self.specs, options=self.options, taken=taken,
            folder_defaults=defaults,
        )  # fmt: skip

    def _repeat_verdict(self, shown: str, digest: str, earlier: list[Row]) -> ItemResult | None:
        """Skip (or refuse) content already recorded; None when the source is to be processed."""
        if not earlier:
            return None
        ids = [r["unique_id"] for r in earlier]
        if not self.options.force:
            reason = f"already processed as {', '.join(ids)} (use --force to redo)"
            return ItemResult(shown, Outcome.SKIPPED, reason, unique_ids=ids)
        uploaded = [
            f"{r['unique_id']} on {platform}"
            for r in earlier
            for platform in PLATFORM_PREFIXES
            if r.get(platform_columns(platform)[0])
        ]
        if uploaded:
            reason = (
                f"already uploaded ({', '.join(uploaded)}); --force would orphan the platform's "
                "creative ID: remove those inventory rows first to redo it"
            )
            return ItemResult(shown, Outcome.FAILED, reason, unique_ids=ids)
        return None

    def _convert_all(
        self,
        pool: ThreadPoolExecutor,
        planned: Planned,
        pending: dict[Future[list[Produced]], int],
        rows: list[Row],
        done: Callable[[int, ItemResult], None],
    ) -> None:
        """Commit every leading source as its conversion (`pending`) ends; a source with the
        same content as one that failed takes its place, one that follows a success is
        skipped."""
        plans = planned.plans
        old = {row["unique_id"]: row for row in rows}
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index = pending.pop(future)
                result = self._commit_one(future, plans[index], old)
                done(index, result)
                queue = planned.waiting.pop(index, [])
                if result.outcome is Outcome.FAILED and queue:
                    planned.waiting[queue[0]] = queue[1:]
                    pending[self._submit(pool, plans[queue[0]])] = queue[0]
                    continue
                for follower in queue:
                    reason = f"same content as {result.source} in this batch"
                    done(follower, ItemResult(self.shown(plans[follower].source), Outcome.SKIPPED,
                                              reason, unique_ids=result.unique_ids))  # fmt: skip

    def _commit_one(
        self, future: Future[list[Produced]], plan: Plan, old: dict[str, Row]
    ) -> ItemResult:
        shown = self.shown(plan.source)
        try:
            produced = future.result()
            replaced = [old[uid] for uid in plan.replaces if uid in old]
            rows = commit(self.ws, plan, produced, replaced, datetime.now())
        except (MediaError, RecordsError) as exc:
            return ItemResult(shown, Outcome.FAILED, reason_text(exc, plan.source))
        except OSError as exc:
            log.debug("file system failure on %s", shown, exc_info=True)
            return ItemResult(shown, Outcome.FAILED, reason_text(file_problem(exc), plan.source))
        except Exception as exc:
            log.debug("unexpected failure on %s", shown, exc_info=True)
            reason = (
                f"unexpected error: {type(exc).__name__}: {exc}; run again with --verbose and "
                "report the output"
            )
            return ItemResult(shown, Outcome.FAILED, reason)
        return self._processed(shown, plan, rows)

    def _processed(self, shown: str, plan: Plan, rows: list[dict[str, str]]) -> ItemResult:
        return ItemResult(
            shown,
            Outcome.PROCESSED,
            unique_ids=[r["unique_id"] for r in rows],
            outputs=[r["new_filename"] for r in rows],
            creative_types=[r["creative_type"] for r in rows],
            notes=[n for n in dict.fromkeys(n for r in rows for n in r["notes"].split("; ")) if n],
        )

    def _plan_only(self, planned: Planned, done: Callable[[int, ItemResult], None]) -> None:
        """--dry-run: what each leading source would become; the sources that follow it skip."""
        for leader, followers in planned.waiting.items():
            result = self._planned(planned.plans[leader])
            done(leader, result)
            for follower in followers:
                reason = f"same content as {result.source} in this batch"
                source = self.shown(planned.plans[follower].source)
                done(follower, ItemResult(source, Outcome.SKIPPED, reason))

    def _planned(self, plan: Plan) -> ItemResult:
        names, ids = [], []
        for out in plan.outputs:
            seconds: int | None = None
            if out.name_kind is NameKind.NATIVE_VIDEO:
                seconds = round(min(plan.info.duration, self.specs.native.clip_seconds))
            elif plan.info.is_video and out.name_kind is NameKind.PLAIN:
                seconds = round(plan.info.duration)
            names.append(
                build_name(plan.fields, plan.id8, out.ext, kind=out.name_kind, seconds=seconds)
            )
            ids.append(unique_id(plan.id8, out.name_kind))
        return ItemResult(
            self.shown(plan.source),
            Outcome.PLANNED,
            unique_ids=ids,
            outputs=names,
            creative_types=[str(o.creative_type) for o in plan.outputs],
            notes=plan.notes,
        )

    def shown(self, source: SourceFile) -> str:
        """How a source is named in messages: its path under the workspace when it is inside."""
        try:
            return source.path.resolve().relative_to(self.ws.root.resolve()).as_posix()
        except ValueError:
            return str(source.path)
