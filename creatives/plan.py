"""Deciding what each source becomes: its ID, name fields, type and outputs (no media written)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from creatives.classify import CreativeType, classify_video
from creatives.errors import MediaError
from creatives.metadata import resolve
from creatives.naming import NameFields, NameKind, content_id
from creatives.native import too_short_for_native
from creatives.probe import MediaInfo
from creatives.sources import SourceFile
from creatives.spec import PlatformSpecs, Size

_ID_RE = re.compile(r"ID-([0-9A-F]{8})")

BannerChoice = Size | Literal["auto"] | None


@dataclass(frozen=True)
class ProcessOptions:
    """How a batch is processed (the `process` command's options).

    `banner` is a wanted banner size (snapped to the nearest the platform takes), "auto" for the
    size nearest each image's shape, or None to keep images as they are. `metadata` holds the
    fields given on the command line; `jobs` is the number of conversions at once.
    """

    native: bool = False
    native_seconds: float | None = None
    banner: BannerChoice = None
    force: bool = False
    dry_run: bool = False
    jobs: int = 1
    metadata: NameFields = field(default_factory=NameFields)


@dataclass(frozen=True)
class PlannedOutput:
    """One file a source will produce."""

    creative_type: CreativeType
    name_kind: NameKind
    ext: str
    banner: Size | None = None


@dataclass
class Plan:
    """Everything decided about one source before any media is written."""

    source: SourceFile
    sha256: str
    info: MediaInfo
    id8: str
    fields: NameFields
    outputs: list[PlannedOutput]
    notes: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)


def taken_ids(rows: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """8-hex ID -> content hash for every inventory row (for the collision rule)."""
    taken: dict[str, str] = {}
    for row in rows:
        match = _ID_RE.search(row.get("native_pair_id") or row.get("unique_id", ""))
        if match and row.get("content_sha256"):
            taken.setdefault(match[1], row["content_sha256"].upper())
    return taken


def outputs_for(
    info: MediaInfo, native: bool, specs: PlatformSpecs, banner: BannerChoice
) -> tuple[list[PlannedOutput], list[str]]:
    """The outputs of a source and notes about its classification."""
    if native and info.is_video:
        return [
            PlannedOutput(CreativeType.NATIVE_VIDEO, NameKind.NATIVE_VIDEO, "mp4"),
            PlannedOutput(CreativeType.NATIVE_IMAGE, NameKind.NATIVE_IMAGE, "png"),
        ], []
    if native:
        note = "native image only: a still has no video for the pair"
        return [PlannedOutput(CreativeType.NATIVE_IMAGE, NameKind.NATIVE_IMAGE, "png")], [note]
    if info.is_video:
        kind = classify_video(info, specs)
        planned = PlannedOutput(kind.creative_type, NameKind.PLAIN, specs.video_format)
        return [planned], [kind.note] if kind.note else []
    ext = info.format if info.format in specs.image_formats else "png"
    if banner is None:
        return [PlannedOutput(CreativeType.IMAGE, NameKind.PLAIN, ext)], []
    wanted = Size(info.width, info.height) if banner == "auto" else banner
    size = specs.nearest_banner(wanted)
    return [PlannedOutput(CreativeType.BANNER, NameKind.PLAIN, ext, size)], []


def short_for_native(
    source: SourceFile, info: MediaInfo, specs: PlatformSpecs, *, by_folder: bool
) -> MediaError:
    """The refusal of a video too short for a native clip (a clip is never stretched or looped:
    the platform's native rollover plays the first seconds of a video, of one length)."""
    other = "move it out of the native/ folder" if by_folder else "process it without --native"
    need = specs.native.clip_seconds
    return MediaError(
        f"{source.path}: is {info.duration:.1f} s long; a native clip needs {need:g} s: use a "
        f"video of at least {need:g} s, or {other}"
    )


def make_plan(
    source: SourceFile,
    sha256: str,
    info: MediaInfo,
    *,
    specs: PlatformSpecs,
    options: ProcessOptions,
    taken: Mapping[str, str],
    folder_defaults: NameFields | None,
) -> Plan:
    """The plan of one probed source (the ID respects IDs already `taken` by other content)."""
    native = options.native or source.under_native_folder
    if native and info.is_video and too_short_for_native(info, specs.native):
        raise short_for_native(source, info, specs, by_folder=not options.native)
    outputs, notes = outputs_for(info, native, specs, options.banner)
    resolved = resolve(source.relative, folder_defaults, options.metadata)
    return Plan(
        source=source,
        sha256=sha256,
        info=info,
        id8=content_id(sha256, taken),
        fields=resolved.fields,
        outputs=outputs,
        notes=[*resolved.notes, *notes],
    )
