"""Plain HTTP downloads of direct media links that yt-dlp does not take (still images)."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import httpx

from automation.scrapers.resilience import FetchFailure, http_failure, parse_retry_after
from automation.scrapers.ytdlp import Download, ProgressCallback

IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp"})
_TYPE_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/bmp": ".bmp",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "video/quicktime": ".mov",
}
_CHUNK = 256 * 1024


def url_extension(url: str) -> str:
    """The lower-case extension of a URL's path ('' when it has none)."""
    return PurePosixPath(unquote(urlsplit(url).path)).suffix.lower()


def is_image_url(url: str) -> bool:
    """Whether the URL's path names a still image."""
    return url_extension(url) in IMAGE_EXTENSIONS


def _stem(url: str) -> str:
    stem = PurePosixPath(unquote(urlsplit(url).path)).stem
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "download"


def download_direct(
    url: str, folder: Path, *, timeout: float, on_progress: ProgressCallback | None = None
) -> Download:
    """GET a direct image or video link into `folder` (a .part name until complete)."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response:
            if response.status_code >= 400:
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                raise http_failure(
                    response.status_code,
                    f"HTTP Error {response.status_code}: {response.reason_phrase}",
                    retry_after,
                )
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if not kind.startswith(("image/", "video/")):
                raise FetchFailure(
                    "unsupported", f"not a media link ({kind or 'no type'})", retryable=False
                )
            extension = url_extension(url) or _TYPE_EXTENSIONS.get(kind, ".bin")
            target = folder / f"{_stem(url)}{extension}"
            _save(response, target, on_progress)
    except httpx.TimeoutException as exc:
        raise FetchFailure("timeout", f"timed out ({exc})", retryable=True) from None
    except httpx.TransportError as exc:
        raise FetchFailure("network", str(exc) or type(exc).__name__, retryable=True) from None
    return Download(url=url, title=_stem(url), files=[target])


def _save(response: httpx.Response, target: Path, on_progress: ProgressCallback | None) -> None:
    total = int(response.headers.get("Content-Length") or 0) or None
    partial = target.with_name(target.name + ".part")
    done = 0
    with partial.open("wb") as handle:
        for chunk in response.iter_bytes(_CHUNK):
            handle.write(chunk)
            done += len(chunk)
            if on_progress is not None:
                on_progress(done, total)
    if total is not None and done < total:
        partial.unlink(missing_ok=True)
        raise FetchFailure("truncated", f"got {done} of {total} bytes", retryable=True)
    partial.replace(target)
