"""What the sandbox accepts in each tab, judged from the uploaded bytes (never from the name)."""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from automation.sandbox.tabs import Tab
from creatives import ffmpeg
from creatives.errors import MediaError

NATIVE_SIZE = (640, 360)
NATIVE_IMAGE_MAX_BYTES = 300_000  # decimal, as the platform counts
MAX_BYTES = {"image": 10_000_000, "video": 200_000_000}
IN_STREAM_SECONDS = (5.0, 31.0)
SHORT_VIDEO_MAX_SECONDS = 23.0
PIL_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF"}


class UploadRejected(Exception):
    """A file the platform refuses; the message is what the dropzone preview shows."""


@dataclass(frozen=True)
class Measured:
    """What the sandbox measured in an uploaded file."""

    kind: str  # "image" or "video"
    width: int
    height: int
    duration_s: float | None = None

    @property
    def dimensions(self) -> str:
        return f"{self.width}x{self.height}"


def measure_image(data: bytes, extension: str) -> Measured:
    """Width and height with Pillow; the content must really be the format its extension says."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError):
        raise UploadRejected("The file could not be read as an image.") from None
    if fmt != PIL_FORMATS.get(extension):
        raise UploadRejected(
            f"The file's content ({fmt}) does not match its extension {extension}."
        )
    return Measured("image", width, height)


def _display_size(stream: dict[str, Any]) -> tuple[int, int]:
    width, height = int(stream.get("width") or 0), int(stream.get("height") or 0)
    rotation = stream.get("tags", {}).get("rotate")
    for side in stream.get("side_data_list", []):
        rotation = side.get("rotation", rotation)
    if rotation is not None and abs(int(float(rotation))) % 180 == 90:
        return height, width
    return width, height


def measure_video(data: bytes) -> Measured:
    """Display size and duration with ffprobe; the file must hold a video stream in MP4."""
    with tempfile.TemporaryDirectory(prefix="tj-upload-") as folder:
        path = Path(folder) / "upload.mp4"
        path.write_bytes(data)
        try:
            info = ffmpeg.probe_json(path)
        except MediaError:
            raise UploadRejected("The file could not be read as a video.") from None
    streams = [s for s in info.get("streams", []) if s.get("codec_type") == "video"]
    format_name = str(info.get("format", {}).get("format_name", ""))
    if not streams or "mp4" not in format_name:
        raise UploadRejected("The file is not an MP4 video.")
    width, height = _display_size(streams[0])
    duration = info.get("format", {}).get("duration") or streams[0].get("duration")
    return Measured("video", width, height, round(float(duration), 3) if duration else None)


def _check_place_rules(place: Tab, measured: Measured, size: int) -> None:
    if place.tab == "native" and (measured.width, measured.height) != NATIVE_SIZE:
        raise UploadRejected(
            f"Native creatives must be 640x360; this file is {measured.dimensions}."
        )
    if place.key == "native_static" and size > NATIVE_IMAGE_MAX_BYTES:
        raise UploadRejected(
            f"File is too big ({size:,} bytes). Native images may be at most "
            f"{NATIVE_IMAGE_MAX_BYTES:,} bytes."
        )
    seconds = measured.duration_s or 0.0
    low, high = IN_STREAM_SECONDS
    if place.key == "in_stream_video" and not low <= seconds <= high:
        raise UploadRejected(
            f"In-Stream videos must be {low:g} to {high:g} seconds long; "
            f"this one is {seconds:.1f} s."
        )
    if place.key == "short_video" and (
        measured.width * 16 != measured.height * 9 or seconds >= SHORT_VIDEO_MAX_SECONDS
    ):
        raise UploadRejected("Short videos must be 9:16 and shorter than 23 seconds.")


def check_upload(place: Tab, filename: str, data: bytes, reject_name: str | None) -> Measured:
    """Measure an upload for `place`; UploadRejected (with the preview's message) when refused."""
    path = Path(filename)
    if reject_name and reject_name in (path.name, path.stem):
        raise UploadRejected(f"{path.name} was rejected by the platform.")
    extension = path.suffix.lower()
    if extension not in place.extensions:
        allowed = ", ".join(place.extensions)
        raise UploadRejected(
            f"You can't upload files of this type to {place.label} (use {allowed})."
        )
    if not data:
        raise UploadRejected("The file is empty.")
    if len(data) > MAX_BYTES[place.creative_type]:
        raise UploadRejected(f"File is too big ({len(data):,} bytes).")
    if place.creative_type == "image":
        measured = measure_image(data, extension)
    else:
        measured = measure_video(data)
    _check_place_rules(place, measured, len(data))
    return measured
