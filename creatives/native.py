"""Native pairs: the 640x360 clip and the still cut from the same source."""

from __future__ import annotations

import logging
from pathlib import Path

from PIL import Image, ImageOps, ImageStat

from creatives import ffmpeg
from creatives.compress import png_within
from creatives.errors import MediaError
from creatives.pixels import plain_pixels
from creatives.probe import MediaInfo
from creatives.spec import NativeSpec, Size

log = logging.getLogger(__name__)

# A frame whose pixels vary less than this (0-255 standard deviation) is blank: black, a fade.
BLANK_STDDEV = 6.0
SCAN_FPS = 4


def centre_crop(width: int, height: int, target: Size) -> tuple[int, int]:
    """The largest even-sized box of the target's shape inside width x height."""
    if width * target.height > height * target.width:
        crop_w, crop_h = height * target.width // target.height, height
    else:
        crop_w, crop_h = width, width * target.height // target.width
    return max(2, crop_w - crop_w % 2), max(2, crop_h - crop_h % 2)


def frame_filter(info: MediaInfo, size: Size) -> str:
    """Centre-crop to the target's shape, scale to it, square pixels (on displayed frames)."""
    crop_w, crop_h = centre_crop(info.width, info.height, size)
    return f"crop={crop_w}:{crop_h},scale={size.width}:{size.height},setsar=1"


def native_pair_args(info: MediaInfo, out: Path, spec: NativeSpec, threads: int = 0) -> list[str]:
    """ffmpeg arguments that write the native clip to `out` and, from the same decode, print the
    first seconds' frames (cropped and scaled like the clip) as raw RGB on stdout.

    ffmpeg turns rotated sources upright before the filters, so the crop sees displayed frames.
    """
    scan = min(spec.thumbnail_scan_seconds, spec.clip_seconds)
    graph = (
        f"[0:v:0]{frame_filter(info, spec.size)},split=2[clip][scan];"
        f"[clip]format=yuv420p[v];[scan]trim=duration={scan:g},fps={SCAN_FPS},format=rgb24[t]"
    )
    args = ["-t", f"{spec.clip_seconds:g}", "-i", str(info.path), "-filter_complex", graph]
    args += ["-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23"]
    args += ["-pix_fmt", "yuv420p"]
    if threads:
        args += ["-threads", str(threads)]
    if info.has_audio:
        args += ["-map", "0:a:0", "-c:a", "aac", "-b:a", "128k", "-ac", "2"]
    args += ["-sn", "-dn", "-movflags", "+faststart", "-f", "mp4", str(out)]
    return [*args, "-map", "[t]", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]


def encode_native_pair(info: MediaInfo, out: Path, spec: NativeSpec, threads: int = 0) -> bytes:
    """Write the native clip of `info` to `out` (MP4); returns the thumbnail candidates."""
    return ffmpeg.ffmpeg_output(native_pair_args(info, out, spec, threads), subject=info.path)


def pick_frame(raw: bytes, size: Size) -> tuple[Image.Image, str]:
    """The first frame that is not near-uniform, else the most varied one (with a note)."""
    frame_bytes = size.width * size.height * 3
    frames = [raw[i : i + frame_bytes] for i in range(0, len(raw) - frame_bytes + 1, frame_bytes)]
    if not frames:
        raise ValueError("no frames decoded")
    best: tuple[float, Image.Image] | None = None
    for index, data in enumerate(frames):
        image = Image.frombytes("RGB", (size.width, size.height), data)
        spread = sum(ImageStat.Stat(image).stddev) / 3
        if spread >= BLANK_STDDEV:
            return image, f"thumbnail from {index / SCAN_FPS:g} s" if index else ""
        if best is None or spread > best[0]:
            best = (spread, image)
    assert best is not None
    return best[1], "the first seconds are blank; thumbnail is the least blank frame"


def native_image_from_frames(
    info: MediaInfo, raw: bytes, spec: NativeSpec
) -> tuple[bytes, list[str]]:
    """PNG bytes of the native still, picked from the clip's thumbnail candidates and fitted
    under the spec's byte limit; notes say which frame and what was reduced."""
    try:
        image, note = pick_frame(raw, spec.size)
    except ValueError:
        raise MediaError(f"{info.path}: no picture could be decoded from the video") from None
    data, fit = png_within(image, spec.image_max_bytes, subject=str(info.path))
    return data, [n for n in (note, fit) if n]


def native_image_from_still(info: MediaInfo, spec: NativeSpec) -> tuple[bytes, list[str]]:
    """PNG bytes of the native still of an image source (centre-cropped, scaled, compressed)."""
    with Image.open(info.path) as opened:
        image = plain_pixels(opened, alpha=False)
    fitted = ImageOps.fit(image, (spec.size.width, spec.size.height), Image.Resampling.LANCZOS)
    data, fit = png_within(fitted, spec.image_max_bytes, subject=str(info.path))
    return data, [fit] if fit else []
