"""The media library: tabs, cards, 12 a page newest first, and the ground truth behind them."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.sandbox import Sandbox
from tests.sandbox.conftest import card_ids, open_library, show_tab

pytestmark = pytest.mark.browser
NEXT = 'a.page-link:text-is("Next")'
NEXT_ITEM = 'li:has(> a.page-link:text-is("Next"))'


def test_thirty_creatives_make_three_pages_of_the_right_ids(
    signed_in: Page, sandbox: Sandbox
) -> None:
    sandbox.seed(30, tabs=["in_stream_video"])
    expected = [c["id"] for c in sandbox.truth()["creatives"]]
    open_library(signed_in, sandbox, "in_stream_video")
    pages = []
    for number in (1, 2, 3):
        expect(signed_in.locator("li.page-item.active")).to_have_text(str(number))
        pages.append(card_ids(signed_in))
        if number < 3:
            expect(signed_in.locator(NEXT_ITEM)).not_to_have_class("page-item disabled")
            signed_in.locator(NEXT).click()
    expect(signed_in.locator(NEXT_ITEM)).to_have_class("page-item disabled")
    assert [len(p) for p in pages] == [12, 12, 6]
    assert [i for p in pages for i in p] == expected
    assert expected == sorted(expected, reverse=True)  # newest first
    assert all(len(str(i)) == 10 for i in expected)
    assert {a - b for a, b in itertools.pairwise(expected)} == {10}


def test_an_empty_tab_has_a_disabled_next(signed_in: Page, sandbox: Sandbox) -> None:
    open_library(signed_in, sandbox, "video_banner")
    expect(signed_in.locator("div.creativeContainer")).to_have_count(0)
    expect(signed_in.locator(NEXT_ITEM)).to_have_class("page-item disabled")


def test_cards_carry_every_attribute_of_the_ground_truth(signed_in: Page, sandbox: Sandbox) -> None:
    sandbox.seed(2, tabs=["native_rollover"])
    newest, older = sandbox.truth()["creatives"]
    sandbox.review([older["id"]], "approved")
    open_library(signed_in, sandbox, "native", native="1")
    card = signed_in.locator(f'div.creativeContainer[data-id="{older["id"]}"]')
    expect(card).to_have_attribute("data-review-status", "approved")
    expect(card.locator("label.creativeName")).to_have_text(older["name"])
    expect(card.locator("span.bannerId")).to_have_text(str(older["id"]))
    expect(card.locator("span.dimensions")).to_have_text("640x360")
    expect(card.locator("span.fileType")).to_have_text(".mp4")
    expect(card.locator("span.reviewStatus")).to_have_attribute("data-review-status", "approved")
    expect(
        signed_in.locator(f'div.creativeContainer[data-id="{newest["id"]}"] span.reviewStatus')
    ).to_have_attribute("data-review-status", "pending")


PLACES = [
    ("static_banner", ""),
    ("video_banner", ""),
    ("in_stream_video", ""),
    ("native", "0"),
    ("native", "1"),
    ("short_video", ""),
]


def test_every_tab_shows_exactly_its_creatives_from_the_ground_truth(
    signed_in: Page, sandbox: Sandbox
) -> None:
    sandbox.switches(short_video_tab=True)
    sandbox.seed(30)
    truth = sandbox.truth()["creatives"]
    sandbox.review([c["id"] for c in truth[::3]], "rejected")
    truth = sandbox.truth()["creatives"]
    seen: list[tuple[int, str, str, str, str]] = []
    for tab, native in PLACES:
        open_library(signed_in, sandbox, tab, native=native)
        cards = signed_in.locator("div.creativeContainer").evaluate_all(
            """cards => cards.map(c => [Number(c.dataset.id),
                c.querySelector('label.creativeName').textContent,
                (c.querySelector('span.dimensions') || {}).textContent || "",
                (c.querySelector('span.fileType') || {}).textContent || "",
                c.querySelector('span.reviewStatus').dataset.reviewStatus])"""
        )
        place = {"0": "native_static", "1": "native_rollover"}.get(native)
        wanted = [c for c in truth if c["tab"] == tab and c["native_type"] == place]
        assert [c[0] for c in cards] == [c["id"] for c in wanted]
        seen += [tuple(c) for c in cards]
    in_stream = {c["id"] for c in truth if c["tab"] == "in_stream_video"}
    assert sorted(seen) == sorted(
        (c["id"], c["name"], *(("", "") if c["id"] in in_stream else (c["dimensions"],
         c["file_type"])), c["status"])
        for c in truth
    )  # fmt: skip


def _mark_document(page: Page) -> None:
    """Leave a mark on the loaded document: a page load wipes it, an in-page reload keeps it."""
    page.evaluate("() => { window.__sameDocument = true; }")


def _same_document(page: Page) -> bool:
    return bool(page.evaluate("() => window.__sameDocument === true"))


def test_tabs_sub_types_and_pages_reload_the_cards_in_page(
    signed_in: Page, sandbox: Sandbox
) -> None:
    sandbox.seed(26, tabs=["video_banner", "native_rollover"])
    open_library(signed_in, sandbox)
    _mark_document(signed_in)
    video = signed_in.locator("a#video_tab")
    expect(video).to_have_attribute("href", "#video")
    video.click()
    expect(video).to_have_class("tab active")
    expect(video).to_have_attribute("aria-selected", "true")
    expect(signed_in.locator("a#static_tab")).to_have_attribute("aria-selected", "false")
    expect(signed_in.locator("div.creativeContainer")).to_have_count(12)
    signed_in.locator(NEXT).click()
    expect(signed_in.locator("li.page-item.active")).to_have_text("2")
    signed_in.locator("a#native_tab").click()
    signed_in.locator("label[for=native_rollover]").click()
    expect(signed_in.locator("#creativesTable")).to_have_attribute("data-native-type", "1")
    expect(signed_in.locator("div.creativeContainer")).to_have_count(12)
    assert _same_document(signed_in), "no page load happened"
    assert signed_in.url.split("#")[0] == f"{sandbox.app_url}/media-library"


def test_a_reload_lands_on_static_banner_whatever_tab_was_open(
    signed_in: Page, sandbox: Sandbox
) -> None:
    sandbox.seed(3, tabs=["static_banner", "in_stream_video", "video_banner"])
    open_library(signed_in, sandbox, "in_stream_video")
    expect(signed_in.locator("a#instream_tab")).to_have_class("tab active")
    signed_in.reload()
    expect(signed_in.locator("a#static_tab")).to_have_class("tab active")
    expect(signed_in.locator("a#instream_tab")).to_have_class("tab")
    static = [c["id"] for c in sandbox.truth()["creatives"] if c["tab"] == "static_banner"]
    assert card_ids(signed_in) == static


def test_the_full_load_variant_loads_a_page_per_tab_and_keeps_it_on_reload(
    signed_in: Page, sandbox: Sandbox
) -> None:
    sandbox.switches(tab_navigation="full_load")
    sandbox.seed(2, tabs=["video_banner"])
    open_library(signed_in, sandbox)
    _mark_document(signed_in)
    signed_in.locator("a#video_tab").click()
    expect(signed_in).to_have_url(f"{sandbox.app_url}/media-library?tab=video_banner")
    expect(signed_in.locator("div.creativeContainer")).to_have_count(2)
    assert not _same_document(signed_in)
    signed_in.reload()
    expect(signed_in.locator("a#video_tab")).to_have_class("tab active")


def test_the_in_stream_tab_has_the_form_its_switch_names(signed_in: Page, sandbox: Sandbox) -> None:
    open_library(signed_in, sandbox)
    expect(signed_in.locator('a#instream_tab[href="#instream"]')).to_contain_text("In-Stream")
    expect(signed_in.locator("a#in_stream_video_tab")).to_have_count(0)
    sandbox.switches(instream_tab="in_stream_video")
    signed_in.reload()
    link = signed_in.locator('a#in_stream_video_tab[href="#in_stream_video"]')
    expect(link).to_have_text("In-Stream Video")
    expect(signed_in.locator("a#instream_tab")).to_have_count(0)


def test_short_video_tab_only_when_switched_on(signed_in: Page, sandbox: Sandbox) -> None:
    open_library(signed_in, sandbox)
    expect(signed_in.locator("a#static_tab")).to_be_visible()
    expect(signed_in.locator("a#short_video_tab")).to_have_count(0)
    sandbox.switches(short_video_tab=True)
    signed_in.reload()
    expect(signed_in.locator("a#short_video_tab")).to_have_text("Short Video")


def test_in_stream_cards_show_no_dimensions_or_file_type(signed_in: Page, sandbox: Sandbox) -> None:
    sandbox.seed(2, tabs=["in_stream_video", "video_banner"])
    open_library(signed_in, sandbox, "in_stream_video")
    card = signed_in.locator("div.creativeContainer.globalCreativeContainer")
    expect(card).to_have_count(1)
    expect(card.locator("span.bannerId")).to_have_count(1)
    expect(card.locator("span.dimensions, span.fileType")).to_have_count(0)
    show_tab(signed_in, "video_banner")
    expect(signed_in.locator("div.creativeContainer span.dimensions")).to_have_text("300x250")


def test_the_page_says_media_library_and_has_the_hidden_file_input_at_once(
    signed_in: Page, sandbox: Sandbox
) -> None:
    open_library(signed_in, sandbox)
    expect(signed_in.get_by_text("MEDIA LIBRARY", exact=True)).to_be_visible()
    expect(signed_in.locator('input[type="file"]')).to_have_count(1)
    expect(signed_in.locator('input[type="file"]')).to_be_hidden()
    expect(signed_in.locator("button#newImage")).to_have_text("Upload New Creatives")
