"""A batch of sources: identify, plan, convert in parallel, commit one source at a time."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum

from creatives.commit import commit, recover
from creatives.errors import MediaError
from creatives.naming import NameFields, NameKind, build_name, unique_id
from creatives.plan import Plan, ProcessOptions, make_plan, taken_ids
from creatives.probe import MediaInfo, probe
from creatives.produce import produce
from creatives.sources import SourceFile, sha256_file
from creatives.spec import PlatformSpecs
from tracking import folder_defaults, inventory
from tracking.csvstore import Row
from tracking.errors import RecordsError
from tracking.schemas import PLATFORM_PREFIXES, platform_columns
from tracking.workspace import Workspace

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What happened to one source."""

    PROCESSED = "processed"
    SKIPPED = "skipped"
    FAILED = "failed"
    PLANNED = "planned"  # --dry-run: what would be produced


@dataclass
class ItemResult:
    """One source's result: its outputs (new file names) or the reason it was skipped/failed."""

    source: str
    outcome: Outcome
    reason: str = ""
    unique_ids: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    creative_types: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "outcome": str(self.outcome)}


@dataclass
class BatchReport:
    """Every source's result, in the order the sources were given, and what recovery did."""

    items: list[ItemResult]
    recovered: list[str] = field(default_factory=list)

    def of(self, outcome: Outcome) -> list[ItemResult]:
        return [item for item in self.items if item.outcome is outcome]

    def type_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.items:
            if item.outcome in (Outcome.PROCESSED, Outcome.PLANNED):
                for kind in item.creative_types:
                    counts[kind] = counts.get(kind, 0) + 1
        return counts


ResultCallback = Callable[[ItemResult], None]
Identified = tuple[str, MediaInfo] | MediaError


def reason_text(exc: BaseException, source: SourceFile) -> str:
    """An error's message without the source's path (the report names the source itself)."""
    text = str(exc)
    for prefix in (f"{source.path}: ", f"{source.path.resolve()}: "):
        text = text.replace(prefix, "")
    return text.replace(str(source.path), source.path.name)


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
        sources = [s for s in sources if s.path.exists()]
        results: dict[int, ItemResult] = {}

        def done(index: int, result: ItemResult) -> None:
            results[index] = result
            if on_result is not None:
                on_result(result)

        pool = ThreadPoolExecutor(max_workers=self.jobs + 1, thread_name_prefix="process")
        try:
            with ThreadPoolExecutor(self.identify_workers, thread_name_prefix="probe") as probes:
                identified = list(probes.map(self._identify, sources))
            plans = self._plan_all(sources, identified, done)
            if self.options.dry_run:
                for index, plan in plans.items():
                    done(index, self._planned(plan))
            else:
                self._convert_all(pool, plans, done)
        finally:
            # On Ctrl-C, drop the queued conversions instead of running the whole batch first;
            # what the running ones leave is a temporary file the next run removes.
            pool.shutdown(wait=True, cancel_futures=True)
        return BatchReport([results[i] for i in sorted(results)], recovered)

    def _identify(self, source: SourceFile) -> Identified:
        try:
            info = probe(source.path)
            return sha256_file(source.path), info
        except MediaError as exc:
            return exc
        except OSError as exc:
            return MediaError(f"{source.path}: cannot read ({exc.strerror or exc})")

    def _plan_all(
        self,
        sources: list[SourceFile],
        identified: list[Identified],
        done: Callable[[int, ItemResult], None],
    ) -> dict[int, Plan]:
        rows = inventory.load(self.ws.inventory_csv)
        by_hash: dict[str, list[Row]] = {}
        for row in rows:
            by_hash.setdefault(row.get("content_sha256", "").lower(), []).append(row)
        taken = taken_ids(rows)
        table = folder_defaults.load(self.ws.folder_defaults_csv, self.ws.inbox)
        seen: dict[str, str] = {}
        plans: dict[int, Plan] = {}
        for index, (source, ident) in enumerate(zip(sources, identified, strict=True)):
            shown = self.shown(source)
            if isinstance(ident, MediaError):
                done(index, ItemResult(shown, Outcome.FAILED, reason_text(ident, source)))
                continue
            digest, info = ident
            earlier = by_hash.get(digest, [])
            verdict = self._repeat_verdict(shown, digest, earlier, seen)
            if verdict is not None:
                done(index, verdict)
                continue
            seen[digest] = shown
            # Resolved: a relative workspace (the default ./workspace) must key like the CSV does.
            key = folder_defaults.folder_key(source.path.resolve().parent, self.ws.inbox)
            defaults = defaults_fields(folder_defaults.lookup(table, key))
            plan = make_plan(
                source, digest, info, specs=self.specs, options=self.options, taken=taken,
                folder_defaults=defaults,
            )  # fmt: skip
            plan.replaces = [r["unique_id"] for r in earlier]
            taken[plan.id8] = digest.upper()
            plans[index] = plan
        return plans

    def _repeat_verdict(
        self, shown: str, digest: str, earlier: list[Row], seen: dict[str, str]
    ) -> ItemResult | None:
        """Skip (or refuse) content seen before; None when the source is to be processed."""
        if digest in seen:
            reason = f"same content as {seen[digest]} in this batch"
            return ItemResult(shown, Outcome.SKIPPED, reason)
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
        plans: dict[int, Plan],
        done: Callable[[int, ItemResult], None],
    ) -> None:
        futures: dict[Future[list], int] = {
            pool.submit(
                produce, plan, self.specs, self.ws.processed, self.threads, self.encode_slots
            ): index
            for index, plan in plans.items()
        }
        old = {row["unique_id"]: row for row in inventory.load(self.ws.inventory_csv)}
        for future in as_completed(futures):
            index = futures[future]
            plan = plans[index]
            shown = self.shown(plan.source)
            try:
                produced = future.result()
                replaced = [old[uid] for uid in plan.replaces if uid in old]
                rows = commit(self.ws, plan, produced, replaced, datetime.now())
            except (MediaError, RecordsError) as exc:
                done(index, ItemResult(shown, Outcome.FAILED, reason_text(exc, plan.source)))
                continue
            except Exception as exc:
                log.debug("unexpected failure on %s", shown, exc_info=True)
                reason = f"unexpected error: {type(exc).__name__}: {exc}"
                done(index, ItemResult(shown, Outcome.FAILED, reason))
                continue
            done(index, self._processed(shown, plan, rows))

    def _processed(self, shown: str, plan: Plan, rows: list[dict[str, str]]) -> ItemResult:
        return ItemResult(
            shown,
            Outcome.PROCESSED,
            unique_ids=[r["unique_id"] for r in rows],
            outputs=[r["new_filename"] for r in rows],
            creative_types=[r["creative_type"] for r in rows],
            notes=[n for n in dict.fromkeys(n for r in rows for n in r["notes"].split("; ")) if n],
        )

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
