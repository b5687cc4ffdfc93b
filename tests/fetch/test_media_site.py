"""The sandbox media site serves what the fetch tests rely on, and its reset starts it over."""

from __future__ import annotations

import httpx

from automation.sandbox import media_site
from tests.fetch.conftest import MediaSite
from tests.fixtures.sandbox import Sandbox


def _get(url: str) -> httpx.Response:
    return httpx.get(url, trust_env=False, timeout=30)


def test_listing_has_three_pages_and_the_last_next_is_disabled(site: MediaSite) -> None:
    pages = [_get(f"{site.listing}?page={n}").text for n in (1, 2, 3)]
    assert all('class="item"' in page for page in pages)
    assert (
        '<li class="page-item">\n<a class="page-link" href="/media-site/videos?page=2">Next'
        in pages[0]
    )
    assert '<li class="page-item disabled">\n<a class="page-link" href="#">Next' in pages[2]
    assert _get(f"{site.listing}?page=4").status_code == 404


def test_trouble_endpoints_behave_as_announced(site: MediaSite) -> None:
    flaky = [_get(site.url("/flaky/clip-5.mp4")).status_code for _ in range(3)]
    assert flaky == [500, 500, 200]
    busy = _get(site.url("/busy/clip-6.mp4"))
    assert (busy.status_code, busy.headers["Retry-After"]) == (429, "1")
    assert _get(site.url("/busy/clip-6.mp4")).status_code == 200
    assert _get(site.url("/media/missing-clip.mp4")).status_code == 404
    assert len(_get(site.url("/media/plc.gif")).content) == 45
    assert _get(site.url("/media/empty.mp4")).content == b""
    clip = _get(site.url("/media/clip-3.mp4")).content
    assert _get(site.url("/mirror/clip-3-copy.mp4")).content == clip


def test_a_sandbox_reset_makes_the_flaky_endpoint_fail_again(
    site: MediaSite, sandbox: Sandbox
) -> None:
    for _ in range(3):
        _get(site.url("/flaky/clip-5.mp4"))
    sandbox.control("reset", {})
    assert site.hits("flaky") == []
    assert _get(site.url("/flaky/clip-5.mp4")).status_code == 500


def test_every_kept_item_is_distinct_media(generated_media) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    names = [f"{c.name}.mp4" for c in media_site.CLIPS] + ["photo-1.jpg", "photo-2.jpg"]
    digests = {hashlib.sha256((generated_media / n).read_bytes()).hexdigest() for n in names}
    assert len(digests) == len(names)
