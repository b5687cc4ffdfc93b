"""The ExoClick sandbox's own checks of uploaded files, measured from the bytes (Pillow, ffprobe).

The sandbox is an independent stand-in: these rules are written from the platform's published
limits, not imported from the tool's specs, so a mistake in the tool's specs shows up as a
rejection.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from automation.sandbox.exo_store import FileMeta
from creatives import ffmpeg
from creatives.errors import MediaError

FILE_TYPES = ("image", "video", "video_banner")
# Display banner sizes the platform serves (width, height); a banner must match one exactly.
BANNER_SIZES = frozenset(
    {
        (300, 250), (300, 100), (300, 500), (315, 300), (250, 250), (468, 60), (728, 90),
        (160, 600), (120, 600), (900, 250), (950, 250), (970, 90), (320, 50), (320, 100),
        (640, 360),
    }
)  # fmt: skip
DISPLAY_MAX_BYTES = 150_000
IMAGE_FORMATS = {"GIF": "gif", "PNG": "png", "JPEG": "jpg"}  # format -> file_extension


class Rejected(Exception):
    """An upload the platform refuses; the message is what its API says."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sizes_text() -> str:
    return ", ".join(f"{w}x{h}" for w, h in sorted(BANNER_SIZES))


def _check_banner(width: int, height: int, size: int) -> None:
    if (width, height) not in BANNER_SIZES:
        raise Rejected(f"{width}x{height} is not a banner size; allowed sizes: {_sizes_text()}")
    if size > DISPLAY_MAX_BYTES:
        raise Rejected(
            f"file is {size:,} bytes; display banners must be at most {DISPLAY_MAX_BYTES:,} bytes"
        )


def _measure_image(data: bytes) -> FileMeta:
    try:
        with Image.open(io.BytesIO(data)) as img:
            fmt, (width, height) = img.format or "", img.size
    except (UnidentifiedImageError, OSError):
        raise Rejected("file is not a readable image (gif, png or jpg)") from None
    if fmt not in IMAGE_FORMATS:
        raise Rejected(f"image format {fmt or 'unknown'} is not accepted; use gif, png or jpg")
    _check_banner(width, height, len(data))
    return FileMeta(len(data), width, height, None, IMAGE_FORMATS[fmt], _sha256(data))


def _probe(data: bytes, suffix: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="exo-sandbox-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        path.write_bytes(data)
        try:
            return ffmpeg.probe_json(path)
        except MediaError:
            raise Rejected("file is not a readable video") from None


def _streams(info: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [s for s in info.get("streams", []) if s.get("codec_type") == kind]


def _measure_video(data: bytes, suffix: str, *, banner: bool) -> FileMeta:
    info = _probe(data, suffix)
    if "mp4" not in str(info.get("format", {}).get("format_name", "")):
        raise Rejected("video must be an MP4 file")
    video = [s for s in _streams(info, "video") if s.get("codec_name") != "mjpeg"]
    if not video:
        raise Rejected("file has no video stream")
    if video[0].get("codec_name") != "h264":
        raise Rejected(f"video codec {video[0].get('codec_name')} is not accepted; use H.264")
    audio = _streams(info, "audio")
    if not banner and any(s.get("codec_name") != "aac" for s in audio):
        raise Rejected(f"audio codec {audio[0].get('codec_name')} is not accepted; use AAC")
    width, height = int(video[0].get("width", 0)), int(video[0].get("height", 0))
    if banner:
        _check_banner(width, height, len(data))
    duration = float(info.get("format", {}).get("duration") or 0.0)
    return FileMeta(len(data), width, height, round(duration, 3), "mp4", _sha256(data))


def measure(data: bytes, filename: str, file_type: str) -> FileMeta:
    """Measure an upload and apply the rules of its library type; Rejected says why not."""
    if not data:
        raise Rejected("file is empty")
    if file_type == "image":
        return _measure_image(data)
    if file_type in ("video", "video_banner"):
        return _measure_video(data, Path(filename).suffix, banner=file_type == "video_banner")
    raise Rejected(f"type {file_type!r} is not one of {', '.join(FILE_TYPES)}")
