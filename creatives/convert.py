"""Non-native outputs: videos kept or re-encoded to the platform's format, stills and banners."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from PIL import Image, ImageOps

from creatives import ffmpeg
from creatives.compress import encode_within
from creatives.errors import MediaError
from creatives.pixels import odd_pixels, plain_pixels
from creatives.probe import MediaInfo
from creatives.spec import PlatformSpecs, Size


def video_is_compatible(info: MediaInfo, specs: PlatformSpecs) -> bool:
    """Whether the source can be used as it is: the whole stream is what the platform takes."""
    return not incompatibilities(info, specs)


def incompatibilities(info: MediaInfo, specs: PlatformSpecs) -> list[str]:
    """What keeps a video from being used as it is (container, codecs, profile, pixels, level,
    rotation); empty when it can be copied byte for byte."""
    checks = [
        (info.format == specs.video_format, f"container {info.format}"),
        (info.video_codec in specs.video_codecs, f"codec {info.video_codec}"),
        (info.video_profile in specs.video_profiles, f"profile {info.video_profile or 'unknown'}"),
        (info.pixel_format in specs.pixel_formats, f"pixel format {info.pixel_format}"),
        (0 < info.video_level <= specs.max_video_level, f"level {info.video_level / 10:g}"),
        (info.rotation == 0, f"rotated {info.rotation}"),
        (not info.has_audio or info.audio_codec in specs.audio_codecs, f"audio {info.audio_codec}"),
    ]
    return [problem for ok, problem in checks if not ok]


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
    problems = incompatibilities(info, specs)
    if not problems:
        shutil.copyfile(info.path, out)
        return []
    ffmpeg.run_ffmpeg(transcode_args(info, out, threads), subject=info.path)
    return [f"re-encoded to MP4 H.264 yuv420p ({', '.join(problems)})"]


def _open_plain(path: Path, *, alpha: bool) -> Image.Image:
    with Image.open(path) as opened:
        return plain_pixels(opened, alpha=alpha)


def still_format(info: MediaInfo, specs: PlatformSpecs) -> str:
    """The format a still is written in: its own when the platform takes it, else PNG."""
    return info.format if info.format in specs.image_formats else "png"


def write_image(info: MediaInfo, out: Path, specs: PlatformSpecs) -> list[str]:
    """A still as it is when the platform takes it, else converted/compressed to fit.

    CMYK, 16-bit and palette-with-transparency pictures are converted to plain 8-bit RGB(A)
    even when the format would do: browsers show them wrongly or not at all.
    """
    fmt = still_format(info, specs)
    limit = specs.byte_limit(fmt)
    with Image.open(info.path) as opened:
        odd = odd_pixels(opened, info.path, fmt)
    if fmt == info.format and not odd and (limit is None or info.size_bytes <= limit):
        shutil.copyfile(info.path, out)
        return []
    image = _open_plain(info.path, alpha=fmt == "png")
    data, note = encode_within(image, fmt, limit, subject=str(info.path))
    out.write_bytes(data)
    notes = [f"converted from {info.format} to {fmt}"] if fmt != info.format else []
    notes += [f"converted {odd} to 8-bit RGB"] if odd else []
    return [*notes, *([note] if note else [])]


def write_banner(info: MediaInfo, out: Path, size: Size, specs: PlatformSpecs) -> list[str]:
    """A still cropped to the banner's shape and scaled to its exact size, within limits."""
    fmt = still_format(info, specs)
    with Image.open(info.path) as opened:
        if getattr(opened, "n_frames", 1) > 1:
            raise MediaError(
                f"{info.path}: animated images cannot be resized to a banner; use a still "
                "(png or jpg), or process it without --banner-size"
            )
        odd = odd_pixels(opened, info.path, fmt)
        image = plain_pixels(opened, alpha=fmt == "png")
    fitted = ImageOps.fit(image, (size.width, size.height), Image.Resampling.LANCZOS)
    data, note = encode_within(fitted, fmt, specs.byte_limit(fmt), subject=str(info.path))
    out.write_bytes(data)
    notes = [f"banner {size} from {info.width}x{info.height}"]
    notes += [f"converted {odd} to 8-bit RGB"] if odd else []
    return [*notes, *([note] if note else [])]


def image_size(data: bytes) -> tuple[int, int]:
    """Pixel size of encoded still bytes."""
    with Image.open(io.BytesIO(data)) as image:
        return image.size
