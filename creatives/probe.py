"""What a media file is: ffprobe's JSON (or Pillow, for stills) as one typed record."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from creatives import ffmpeg
from creatives.errors import MediaError

log = logging.getLogger(__name__)

VIDEO_EXTENSIONS = frozenset({".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi"})
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
# Pillow's format names -> the extension a file of that format gets.
EXIF_ORIENTATION = 0x0112
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp"}


@dataclass(frozen=True)
class MediaInfo:
    """A probed file. `width`/`height` are as displayed: rotation is already applied.

    `duration` is 0 for stills; `rotation` is the display rotation in degrees (0, 90, 180, 270);
    `format` is the container (`mp4`, `png`, ...); `size_bytes` the file's size.
    """

    path: Path
    is_video: bool
    width: int
    height: int
    duration: float = 0.0
    rotation: int = 0
    video_codec: str = ""
    audio_codec: str = ""
    fps: float = 0.0
    format: str = ""
    size_bytes: int = 0

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_codec)

    @property
    def portrait(self) -> bool:
        return self.height > self.width


def is_supported(path: Path) -> bool:
    """Whether the extension is one of the video or image types the pipeline reads."""
    return path.suffix.lower() in VIDEO_EXTENSIONS | IMAGE_EXTENSIONS


def probe(path: Path) -> MediaInfo:
    """Probe a source by its extension; MediaError names the file and what is wrong."""
    suffix = path.suffix.lower()
    if suffix not in VIDEO_EXTENSIONS | IMAGE_EXTENSIONS:
        known = " ".join(sorted(VIDEO_EXTENSIONS | IMAGE_EXTENSIONS))
        raise MediaError(f"{path}: unsupported file type '{suffix or path.name}' (use {known})")
    if path.stat().st_size == 0:
        raise MediaError(f"{path}: empty file (0 bytes); copy it again")
    return probe_image(path) if suffix in IMAGE_EXTENSIONS else probe_video(path)


def probe_video(path: Path) -> MediaInfo:
    """Probe a video with ffprobe; rotation metadata is honoured."""
    data = ffmpeg.probe_json(path)
    streams = data.get("streams", [])
    video = next((s for s in streams if _is_picture(s)), None)
    if video is None:
        raise MediaError(
            f"{path}: no video stream in this file (sound only?); use a video or an image"
        )
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    rotation = _rotation(video)
    width, height = int(video.get("width") or 0), int(video.get("height") or 0)
    if rotation in (90, 270):
        width, height = height, width
    # The container's duration covers every stream (what players and platforms show).
    duration = _float(data.get("format", {}).get("duration")) or _float(video.get("duration"))
    if width <= 0 or height <= 0:
        raise MediaError(
            f"{path}: the video stream has no picture size; the file is damaged: copy it again"
        )
    return MediaInfo(
        path=path,
        is_video=True,
        width=width,
        height=height,
        duration=duration,
        rotation=rotation,
        video_codec=str(video.get("codec_name", "")),
        audio_codec=str(audio.get("codec_name", "")) if audio else "",
        fps=_rate(video.get("avg_frame_rate") or video.get("r_frame_rate")),
        format=_container(path, data),
        size_bytes=path.stat().st_size,
    )


def probe_image(path: Path) -> MediaInfo:
    """Probe a still with Pillow (the library that will read it)."""
    try:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            width, height = image.size
            # EXIF orientations 5-8 are quarter turns: the picture shows the other way round.
            if image.getexif().get(EXIF_ORIENTATION, 1) in (5, 6, 7, 8):
                width, height = height, width
            fmt = IMAGE_FORMATS.get(image.format or "", (image.format or "").lower())
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise MediaError(
            f"{path}: not a readable image ({_reason(exc)}); export or copy it again"
        ) from None
    return MediaInfo(
        path=path,
        is_video=False,
        width=width,
        height=height,
        format=fmt,
        size_bytes=path.stat().st_size,
    )


def _is_picture(stream: dict[str, Any]) -> bool:
    # Cover art in an audio file is a "video" stream too; it is not a video.
    attached = stream.get("disposition", {}).get("attached_pic") == 1
    return stream.get("codec_type") == "video" and not attached


def _rotation(stream: dict[str, Any]) -> int:
    """Display rotation in degrees, from the display matrix or the old `rotate` tag."""
    value: Any = stream.get("tags", {}).get("rotate")
    for side in stream.get("side_data_list", []) or []:
        if "rotation" in side:
            value = side["rotation"]
    try:
        return round(float(value or 0)) % 360
    except (TypeError, ValueError):
        return 0


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _rate(text: Any) -> float:
    num, _, den = str(text or "0").partition("/")
    try:
        return float(num) / float(den or 1) if float(den or 1) else 0.0
    except ValueError:
        return 0.0


def _container(path: Path, data: dict[str, Any]) -> str:
    names = str(data.get("format", {}).get("format_name", ""))
    if "mp4" in names or "mov" in names:
        return "mp4" if path.suffix.lower() in (".mp4", ".m4v") else "mov"
    return names.split(",")[0] or path.suffix.lower().lstrip(".")


def _reason(exc: BaseException) -> str:
    text = str(exc).split("\n")[0]
    return text[:120] if text else type(exc).__name__
