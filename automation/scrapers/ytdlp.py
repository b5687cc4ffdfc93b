"""The one yt-dlp wrapper: download one URL into a folder, classify failures, keep the archive.

yt-dlp is used as a library (YoutubeDL with params), never through its command line: progress
comes from its progress hooks, its messages go to our logging, and its download archive is
only written once a download's outcome is final (`record_archive`). Only yt-dlp's public API is
used: YoutubeDL params, hooks and `match_filter`; no private method is overridden.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yt_dlp import YoutubeDL
from yt_dlp.networking.exceptions import HTTPError, TransportError
from yt_dlp.utils import (
    DownloadError,
    ExtractorError,
    GeoRestrictedError,
    UnsupportedError,
    make_archive_id,
)

from automation.scrapers.resilience import FetchFailure, http_failure, parse_retry_after
from creatives.errors import MediaError
from creatives.ffmpeg import probe_json

log = logging.getLogger(__name__)

# (downloaded bytes, total bytes or None) while a file downloads.
ProgressCallback = Callable[[int, int | None], None]

# Extractors whose ids are only a URL's last path part ("1", "clip"): unique only per URL.
_URL_KEYED_EXTRACTORS = frozenset({"generic", "html5mediaembed"})
_PRIVATE_WORDS = ("private", "sign in", "log in", "login", "members-only", "members only")
# yt-dlp notices that are normal for direct links and plain pages; not worth a warning.
_QUIET_WARNINGS = ("Falling back on generic information extractor", "could be a direct video")


class _LogBridge:
    """yt-dlp's `logger` param: its messages into our logging.

    yt-dlp sends its info lines through debug() too (they start with "[extractor]"), so both
    are DEBUG. Errors are DEBUG as well: the fetcher reports every failure in one line itself.
    """

    def debug(self, msg: str) -> None:
        log.debug("yt-dlp: %s", msg.removeprefix("[debug] "))

    def info(self, msg: str) -> None:
        log.debug("yt-dlp: %s", msg)

    def warning(self, msg: str) -> None:
        level = logging.DEBUG if any(q in msg for q in _QUIET_WARNINGS) else logging.WARNING
        log.log(level, "yt-dlp: %s", msg)

    def error(self, msg: str) -> None:
        log.debug("yt-dlp: %s", msg)


class Archive:
    """The download archive, in yt-dlp's file format ("extractor id" a line), kept by us.

    yt-dlp would record an item as soon as it is downloaded; we record it once it has been
    validated and moved into the inbox (or thrown away as junk), so an interrupted run fetches
    the item again instead of losing it. yt-dlp only reads it, through `match_filter`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        self._keys = {line.strip() for line in lines if line.strip()}

    @staticmethod
    def key(info: dict[str, Any]) -> str | None:
        """The archive line of an item, or None when it has no id or extractor."""
        video_id = info.get("id")
        extractor = str(info.get("extractor_key") or info.get("ie_key") or "")
        if not video_id or not extractor:
            return None
        page = info.get("webpage_url") or info.get("original_url")
        if extractor.lower() in _URL_KEYED_EXTRACTORS and page:
            # "generic 1" would be the same for /item/1 on every site: key it by the page URL.
            digest = hashlib.sha256(str(page).encode()).hexdigest()[:16]
            return str(make_archive_id(extractor, f"{digest}-{video_id}"))
        return str(make_archive_id(extractor, str(video_id)))

    def __contains__(self, info: dict[str, Any]) -> bool:
        key = self.key(info)
        return key is not None and key in self._keys

    def skip_recorded(self, info: dict[str, Any], *, incomplete: bool = False) -> str | None:
        """yt-dlp's `match_filter`: a reason to skip an item already in the archive."""
        if not incomplete and info in self:
            return f"{info.get('id')} is already in the download archive"
        return None

    def record(self, infos: list[dict[str, Any]]) -> None:
        """Add the items' lines (each once) to the archive file."""
        new = [k for k in dict.fromkeys(self.key(i) for i in infos) if k and k not in self._keys]
        if not new:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.writelines(f"{k}\n" for k in new)
        self._keys.update(new)


@dataclass(frozen=True)
class YtdlpOptions:
    """What the user chose for every download of a run."""

    archive: Path
    format: str | None = None
    subtitles: tuple[str, ...] = ()
    # yt-dlp's own retries of a request and of one fragment (an HLS or DASH piece), so one
    # failed fragment is fetched again instead of restarting the whole download.
    retries: int = 3
    # A subtitle language the item has no written subtitles in takes its automatic captions.
    auto_captions: bool = True


@dataclass
class Download:
    """What one yt-dlp call left in its folder (not yet validated)."""

    url: str
    title: str
    files: list[Path] = field(default_factory=list)
    subtitles: list[Path] = field(default_factory=list)
    archived: bool = False
    infos: list[dict[str, Any]] = field(default_factory=list, repr=False)


def record_archive(options: YtdlpOptions, download: Download) -> None:
    """Record a download's items in yt-dlp's archive, once their outcome is final."""
    if download.infos:
        Archive(options.archive).record(download.infos)


def _params(
    options: YtdlpOptions, archive: Archive, folder: Path, timeout: float, hook: Any
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "outtmpl": {"default": "%(id).60B.%(ext)s"},
        "paths": {"home": str(folder)},
        "match_filter": archive.skip_recorded,
        "logger": _LogBridge(),
        "progress_hooks": [hook],
        "quiet": True,
        "no_warnings": False,
        "noprogress": True,
        "color": {"stdout": "never", "stderr": "never"},
        "socket_timeout": timeout,
        # yt-dlp retries a request or a fragment within one download; the fetcher retries the
        # whole URL with backoff, Retry-After and its circuit breaker on top.
        "retries": options.retries,
        "fragment_retries": options.retries,
        "file_access_retries": 1,
        "continuedl": True,
        "noplaylist": False,
        "restrictfilenames": True,
        "windowsfilenames": True,
    }
    if options.format:
        params["format"] = options.format
    if options.subtitles:
        params["writesubtitles"] = True
        params["writeautomaticsub"] = options.auto_captions
        params["subtitleslangs"] = list(options.subtitles)
    return params


def _entries(info: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if info.get("_type") in ("playlist", "multi_video"):
        for entry in info.get("entries") or []:
            if entry:
                yield from _entries(entry)
    else:
        yield info


def download(
    url: str,
    folder: Path,
    options: YtdlpOptions,
    *,
    timeout: float,
    on_progress: ProgressCallback | None = None,
) -> Download:
    """Download everything yt-dlp finds at `url` into `folder`; FetchFailure when it cannot."""
    folder.mkdir(parents=True, exist_ok=True)

    def hook(status: dict[str, Any]) -> None:
        if on_progress is not None and status.get("status") in ("downloading", "finished"):
            total = status.get("total_bytes") or status.get("total_bytes_estimate")
            on_progress(int(status.get("downloaded_bytes") or 0), int(total) if total else None)

    archive = Archive(options.archive)
    params = _params(options, archive, folder, timeout, hook)
    with YoutubeDL(params) as ydl:
        try:
            info = ydl.extract_info(url, download=True)
        except DownloadError as exc:
            raise classify(exc) from None
        result = Download(url=url, title=_title(info or {}))
        for entry in _entries(info or {}):
            _collect(entry, result)
        result.infos = [e for e in _entries(info or {}) if e.get("id")]
        if not result.files:
            result.archived = bool(result.infos) and all(e in archive for e in result.infos)
    return result


def describe(url: str, options: YtdlpOptions, *, timeout: float) -> tuple[str, float | None]:
    """The title and duration (seconds) of what `url` holds, without downloading the media."""
    params: dict[str, Any] = {
        "logger": _LogBridge(), "quiet": True, "no_warnings": False, "noprogress": True,
        "socket_timeout": timeout, "retries": options.retries, "noplaylist": False,
    }  # fmt: skip
    with YoutubeDL(params) as ydl:
        try:
            info = ydl.extract_info(url, download=False) or {}
        except DownloadError as exc:
            raise classify(exc) from None
    entries = list(_entries(info))
    durations = [e.get("duration") for e in entries]
    if entries and all(isinstance(d, int | float) for d in durations):
        return _title(info), float(sum(durations))  # type: ignore[arg-type]
    # Plain media links carry no duration in their page: read it from the media's header.
    media = [str(e["url"]) for e in entries if e.get("url")]
    return _title(info), _probe_duration(media[0], timeout) if len(media) == 1 else None


def _probe_duration(url: str, timeout: float) -> float | None:
    try:
        data = probe_json(url, timeout=timeout)
    except MediaError:
        return None
    try:
        return float(data.get("format", {}).get("duration"))
    except (TypeError, ValueError):
        return None


def _title(info: dict[str, Any]) -> str:
    """The item's title; a page's only video drops the " (1)" yt-dlp numbers embeds with."""
    entries = list(_entries(info))
    if len(entries) == 1:
        title = str(entries[0].get("title") or info.get("title") or "")
        return re.sub(r" \(1\)$", "", title)
    return str(info.get("title") or "")


def _collect(entry: dict[str, Any], result: Download) -> None:
    for item in entry.get("requested_downloads") or []:
        path = item.get("filepath")
        if path and Path(path).exists():
            result.files.append(Path(path))
    for sub in (entry.get("requested_subtitles") or {}).values():
        path = sub.get("filepath")
        if path and Path(path).exists():
            result.subtitles.append(Path(path))


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        cause = getattr(exc, "cause", None)
        nxt = cause if isinstance(cause, BaseException) else None
        exc = nxt or exc.__cause__ or exc.__context__


def classify(exc: DownloadError) -> FetchFailure:
    """A FetchFailure for what went wrong inside yt-dlp (HTTP status, timeout, unsupported...)."""
    inner = exc.exc_info[1] if exc.exc_info else None
    message = _clean(str(exc))
    for err in _chain(inner):
        if isinstance(err, HTTPError):
            header = err.response.headers.get("Retry-After") if err.response else None
            return http_failure(err.status, message, parse_retry_after(header))
        if isinstance(err, TransportError | TimeoutError):
            reason = "timeout" if "timed out" in str(err).lower() else "network"
            return FetchFailure(reason, message, retryable=True)
        if isinstance(err, UnsupportedError):
            return FetchFailure("unsupported", message, retryable=False)
        if isinstance(err, GeoRestrictedError):
            return FetchFailure("geo-restricted", message, retryable=False)
    text = str(exc).lower()
    if "did not get any data blocks" in text:
        # The server answered with an empty body: junk, not a failure of the source.
        return FetchFailure("empty", "the server sent an empty file", retryable=False, junk=True)
    if "requested format is not available" in text:
        message = "the requested --format is not available for this item"
        return FetchFailure("format-unavailable", message, retryable=False)
    if "unsupported url" in text:
        return FetchFailure("unsupported", message, retryable=False)
    if any(word in text for word in _PRIVATE_WORDS):
        return FetchFailure("private", message, retryable=False)
    if "timed out" in text:
        return FetchFailure("timeout", message, retryable=True)
    if isinstance(inner, ExtractorError) and inner.expected:
        return FetchFailure("unavailable", message, retryable=False)
    return FetchFailure("error", message, retryable=True)


def _clean(text: str) -> str:
    """yt-dlp's message without its "ERROR: [extractor] id:" prefix and the repeated cause."""
    text = re.sub(r"^ERROR:\s*(\[[^\]]+\]\s*[^:\s]+:\s*)?", "", text.strip())
    return text.split(" (caused by ")[0]
