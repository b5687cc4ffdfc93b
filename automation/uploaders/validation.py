"""Offline checks of a creative file against a platform's specs, before any browser opens.

The file itself is measured (Pillow for stills, ffprobe for videos, or a plain MP4's own header
where no duration is judged): names and inventory values can be stale, the platform measures the
bytes it receives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from creatives import ffmpeg
from creatives.errors import MediaError
from creatives.mp4_header import read_header, read_streams
from creatives.spec import PlatformSpecs, Size

VIDEO_SUFFIXES = frozenset({".mp4"})
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}
# Aspect ratios are compared with this tolerance: encoders round odd sizes to even pixels.
ASPECT_TOLERANCE = 0.02
NATIVE_VIDEO = "native_video"
# The native pair's types: both halves are held to the native size.
NATIVE_TYPES = frozenset({NATIVE_VIDEO, "native_image"})


@dataclass(frozen=True)
class Measured:
    """What a file really is: its format, size in pixels, duration, codecs and bytes."""

    file_format: str
    size: Size
    duration_s: float = 0.0
    video_codec: str = ""
    audio_codec: str = ""
    bytes: int = 0


def measure(path: Path) -> Measured:
    """Measure a still or a video; MediaError when the file is unreadable."""
    size_bytes = path.stat().st_size
    if path.suffix.lower() in VIDEO_SUFFIXES:
        return _measure_video(path, size_bytes)
    try:
        with Image.open(path) as image:
            fmt = IMAGE_FORMATS.get(image.format or "", (image.format or "").lower())
            return Measured(fmt, Size(*image.size), bytes=size_bytes)
    except (UnidentifiedImageError, OSError) as exc:
        raise MediaError(f"{path}: not a readable image ({exc})") from None


def _measure_video(path: Path, size_bytes: int) -> Measured:
    data = ffmpeg.probe_json(path)
    streams = data.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None:
        raise MediaError(f"{path}: no video stream")
    audio: dict[str, Any] = next((s for s in streams if s.get("codec_type") == "audio"), {})
    duration = float(data.get("format", {}).get("duration") or video.get("duration") or 0)
    return Measured(
        "mp4",
        Size(int(video.get("width", 0)), int(video.get("height", 0))),
        duration_s=duration,
        video_codec=str(video.get("codec_name", "")),
        audio_codec=str(audio.get("codec_name", "")),
        bytes=size_bytes,
    )


def _aspect_matches(size: Size, ratio: str) -> bool:
    w, h = (int(p) for p in ratio.split(":"))
    return abs(size.width / size.height - w / h) <= ASPECT_TOLERANCE * (w / h)


def _video_problem(m: Measured, specs: PlatformSpecs) -> str | None:
    if m.file_format != specs.video_format:
        return f"is {m.file_format}, the platform takes {specs.video_format} videos"
    if m.video_codec not in specs.video_codecs:
        return f"video codec {m.video_codec or 'unknown'} is not {'/'.join(specs.video_codecs)}"
    if m.audio_codec and m.audio_codec not in specs.audio_codecs:
        return f"audio codec {m.audio_codec} is not {'/'.join(specs.audio_codecs)}"
    return None


def _native_problem(m: Measured, creative_type: str, specs: PlatformSpecs) -> str | None:
    if m.size != specs.native.size:
        return f"is {m.size}, native creatives must be {specs.native.size}"
    if creative_type == "native_image":
        if m.file_format != "png":
            return f"is {m.file_format}, native images must be PNG"
        if m.bytes > specs.native.image_max_bytes:
            return f"is {m.bytes:,} bytes, over the {specs.native.image_max_bytes:,}-byte limit"
    return None


def _preroll_problem(m: Measured, specs: PlatformSpecs) -> str | None:
    low, high = specs.preroll.min_seconds, specs.preroll.max_seconds
    if not low <= m.duration_s <= high:
        return f"lasts {m.duration_s:.1f} s, in-stream videos must last {low:g} to {high:g} s"
    if not any(_aspect_matches(m.size, r) for r in specs.preroll.aspect_ratios):
        return f"is {m.size}, in-stream videos must be {' or '.join(specs.preroll.aspect_ratios)}"
    return None


def _short_video_problem(m: Measured, specs: PlatformSpecs) -> str | None:
    rule = specs.short_video
    if not _aspect_matches(m.size, rule.aspect_ratio) or m.duration_s >= rule.under_seconds:
        return f"short videos must be {rule.aspect_ratio} and under {rule.under_seconds:g} s"
    return None


# The duration rules, by the creative type they apply to.
_TIMING_RULES: dict[str, Callable[[Measured, PlatformSpecs], str | None]] = {
    "preroll": _preroll_problem,
    "short_video": _short_video_problem,
}
# Types whose spec has a duration rule: measured by ffprobe unless the full header reader
# vouches for the file.
TIMED_TYPES = frozenset(_TIMING_RULES)
# Types whose file is a video: the timed ones, plain videos and the native pair's video half.
VIDEO_TYPES = TIMED_TYPES | {"video", NATIVE_VIDEO}


def _timing_problem(m: Measured, creative_type: str, specs: PlatformSpecs) -> str | None:
    rule = _TIMING_RULES.get(creative_type)
    return rule(m, specs) if rule else None


def _image_problem(m: Measured, specs: PlatformSpecs) -> str | None:
    if m.file_format not in specs.image_formats:
        return (
            f"is {m.file_format or 'unknown'}, the platform takes {', '.join(specs.image_formats)}"
        )
    if specs.banner_sizes and m.size not in specs.banner_sizes:
        sizes = ", ".join(str(s) for s in specs.banner_sizes)
        return f"is {m.size}, banners must be one of {sizes}"
    limit = specs.byte_limit(m.file_format)
    if limit is not None and m.bytes > limit:
        return f"is {m.bytes:,} bytes, over the {limit:,}-byte limit for {m.file_format}"
    return None


def _from_header(path: Path, creative_type: str) -> Measured | None:
    """A plain MP4 measured from its own header (no process); None when the header reader
    cannot vouch for it. Its duration is the one ffprobe gives (the movie header's), read only
    from a file the full reader takes; the streams-only reader serves spec types without a
    duration rule."""
    if path.suffix.lower() not in VIDEO_SUFFIXES:
        return None
    header = read_header(path)
    if header is not None:
        size = Size(header.width, header.height)
        return Measured("mp4", size, header.duration, header.video_codec, header.audio_codec,
                        path.stat().st_size)  # fmt: skip
    streams = read_streams(path) if creative_type not in TIMED_TYPES else None
    if streams is None:
        return None
    size = Size(streams.width, streams.height)
    return Measured("mp4", size, 0.0, streams.video_codec, streams.audio_codec, path.stat().st_size)


def spec_problem(path: Path, creative_type: str, specs: PlatformSpecs) -> str | None:
    """Why `path` would be refused as a `creative_type` creative, or None when it passes.

    A plain MP4 that passes on its header's word needs no ffprobe process (most of a plan's
    time); a refusal is always made on ffprobe's measurement.
    """
    quick = _from_header(path, creative_type)
    if quick is not None and _problem(quick, creative_type, specs) is None:
        return None
    try:
        m = measure(path)
    except (MediaError, OSError) as exc:
        return str(exc).removeprefix(f"{path}: ")
    return _problem(m, creative_type, specs)


def _problem(m: Measured, creative_type: str, specs: PlatformSpecs) -> str | None:
    """Why a file measured as `m` would be refused as a `creative_type` creative, or None."""
    is_video = creative_type in VIDEO_TYPES
    if is_video != (m.file_format == specs.video_format):
        return f"is {m.file_format}, expected {'a video' if is_video else 'an image'}"
    if creative_type in NATIVE_TYPES:
        problem = _native_problem(m, creative_type, specs)
        return problem or (_video_problem(m, specs) if is_video else None)
    if is_video:
        return _video_problem(m, specs) or _timing_problem(m, creative_type, specs)
    return _image_problem(m, specs)
