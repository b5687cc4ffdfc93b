"""Process jobs: one source each, converted on whichever worker takes it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from celery import shared_task

from automation.queue.app import task_name
from automation.queue.tracked import TrackedTask
from creatives.naming import NameFields
from creatives.plan import BannerChoice, ProcessOptions
from creatives.results import Outcome
from creatives.runlock import process_lock
from creatives.sources import source_file
from creatives.spec import Size
from tracking.workspace import Workspace

PROCESS_SOURCE = task_name("process", "source")


def options_to_json(options: ProcessOptions) -> dict[str, Any]:
    """A batch's options as a job carries them (one conversion at a time per job)."""
    banner = options.banner
    return {
        "native": options.native,
        "native_seconds": options.native_seconds,
        "banner": None if banner is None else str(banner),
        "force": options.force,
        "metadata": asdict(options.metadata),
    }


def options_from_json(data: dict[str, Any]) -> ProcessOptions:
    banner: BannerChoice = data["banner"]
    if banner not in (None, "auto"):
        banner = Size.parse(str(banner))
    return ProcessOptions(
        native=bool(data["native"]),
        native_seconds=data["native_seconds"],
        banner=banner,
        force=bool(data["force"]),
        jobs=1,
        metadata=NameFields(**data["metadata"]),
    )


def source_arg(ws: Workspace, path: Path) -> str:
    """How a job names its source: relative to the workspace (machines may mount it elsewhere)."""
    try:
        return path.absolute().relative_to(ws.root.absolute()).as_posix()
    except ValueError:
        return str(path.absolute())


@shared_task(bind=True, base=TrackedTask, name=PROCESS_SOURCE)
def process_source(
    self: TrackedTask, source: str, platform: str, options: dict[str, Any], queued_at: str
) -> dict[str, Any]:
    """Probe, name, convert and record one source of the workspace."""
    from automation.commands.process import platform_specs
    from creatives.pipeline import Pipeline
    from creatives.single import process_one, recorded_since

    ws = Workspace(self.settings.workspace)
    path = ws.root / source
    pipeline = Pipeline(ws, platform_specs(platform), options_from_json(options))
    lock = partial(process_lock, ws.root, command=f"worker: process {source}")
    result = process_one(pipeline, source_file(path, ws.inbox), lock)
    if result.outcome is Outcome.SKIPPED and not (path.exists() or path.is_symlink()):
        relative = source_file(path, ws.inbox).relative
        earlier = recorded_since(ws, relative, datetime.fromisoformat(queued_at))
        result = earlier or result
    return result.as_dict()
