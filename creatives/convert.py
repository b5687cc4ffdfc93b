"""Non-native outputs: videos kept or re-encoded to the platform's format, stills and banners."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from PIL import Image, ImageOps

from creatives import ffmpeg
from creatives.compress import encode_within
from creatives.errors import MediaError
from creatives.probe import MediaInfo
from creatives.spec import PlatformSpecs, Size


def video_is_compatible(info: MediaInfo, specs: PlatformSpecs) -> bool:
    """Whether the source can be used as it is (container and codecs the platform takes)."""
    audio_ok = not info.has_audio or info.audio_codec in specs.audio_codecs
    return (
        info.format == specs.video_format
        and info.video_codec in specs.video_codecs
        and audio_ok
        and info.rotation == 0
    )


def transcode_args(info: MediaInfo, out: Path, threads: int = 0) -> list[str]:
    """ffmpeg arguments for an upright MP4 H.264/AAC copy of the whole source."""
    args = ["-i", str(info.path), "-map", "0:v:0", "-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2"]
    args += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p"]
    if threads:
        args += ["-threads", str(threads)]
    if info.has_audio:
        args += ["-map", "0:a:0", "-c:a", "aac", "-b:a", "128k"]
    else:
        args += ["-an"]
    return [*args, "-sn", "-dn", "-movflags", "+faststart", "-f", "mp4", str(out)]


def write_video(info: MediaInfo, out: Path, specs: PlatformSpecs, threads: int = 0) -> list[str]:
    """The source as the platform's video format: copied when it already is, else re-encoded."""
    if video_is_compatible(info, specs):
        shutil.copyfile(info.path, out)
        return []
    ffmpeg.run_ffmpeg(transcode_args(info, out, threads), subject=info.path)
    return [f"re-encoded from {info.format}/{info.video_codec} to MP4 H.264"]


def _open_upright(path: Path) -> Image.Image:
    with Image.open(path) as opened:
        return ImageOps.exif_transpose(opened).copy()


def still_format(info: MediaInfo, specs: PlatformSpecs) -> str:
    """The format a still is written in: its own when the platform takes it, else PNG."""
    return info.format if info.format in specs.image_formats else "png"


def write_image(info: MediaInfo, out: Path, specs: PlatformSpecs) -> list[str]:
    """A still as it is when the platform takes it, else converted/compressed to fit."""
    fmt = still_format(info, specs)
    limit = specs.byte_limit(fmt)
    if fmt == info.format and (limit is None or info.size_bytes <= limit):
        shutil.copyfile(info.path, out)
        return []
    data, note = encode_within(_open_upright(info.path), fmt, limit, subject=str(info.path))
    out.write_bytes(data)
    notes = [f"converted from {info.format} to {fmt}"] if fmt != info.format else []
    return [*notes, *([note] if note else [])]


def write_banner(info: MediaInfo, out: Path, size: Size, specs: PlatformSpecs) -> list[str]:
    """A still cropped to the banner's shape and scaled to its exact size, within limits."""
    fmt = still_format(info, specs)
    with Image.open(info.path) as opened:
        if getattr(opened, "n_frames", 1) > 1:
            raise MediaError(f"{info.path}: animated images cannot be resized to a banner")
        image = ImageOps.exif_transpose(opened).copy()
    fitted = ImageOps.fit(image, (size.width, size.height), Image.Resampling.LANCZOS)
    data, note = encode_within(fitted, fmt, specs.byte_limit(fmt), subject=str(info.path))
    out.write_bytes(data)
    return [f"banner {size} from {info.width}x{info.height}", *([note] if note else [])]


def image_size(data: bytes) -> tuple[int, int]:
    """Pixel size of encoded still bytes."""
    with Image.open(io.BytesIO(data)) as image:
        return image.size
