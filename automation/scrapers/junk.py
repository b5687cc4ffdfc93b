"""Junk rules: placeholder URLs before a download, empty/fake/corrupt/duplicate files after."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image, UnidentifiedImageError

from automation.errors import ConfigError
from creatives import ffmpeg
from creatives.errors import MediaError
from tracking.downloads import load_known_fakes

log = logging.getLogger(__name__)

SHIPPED_FAKES = Path(__file__).with_name("known_fakes.csv")
PLACEHOLDER_HOSTS = (
    "placeholder.com", "placehold.it", "placehold.co", "dummyimage.com", "fakeimg.pl",
    "placekitten.com", "placeimg.com", "lorempixel.com", "dummyimage.net",
)  # fmt: skip
# (what it means, regex searched in the whole URL)
PLACEHOLDER_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "placeholder text in the URL (e.g. text=Photo+12)",
        r"[?&]text=(photo|image|img|picture|placeholder|no[+ _-]?image)([+ _-]|%20|%2B)*\d*(&|$)",
    ),
    (
        "placeholder file name",
        r"/(placeholder|no[_-]?image|image[_-]?not[_-]?found)s?([./_-]|$)",
    ),
)
MIN_IMAGE_SIDE = 32  # smaller than this is a pixel or an icon, never a creative


@dataclass(frozen=True)
class UrlRules:
    """Which URLs are placeholders, decided without a request."""

    hosts: tuple[str, ...] = PLACEHOLDER_HOSTS
    patterns: tuple[tuple[str, str], ...] = PLACEHOLDER_PATTERNS

    def placeholder(self, url: str) -> str | None:
        """What marks `url` as a placeholder (a host or a pattern), or None."""
        host = (urlsplit(url).hostname or "").lower()
        for name in self.hosts:
            if host == name or host.endswith("." + name):
                return f"placeholder image service {name}"
        for label, pattern in self.patterns:
            if re.search(pattern, url, re.IGNORECASE):
                return label
        return None


def load_url_rules(extra_file: Path | None, extra_patterns: Iterable[str] = ()) -> UrlRules:
    """The shipped rules plus a user's patterns (one regex per line, # comments)."""
    own: list[tuple[str, str]] = []
    if extra_file is not None and extra_file.is_file():
        for line in extra_file.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                own.append((f"pattern {line.strip()} ({extra_file.name})", line.strip()))
    own.extend((f"pattern {p} (--skip-pattern)", p) for p in extra_patterns)
    for _label, pattern in own:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ConfigError(
                f"placeholder pattern {pattern!r} is not a valid regular expression ({exc}); "
                f"fix it in {extra_file} or in --skip-pattern"
            ) from None
    return UrlRules(patterns=(*PLACEHOLDER_PATTERNS, *own))


def known_fakes(user_file: Path) -> dict[str, str]:
    """sha256 -> label from the shipped list plus the workspace's records/known_fakes.csv."""
    return load_known_fakes(SHIPPED_FAKES, user_file)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Verdict:
    """What a downloaded file is, and why it is junk (reason None: keep it)."""

    kind: str  # "video", "image" or "" when unreadable
    sha256: str
    bytes: int
    reason: str | None = None
    detail: str = ""


def inspect_file(
    path: Path,
    *,
    fakes: Mapping[str, str],
    seen: Mapping[str, str],
    images: bool = True,
) -> Verdict:
    """Judge a downloaded file: empty, known fake, duplicate of `seen`, corrupt, or kept."""
    size = path.stat().st_size
    if size == 0:
        return Verdict("", "", 0, "empty", "the file is empty")
    digest = sha256_of(path)
    if digest in fakes:
        return Verdict("", digest, size, "known-fake", fakes[digest])
    if digest in seen:
        return Verdict("", digest, size, "duplicate", f"same content as {seen[digest]}")
    kind, problem = _media_kind(path)
    if problem is not None:
        return Verdict(kind, digest, size, problem[0], problem[1])
    if kind == "image" and not images:
        return Verdict(kind, digest, size, "image-excluded", "still images are excluded")
    return Verdict(kind, digest, size)


def _media_kind(path: Path) -> tuple[str, tuple[str, str] | None]:
    """("image"|"video", None) for good media, else the kind and (reason, detail)."""
    try:
        with Image.open(path) as image:
            image.verify()  # checks structure; load() below decodes every pixel
        with Image.open(path) as image:
            image.load()
            width, height = image.size
    except UnidentifiedImageError:
        return _video_kind(path)
    except (OSError, SyntaxError, ValueError) as exc:
        return "image", ("corrupt", f"unreadable image ({exc})")
    if min(width, height) < MIN_IMAGE_SIDE:
        return "image", ("tiny", f"{width}x{height} image")
    return "image", None


def _video_kind(path: Path) -> tuple[str, tuple[str, str] | None]:
    try:
        info = ffmpeg.probe_json(path)
    except MediaError:
        return "", ("corrupt", "not readable as video or image")
    streams = [
        s
        for s in info.get("streams", [])
        if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
    ]
    duration = float(info.get("format", {}).get("duration") or 0)
    if not streams or duration <= 0:
        return "", ("not-media", "no video stream")
    try:
        # Decoding the last second catches files cut short whose header still looks whole.
        ffmpeg.run_ffmpeg(
            ["-xerror", "-sseof", "-1", "-i", str(path), "-map", "0:v:0", "-f", "null", "-"],
            subject=path,
            timeout=120,
        )
    except MediaError as exc:
        log.debug("decode check failed: %s", exc)
        return "video", ("corrupt", "truncated or damaged video")
    return "video", None
