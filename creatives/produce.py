"""Writing one source's outputs to temporary files and measuring them (runs in worker threads)."""

from __future__ import annotations

import os
import secrets
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from creatives.classify import CreativeType
from creatives.convert import write_banner, write_image, write_video
from creatives.errors import MediaError
from creatives.naming import build_name
from creatives.native import encode_native_pair, native_image_from_frames, native_image_from_still
from creatives.plan import Plan, PlannedOutput
from creatives.probe import MediaInfo, probe
from creatives.spec import PlatformSpecs

TEMP_PREFIX = ".tmp-"


@dataclass
class Produced:
    """An output written to `temp` (in processed/), measured, with the name it will get."""

    planned: PlannedOutput
    temp: Path
    new_filename: str
    info: MediaInfo
    notes: list[str] = field(default_factory=list)


def temp_path(folder: Path, ext: str) -> Path:
    """A fresh temporary name in `folder`; the pid in it tells a later run whose file it is."""
    return folder / f"{TEMP_PREFIX}{os.getpid()}-{secrets.token_hex(4)}.{ext}"


def produce(
    plan: Plan,
    specs: PlatformSpecs,
    folder: Path,
    threads: int = 0,
    encode_slots: threading.Semaphore | None = None,
) -> list[Produced]:
    """Write and measure every output of `plan`; on failure nothing is left behind.

    `encode_slots` bounds how many ffmpeg conversions run at once across worker threads; the
    light steps (measuring, the still from shared frames) run outside it, so a worker can
    measure one source while another converts the next.
    """
    made: list[Produced] = []
    shared: dict[str, tuple[bytes, float]] = {}  # the clip's frames for the pair's still
    try:
        for planned in plan.outputs:
            slot: AbstractContextManager[object] = nullcontext()
            if encode_slots is not None and not _is_light(plan, planned, shared):
                slot = encode_slots
            made.append(_produce_one(plan, planned, specs, folder, threads, shared, slot))
    except Exception:
        for item in made:
            item.temp.unlink(missing_ok=True)
        raise
    return made


def _produce_one(
    plan: Plan,
    planned: PlannedOutput,
    specs: PlatformSpecs,
    folder: Path,
    threads: int,
    shared: dict[str, tuple[bytes, float]],
    slot: AbstractContextManager[object],
) -> Produced:
    temp = temp_path(folder, planned.ext)
    try:
        with slot:
            notes = _write(plan, planned, temp, specs, threads, shared)
        measured = probe(temp)
        verify(measured, planned, specs, subject=plan.source.path)
    except Exception:
        temp.unlink(missing_ok=True)
        raise
    seconds = round(measured.duration) if measured.is_video else None
    name = build_name(plan.fields, plan.id8, planned.ext, kind=planned.name_kind, seconds=seconds)
    return Produced(planned, temp, name, measured, notes)


def _is_light(plan: Plan, planned: PlannedOutput, shared: dict[str, tuple[bytes, float]]) -> bool:
    """A native still cut from frames the pair's clip already decoded: no ffmpeg run."""
    return planned.creative_type is CreativeType.NATIVE_IMAGE and "frames" in shared


def _write(
    plan: Plan,
    planned: PlannedOutput,
    out: Path,
    specs: PlatformSpecs,
    threads: int,
    shared: dict[str, tuple[bytes, float]],
) -> list[str]:
    info = plan.info
    kind = planned.creative_type
    if kind is CreativeType.NATIVE_VIDEO:
        # One decode gives the clip and the thumbnail candidates of the pair's still.
        frames, start = encode_native_pair(info, out, specs.native, threads)
        shared["frames"] = (frames, start)
        return [f"clip from {round(start, 2):g} s (black opening skipped)"] if start else []
    if kind is CreativeType.NATIVE_IMAGE:
        if not info.is_video:
            data, notes = native_image_from_still(info, specs.native)
        else:
            frames, start = shared["frames"]  # left by the pair's clip, which is planned first
            data, notes = native_image_from_frames(info, frames, specs.native, start)
        out.write_bytes(data)
        return notes
    if kind is CreativeType.BANNER:
        assert planned.banner is not None
        return write_banner(info, out, planned.banner, specs)
    if kind is CreativeType.IMAGE:
        return write_image(info, out, specs)
    return write_video(info, out, specs, threads)


def verify(
    measured: MediaInfo, planned: PlannedOutput, specs: PlatformSpecs, *, subject: Path
) -> None:
    """Check a produced file against the spec it was made for; MediaError when it is off."""
    problems: list[str] = []
    native = specs.native
    is_native = planned.creative_type in (CreativeType.NATIVE_VIDEO, CreativeType.NATIVE_IMAGE)
    if is_native and (measured.width, measured.height) != (native.size.width, native.size.height):
        problems.append(f"size {measured.width}x{measured.height}, not {native.size}")
    if planned.creative_type is CreativeType.NATIVE_IMAGE:
        if measured.format != "png":
            problems.append(f"format {measured.format}, not png")
        if measured.size_bytes > native.image_max_bytes:
            problems.append(f"{measured.size_bytes} bytes, over {native.image_max_bytes}")
    if measured.is_video and measured.video_codec not in specs.video_codecs:
        problems.append(f"codec {measured.video_codec}, not {' or '.join(specs.video_codecs)}")
    if measured.is_video and measured.pixel_format not in specs.pixel_formats:
        problems.append(f"pixel format {measured.pixel_format}")
    if planned.banner is not None and (measured.width, measured.height) != (
        planned.banner.width,
        planned.banner.height,
    ):
        problems.append(f"size {measured.width}x{measured.height}, not {planned.banner}")
    if problems:
        raise MediaError(
            f"{subject}: output off spec ({', '.join(problems)}); nothing was recorded: export "
            "the source again as MP4 (H.264) or PNG/JPEG and run again"
        )
