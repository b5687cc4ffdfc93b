"""What a media file is: ffprobe's JSON (or Pillow, for stills) as one typed record."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from creatives import ffmpeg
from creatives.errors import MediaError
from creatives.mp4_header import Mp4Header, read_header

log = logging.getLogger(__name__)

# What each extension promises: a video container family or a still format (Pillow's name).
VIDEO_EXTENSIONS = {".mp4": "mp4", ".m4v": "mp4", ".mov": "mp4", ".webm": "matroska",
                    ".mkv": "matroska", ".avi": "avi"}  # fmt: skip
IMAGE_EXTENSIONS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
# Pillow's format names -> the extension a file of that format gets (MPO: a phone's JPEG).
EXIF_ORIENTATION = 0x0112
IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "MPO": "jpg", "GIF": "gif", "WEBP": "webp"}
# The still formats a source may be (Pillow opens MPO through its JPEG reader).
READ_FORMATS = ["PNG", "JPEG", "GIF", "WEBP"]
# How a kind of content is named in messages, and the extension it should carry.
KIND_NAMES = {
    "PNG": ("a PNG image", ".png"), "JPEG": ("a JPEG image", ".jpg"),
    "GIF": ("a GIF image", ".gif"), "WEBP": ("a WebP image", ".webp"),
    "mp4": ("an MP4/QuickTime video", ".mp4"), "matroska": ("a WebM/Matroska video", ".mkv"),
    "avi": ("an AVI video", ".avi"),
}  # fmt: skip


@dataclass(frozen=True)
class MediaInfo:
    """A probed file. `width`/`height` are as displayed: rotation is already applied.

    `duration` is 0 for stills; `rotation` is the display rotation in degrees (0, 90, 180, 270);
    `format` is the container (`mp4`, `mov`, `png`, ...), read from the content; `size_bytes` the
    file's size. For videos, `video_profile`, `pixel_format` and `video_level` are ffprobe's
    (`High`, `yuv420p`, 40 for level 4.0); for stills `pixel_format` is Pillow's mode (`RGB`,
    `CMYK`, `I;16`, ...).
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
    video_profile: str = ""
    pixel_format: str = ""
    video_level: int = 0

    @property
    def has_audio(self) -> bool:
        return bool(self.audio_codec)

    @property
    def portrait(self) -> bool:
        return self.height > self.width


def is_supported(path: Path) -> bool:
    """Whether the extension is one of the video or image types the pipeline reads."""
    return path.suffix.lower() in VIDEO_EXTENSIONS.keys() | IMAGE_EXTENSIONS.keys()


def probe(path: Path) -> MediaInfo:
    """Probe a source by its content; MediaError names the file, what is wrong and what to do.

    The extension must agree with the content: a PNG named `.mp4` is refused (renamed, it
    is processed as the image it is), never turned into a one-frame video.
    """
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        if not is_supported(path):
            raise _unsupported(path, suffix)
        raise MediaError(f"{path}: empty file (0 bytes); copy it again")
    still = image_kind(path)
    if still is not None:
        if IMAGE_EXTENSIONS.get(suffix) != ("JPEG" if still == "MPO" else still):
            raise _misnamed(path, suffix, still)
        return probe_image(path)
    if suffix in IMAGE_EXTENSIONS:
        family = _video_family_or_none(path)
        if family is not None:
            raise _misnamed(path, suffix, family)
        return probe_image(path)  # raises: not a readable image
    if suffix not in VIDEO_EXTENSIONS:
        family = _video_family_or_none(path)
        raise _misnamed(path, suffix, family) if family else _unsupported(path, suffix)
    if VIDEO_EXTENSIONS[suffix] == "mp4":
        # A plain MP4's header says what ffprobe would, without a process (tens of ms of CPU).
        header = read_header(path)
        if header is not None:
            return header_info(path, header)
    data = ffmpeg.probe_json(path)
    family = video_family(data)
    if family is not None and family != VIDEO_EXTENSIONS[suffix]:
        raise _misnamed(path, suffix, family)
    if _is_still_format(data):
        kind = str(data["format"]["format_name"]).split(",")[0].removesuffix("_pipe").upper()
        raise MediaError(
            f"{path}: is a {kind} still image named {suffix}: save it as .png or .jpg instead"
        )
    return video_info(path, data)


def _is_still_format(data: dict[str, Any]) -> bool:
    """ffprobe read the file as a single picture (its image demuxers), not as a video."""
    names = str(data.get("format", {}).get("format_name", "")).split(",")
    return any(n.endswith("_pipe") or n == "image2" for n in names)


def image_kind(path: Path) -> str | None:
    """Pillow's format name when the bytes are a still the pipeline reads, else None."""
    try:
        with path.open("rb") as handle:
            prefix = handle.read(16)
    except OSError:
        return None
    if not _may_be_still(prefix):
        return None  # no format's signature: Pillow would refuse it too, after loading them all
    try:
        with Image.open(path, formats=READ_FORMATS) as image:
            return image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None


def _may_be_still(prefix: bytes) -> bool:
    """Whether `prefix` opens like one of READ_FORMATS (the signatures Pillow accepts them by)."""
    return prefix.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        prefix[:4] == b"RIFF" and prefix[8:12] == b"WEBP"
    )


def video_family(data: dict[str, Any]) -> str | None:
    """The container family ffprobe found (`mp4`, `matroska`, `avi`), or None for others."""
    names = set(str(data.get("format", {}).get("format_name", "")).split(","))
    for family, marks in (("mp4", {"mov", "mp4"}), ("matroska", {"matroska", "webm"})):
        if names & marks:
            return family
    return "avi" if "avi" in names else None


def _video_family_or_none(path: Path) -> str | None:
    try:
        return video_family(ffmpeg.probe_json(path))
    except MediaError:
        return None


def _misnamed(path: Path, suffix: str, kind: str) -> MediaError:
    what, ext = KIND_NAMES[kind]
    named = suffix or "without an extension"
    return MediaError(f"{path}: is {what} named {named}: rename it to {path.stem}{ext}")


def _unsupported(path: Path, suffix: str) -> MediaError:
    known = " ".join(sorted(VIDEO_EXTENSIONS.keys() | IMAGE_EXTENSIONS.keys()))
    return MediaError(
        f"{path}: unsupported file type '{suffix or path.name}'; use a video or an image ({known})"
    )


def probe_video(path: Path) -> MediaInfo:
    """Probe a video with ffprobe; rotation metadata is honoured."""
    return video_info(path, ffmpeg.probe_json(path))


def video_info(path: Path, data: dict[str, Any]) -> MediaInfo:
    """A video's MediaInfo from ffprobe's JSON."""
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
        video_profile=str(video.get("profile", "")),
        pixel_format=str(video.get("pix_fmt", "")),
        video_level=int(_float(video.get("level"))),
    )


def header_info(path: Path, header: Mp4Header) -> MediaInfo:
    """A plain MP4's MediaInfo from its own header (the fields ffprobe's JSON gives)."""
    width, height = header.width, header.height
    if header.rotation in (90, 270):
        width, height = height, width
    return MediaInfo(
        path=path,
        is_video=True,
        width=width,
        height=height,
        duration=header.duration,
        rotation=header.rotation,
        video_codec=header.video_codec,
        audio_codec=header.audio_codec,
        fps=header.fps,
        format="mov" if header.brand == "qt" else "mp4",
        size_bytes=path.stat().st_size,
        video_profile=header.profile,
        pixel_format=header.pixel_format,
        video_level=header.level,
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
            mode = image.mode
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
        pixel_format=mode,
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
    """`mp4` or `mov` for the ISO family by the file's brand (not its name), else ffprobe's."""
    fmt = data.get("format", {})
    names = str(fmt.get("format_name", ""))
    if video_family(data) == "mp4":
        brand = str(fmt.get("tags", {}).get("major_brand", "")).strip().lower()
        return "mov" if brand == "qt" else "mp4"
    return names.split(",")[0] or path.suffix.lower().lstrip(".")


def _reason(exc: BaseException) -> str:
    text = str(exc).split("\n")[0]
    return text[:120] if text else type(exc).__name__
