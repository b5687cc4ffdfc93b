"""The sandbox's media site (/media-site): a paginated gallery for rehearsing `creative-flow fetch`.

Three listing pages of item links (`a.item`, "Next" is `a.page-link` in an `li.page-item` that
gets `disabled` on the last page). Behind them: pages with an HTML5 <video>, direct mp4/jpg
links, and the junk and trouble a real source serves: a "Photo+12" placeholder, a 45-byte
plc.gif, an empty file, a corrupt mp4, a duplicate under another URL, an endpoint that fails
twice (500) before it works, one that answers 429 with Retry-After: 1 first, and one that
always 404s. `CATALOGUE` is the ground truth: what a correct fetch keeps and why it drops the
rest. The media is generated once per process (ffmpeg and Pillow) into a temporary folder.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, render_template_string, request, send_file, url_for
from PIL import Image, ImageDraw

from creatives.ffmpeg import run_ffmpeg

URL_PREFIX = "/media-site"
PER_PAGE = 5
RETRY_AFTER_S = 1
FLAKY_FAILURES = 2
# A 45-byte 1x1 GIF, the placeholder pixel scrapers used to download by the thousand.
PLC_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x04D\x01\x00\x00\x00;"
)

blueprint = Blueprint("media_site", __name__, url_prefix=URL_PREFIX)


@dataclass(frozen=True)
class Clip:
    """A generated video: size, length, and what makes its content unique."""

    name: str
    width: int = 640
    height: int = 360
    seconds: float = 6.0
    pattern: str = "testsrc2"
    hue: int = 0
    tone: int = 440


@dataclass(frozen=True)
class Item:
    """One link of the listing: where it points and what a correct fetch does with it."""

    path: str  # under URL_PREFIX
    expect: str  # "keep", or the reason it is skipped/rejected/failed
    title: str = ""


CLIPS = (
    Clip("clip-1", pattern="testsrc2", hue=0, tone=440),
    Clip("clip-2", pattern="smptebars", hue=60, tone=550, seconds=7),
    Clip("clip-3", pattern="testsrc", hue=120, tone=660),
    Clip("clip-4", width=360, height=640, pattern="testsrc2", hue=200, tone=770, seconds=8),
    Clip("clip-5", pattern="rgbtestsrc", hue=260, tone=880),
    Clip("clip-6", pattern="smptehdbars", hue=320, tone=990, seconds=7),
)
PHOTOS = {"photo-1": (1280, 720, (200, 80, 40)), "photo-2": (800, 800, (30, 90, 200))}
PAGES = {  # item page slug -> (clip, title, how the page embeds it)
    "sunrise-run": ("clip-1", "Sunrise run on the beach", "src"),
    "city-lights": ("clip-2", "City lights at night", "source"),
    "vertical-dance": ("clip-4", "Vertical dance clip", "source"),
}
SUBTITLED = ("city-lights",)  # pages whose <video> has an English subtitle <track>
CATALOGUE: tuple[tuple[Item, ...], ...] = (
    (
        Item("/watch/sunrise-run", "keep", "Sunrise run on the beach"),
        Item("/watch/city-lights", "keep", "City lights at night"),
        Item("/media/clip-3.mp4", "keep"),
        Item("/media/photo-1.jpg", "keep"),
        Item("/placeholder.png?text=Photo+12", "placeholder-url"),
    ),
    (
        Item("/watch/vertical-dance", "keep", "Vertical dance clip"),
        Item("/media/plc.gif", "known-fake"),
        Item("/media/empty.mp4", "empty"),
        Item("/media/corrupt.mp4", "corrupt"),
        Item("/mirror/clip-3-copy.mp4", "duplicate"),
    ),
    (
        Item("/media/photo-2.jpg", "keep"),
        Item("/flaky/clip-5.mp4", "keep"),
        Item("/busy/clip-6.mp4", "keep"),
        Item("/media/missing-clip.mp4", "http-404"),
    ),
)

# -- generated media ------------------------------------------------------------------------

_media_lock = threading.Lock()
_media_dir: Path | None = None


def media_dir() -> Path:
    """The folder of generated media (made on first use, removed when the process exits)."""
    global _media_dir
    with _media_lock:
        if _media_dir is None:
            folder = Path(tempfile.mkdtemp(prefix="creative-flow-media-site-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            _generate(folder)
            _media_dir = folder
        return _media_dir


def _generate(folder: Path) -> None:
    for clip in CLIPS:
        _make_clip(folder / f"{clip.name}.mp4", clip)
    for name, (width, height, colour) in PHOTOS.items():
        _make_photo(folder / f"{name}.jpg", width, height, colour)
    for slug in SUBTITLED:
        clip_name, title, _embed = PAGES[slug]
        (folder / f"{clip_name}.en.vtt").write_text(
            f"WEBVTT\n\n00:00:00.000 --> 00:00:03.000\n{title}\n", encoding="utf-8"
        )
    (folder / "plc.gif").write_bytes(PLC_GIF)
    (folder / "empty.mp4").write_bytes(b"")
    # An MP4 signature followed by noise: looks like a video, is not one.
    noise = bytes((i * 7919 + 13) % 251 for i in range(64 * 1024))
    (folder / "corrupt.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00" + noise)


def _make_clip(path: Path, clip: Clip) -> None:
    size = f"{clip.width}x{clip.height}"
    run_ffmpeg(
        [
            "-f", "lavfi", "-i", f"{clip.pattern}=size={size}:rate=25:duration={clip.seconds}",
            "-f", "lavfi", "-i", f"sine=frequency={clip.tone}:duration={clip.seconds}",
            "-vf", f"hue=h={clip.hue}", "-c:v", "libx264", "-preset", "ultrafast",
            "-crf", "32", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "48k", "-shortest",
            "-movflags", "+faststart", str(path),
        ],
        subject=path,
    )  # fmt: skip


def _make_photo(path: Path, width: int, height: int, colour: tuple[int, int, int]) -> None:
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 40):
        draw.line([(x, 0), (width - x, height)], fill=(255, 255, 255), width=3)
    image.save(path, "JPEG", quality=85)


def _placeholder_png(text: str) -> bytes:
    import io

    image = Image.new("RGB", (300, 200), (204, 204, 204))
    ImageDraw.Draw(image).text((110, 90), text[:40], fill=(90, 90, 90))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# -- per-server request counters (the flaky and busy endpoints), cleared on every reset -------

_counts: dict[tuple[int, str], list[float]] = {}
_counts_lock = threading.Lock()


def _hit(name: str) -> int:
    """Record a request to endpoint `name` of this server; returns how many it has had."""
    from automation.sandbox.app import state_of

    key = (id(state_of()), name)
    with _counts_lock:
        times = _counts.setdefault(key, [])
        times.append(time.monotonic())
        return len(times)


def hits(state: Any, name: str) -> list[float]:
    """Monotonic times of the requests `name` got since the reset: "flaky", "busy",
    "placeholder", or "media/<file>" for the plain files."""
    with _counts_lock:
        return list(_counts.get((id(state), name), []))


def reset(state: Any) -> None:
    """Forget the request counters of `state`'s server."""
    with _counts_lock:
        for key in [k for k in _counts if k[0] == id(state)]:
            del _counts[key]


def seed(state: Any) -> None:
    """Generate the media now, so the first visitor does not wait for it."""
    media_dir()


# -- pages ----------------------------------------------------------------------------------

_LISTING = """<!doctype html><html><head><title>Media site - page {{ number }}</title></head>
<body><nav><a href="{{ home }}">Home</a> <a href="{{ home }}about">About</a></nav>
<h1>Latest uploads</h1><ul class="items">
{% for href, label in links %}<li><a class="item" href="{{ href }}">{{ label }}</a></li>
{% endfor %}</ul><ul class="pagination">
<li class="page-item{% if number == 1 %} disabled{% endif %}">
<a class="page-link" href="{{ prev }}">Previous</a></li>
<li class="page-item{% if not next %} disabled{% endif %}">
<a class="page-link" href="{{ next or '#' }}">Next</a></li></ul></body></html>"""

_WATCH = """<!doctype html><html><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1>
{% if embed == "src" %}<video controls width="640" src="{{ src }}"></video>
{% else %}<video controls width="640"><source src="{{ src }}" type="video/mp4">
{% if track %}<track kind="subtitles" srclang="en" label="English" src="{{ track }}">{% endif %}
</video>{% endif %}
</body></html>"""


def _listing_links(number: int) -> list[tuple[str, str]]:
    links = []
    for item in CATALOGUE[number - 1]:
        href = URL_PREFIX + item.path
        if item.path.endswith("clip-3.mp4"):
            href = request.host_url.rstrip("/") + href  # one absolute link among relative ones
        links.append((href, item.title or item.path.rsplit("/", 1)[-1]))
    if number == 2:
        links.append((URL_PREFIX + CATALOGUE[0][0].path, "Sunrise run (featured again)"))
    return links


@blueprint.get("/")
@blueprint.get("/videos")
def listing() -> str:
    """Listing page ?page=N (1..3)."""
    number = request.args.get("page", 1, type=int)
    if not 1 <= number <= len(CATALOGUE):
        abort(404)
    page_url = url_for("media_site.listing")
    nxt = f"{page_url}?page={number + 1}" if number < len(CATALOGUE) else None
    return render_template_string(
        _LISTING,
        number=number,
        links=_listing_links(number),
        home=URL_PREFIX + "/",
        prev=f"{page_url}?page={max(1, number - 1)}",
        next=nxt,
    )


@blueprint.get("/watch/<slug>")
def watch(slug: str) -> str:
    """An item page with an HTML5 <video>."""
    if slug not in PAGES:
        abort(404)
    clip, title, embed = PAGES[slug]
    src = url_for("media_site.media", name=f"{clip}.mp4")
    track = url_for("media_site.media", name=f"{clip}.en.vtt") if slug in SUBTITLED else None
    return render_template_string(_WATCH, title=title, src=src, embed=embed, track=track)


@blueprint.get("/media/<name>")
def media(name: str) -> Response:
    """A generated file (conditional and range requests work)."""
    _hit(f"media/{name}")
    path = media_dir() / name
    if "/" in name or not path.is_file():
        abort(404)
    return send_file(path, conditional=True)


@blueprint.get("/mirror/clip-3-copy.mp4")
def mirror() -> Response:
    """clip-3's bytes under another URL."""
    return send_file(media_dir() / "clip-3.mp4", mimetype="video/mp4", conditional=True)


@blueprint.get("/flaky/clip-5.mp4")
def flaky() -> Response:
    """Fails with 500 on the first two requests, then serves clip-5."""
    if _hit("flaky") <= FLAKY_FAILURES:
        return Response("temporarily broken", status=500)
    return send_file(media_dir() / "clip-5.mp4", mimetype="video/mp4", conditional=True)


@blueprint.get("/busy/clip-6.mp4")
def busy() -> Response:
    """Answers 429 with Retry-After first, then serves clip-6."""
    if _hit("busy") == 1:
        return Response("slow down", status=429, headers={"Retry-After": str(RETRY_AFTER_S)})
    return send_file(media_dir() / "clip-6.mp4", mimetype="video/mp4", conditional=True)


@blueprint.get("/placeholder.png")
def placeholder() -> Response:
    """A grey image with the ?text= written on it, as image placeholder services make."""
    _hit("placeholder")
    return Response(_placeholder_png(request.args.get("text", "")), mimetype="image/png")
