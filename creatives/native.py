"""Native pairs: the 640x360 clip and the still cut from the same source."""

from __future__ import annotations

import logging
import re
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
# ffmpeg's blackdetect: a frame is black when 98 % of its pixels are darker than 10 % grey;
# d=0 reports every black run, however short. Measured on a small copy: it is only luminance.
BLACK_FILTER = "scale=160:-2,blackdetect=d=0:pix_th=0.10:pic_th=0.98"
BLACK_RE = re.compile(r"black_start:\s*([0-9.]+)\s+black_end:\s*([0-9.]+)")
# How far past a clip's length black is looked for: openings longer than this are not fades.
BLACK_SCAN_EXTRA_S = 10.0
# A source this much shorter than the clip still makes it (container vs stream rounding).
SHORT_TOLERANCE_S = 0.1

Span = tuple[float, float]


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


def black_spans(info: MediaInfo, seconds: float) -> list[Span]:
    """The black stretches (start, end) in the first `seconds` of a video, by ffmpeg's
    blackdetect."""
    args = ["-t", f"{seconds:g}", "-i", str(info.path), "-map", "0:v:0", "-vf", BLACK_FILTER]
    log_text = ffmpeg.ffmpeg_log([*args, "-an", "-sn", "-dn", "-f", "null", "-"], subject=info.path)
    return [(float(a), float(b)) for a, b in BLACK_RE.findall(log_text)]


def clip_start(duration: float, clip: float, black: list[Span], frame: float = 0.04) -> float:
    """Where the native clip starts: after any black opening, and where neither its first nor
    its last frame is black, when the source is long enough to allow it.

    Candidates are the source's start, the end of each black stretch, and the starts that end
    the clip just before a black stretch; the earliest whose both ends show picture wins, else
    the earliest whose start shows picture, else the latest possible (the least black).
    """
    latest = max(0.0, duration - clip)

    def is_black(t: float) -> bool:
        return any(start <= t < end for start, end in black)

    candidates = sorted({0.0, *(end for _, end in black), *(start - clip for start, _ in black)})
    fits = [c for c in candidates if 0.0 <= c <= latest]
    both = [c for c in fits if not is_black(c) and not is_black(c + clip - frame)]
    if both:
        return both[0]
    opening = [c for c in fits if not is_black(c)]
    return opening[0] if opening else latest


def native_window(info: MediaInfo, spec: NativeSpec) -> float:
    """The second of the source the native clip starts at (black openings skipped)."""
    if info.duration <= 0:
        return 0.0
    scan = min(info.duration, spec.clip_seconds + BLACK_SCAN_EXTRA_S)
    frame = 1 / info.fps if info.fps > 0 else 0.04
    start = clip_start(info.duration, spec.clip_seconds, black_spans(info, scan), frame)
    if start:
        log.debug("%s: native clip starts at %.2f s (black opening)", info.path, start)
    return start


def too_short_for_native(info: MediaInfo, spec: NativeSpec) -> bool:
    """Whether a video is shorter than a native clip (it is refused, not stretched or looped)."""
    return info.duration < spec.clip_seconds - SHORT_TOLERANCE_S


def native_pair_args(
    info: MediaInfo,
    out: Path,
    spec: NativeSpec,
    threads: int = 0,
    start: float = 0.0,
    *,
    watch_black: bool = False,
) -> list[str]:
    """ffmpeg arguments that write the native clip (from `start`) to `out` and, from the same
    decode, print the window's first seconds' frames (cropped and scaled like the clip) as raw
    RGB on stdout; with `watch_black`, the same decode also runs `blackdetect` on the whole
    frames (as `black_spans` does), which reports to the log.

    ffmpeg turns rotated sources upright before the filters, so the crop sees displayed frames.
    """
    scan = min(spec.thumbnail_scan_seconds, spec.clip_seconds)
    source = "[0:v:0]"
    if watch_black:
        source = f"[0:v:0]split=2[src][look];[look]{BLACK_FILTER},nullsink;[src]"
    graph = (
        f"{source}{frame_filter(info, spec.size)},split=2[clip][scan];"
        f"[clip]format=yuv420p[v];[scan]trim=duration={scan:g},fps={SCAN_FPS},format=rgb24[t]"
    )
    args = ["-ss", f"{start:.3f}"] if start else []
    args += ["-t", f"{spec.clip_seconds:g}", "-i", str(info.path), "-filter_complex", graph]
    args += ["-map", "[v]", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23"]
    args += ["-pix_fmt", "yuv420p"]
    if threads:
        args += ["-threads", str(threads)]
    if info.has_audio:
        args += ["-map", "0:a:0", "-c:a", "aac", "-b:a", "128k", "-ac", "2"]
    args += ["-sn", "-dn", "-movflags", "+faststart", "-f", "mp4", str(out)]
    return [*args, "-map", "[t]", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]


def encode_native_pair(
    info: MediaInfo, out: Path, spec: NativeSpec, threads: int = 0
) -> tuple[bytes, float]:
    """Write the native clip of `info` to `out` (MP4); returns the thumbnail candidates and the
    second of the source the clip starts at.

    The clip is cut from the start while the same decode watches its window for black: when
    no frame of the window is black, the start is where `clip_start` would put it anyway, and
    the source is decoded once. Else the black is scanned further, as before, and the clip is
    cut again when it must start later.
    """
    args = native_pair_args(info, out, spec, threads, watch_black=True)
    frames, log_text = ffmpeg.ffmpeg_output_and_log(args, subject=info.path)
    if not BLACK_RE.search(log_text):
        return frames, 0.0
    start = native_window(info, spec)
    if not start:
        return frames, 0.0
    args = native_pair_args(info, out, spec, threads, start)
    return ffmpeg.ffmpeg_output(args, subject=info.path), start


def pick_frame(raw: bytes, size: Size) -> tuple[Image.Image, int | None]:
    """The first frame that is not near-uniform and its index, else the most varied one (None)."""
    frame_bytes = size.width * size.height * 3
    frames = [raw[i : i + frame_bytes] for i in range(0, len(raw) - frame_bytes + 1, frame_bytes)]
    if not frames:
        raise ValueError("no frames decoded")
    best: tuple[float, Image.Image] | None = None
    for index, data in enumerate(frames):
        image = Image.frombytes("RGB", (size.width, size.height), data)
        spread = sum(ImageStat.Stat(image).stddev) / 3
        if spread >= BLANK_STDDEV:
            return image, index
        if best is None or spread > best[0]:
            best = (spread, image)
    assert best is not None
    return best[1], None


def native_image_from_frames(
    info: MediaInfo, raw: bytes, spec: NativeSpec, start: float = 0.0
) -> tuple[bytes, list[str]]:
    """PNG bytes of the native still, picked from the clip's thumbnail candidates (the clip
    starts at `start` in the source) and fitted under the spec's byte limit; notes say which
    frame and what was reduced."""
    try:
        image, index = pick_frame(raw, spec.size)
    except ValueError:
        raise MediaError(
            f"{info.path}: no picture could be decoded from the video; the file is damaged or "
            "its codec is not supported: export it again as MP4 (H.264)"
        ) from None
    if index is None:
        note = "the clip's first seconds are blank; thumbnail is the least blank frame"
    else:
        at = start + index / SCAN_FPS
        note = f"thumbnail from {round(at, 2):g} s" if at else ""
    data, fit = png_within(image, spec.image_max_bytes, subject=str(info.path))
    return data, [n for n in (note, fit) if n]


def native_image_from_still(info: MediaInfo, spec: NativeSpec) -> tuple[bytes, list[str]]:
    """PNG bytes of the native still of an image source (centre-cropped, scaled, compressed)."""
    with Image.open(info.path) as opened:
        image = plain_pixels(opened, alpha=False)
    fitted = ImageOps.fit(image, (spec.size.width, spec.size.height), Image.Resampling.LANCZOS)
    data, fit = png_within(fitted, spec.image_max_bytes, subject=str(info.path))
    return data, [fit] if fit else []
