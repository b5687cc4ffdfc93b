"""Small JPEG thumbnails of creatives, embedded as data: URIs; cached so reruns are quick."""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from automation.report.model import Creative
from creatives import ffmpeg
from creatives.errors import MediaError
from tracking.csvstore import atomic_write_bytes

log = logging.getLogger(__name__)

THUMB_WIDTH = 480  # px; twice the card's width in CSS pixels at most, sharp on HiDPI screens
JPEG_QUALITY = 78


def cache_key(path: Path) -> str:
    """A name that changes whenever the file does (path, size, modification time)."""
    stat = path.stat()
    raw = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{THUMB_WIDTH}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def video_frame(path: Path, duration_s: float | None, out: Path) -> None:
    """A frame from a third of the way in (past fades from black), scaled to THUMB_WIDTH."""
    at = min(max((duration_s or 0) / 3, 0.0), 2.0)
    ffmpeg.run_ffmpeg(
        ["-ss", f"{at:.2f}", "-i", str(path), "-frames:v", "1",
         "-vf", f"scale={THUMB_WIDTH}:-2", "-q:v", "4", str(out)],
        subject=path,
        timeout=60,
    )  # fmt: skip


def image_thumbnail(path: Path) -> bytes:
    """An image downscaled to THUMB_WIDTH as JPEG bytes (transparency on white)."""
    try:
        with Image.open(path) as img:
            img.seek(0)  # the first frame of an animated GIF
            rgba = img.convert("RGBA")
    except (UnidentifiedImageError, OSError) as exc:
        raise MediaError(f"{path}: not a readable image ({exc})") from None
    if rgba.width > THUMB_WIDTH:
        rgba.thumbnail((THUMB_WIDTH, THUMB_WIDTH * 4), Image.Resampling.LANCZOS)
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    buffer = io.BytesIO()
    flat.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return buffer.getvalue()


def thumbnail_bytes(creative: Creative, cache_dir: Path) -> bytes | None:
    """JPEG bytes of a creative's thumbnail, from the cache or made now; None if impossible."""
    path = creative.path
    if path is None or not path.is_file():
        return None
    cached = cache_dir / f"{cache_key(path)}.jpg"
    if cached.is_file():
        return cached.read_bytes()
    try:
        if creative.is_video:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = cache_dir / f".{cached.stem}.{os.getpid()}.jpg"
            video_frame(path, creative.duration_s, tmp)
            data = tmp.read_bytes()
            tmp.unlink(missing_ok=True)
        else:
            data = image_thumbnail(path)
    except MediaError as exc:
        log.warning("no thumbnail for %s: %s", creative.name, exc)
        return None
    atomic_write_bytes(cached, data)
    return data


def attach_thumbnails(creatives: list[Creative], cache_dir: Path, jobs: int = 0) -> int:
    """Fill every creative's `thumbnail` data URI; returns how many have none."""
    workers = jobs or min(4, os.cpu_count() or 1)

    def one(creative: Creative) -> None:
        data = thumbnail_bytes(creative, cache_dir)
        if data:
            creative.thumbnail = "data:image/jpeg;base64," + base64.b64encode(data).decode()

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(one, creatives))
    return sum(1 for c in creatives if not c.thumbnail)
