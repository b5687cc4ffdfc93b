"""The media library: tabs, cards, 12 a page newest first, and the ground truth behind them."""

from __future__ import annotations

import itertools

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.sandbox import Sandbox
from tests.sandbox.conftest import card_ids, open_library

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
                c.querySelector('span.dimensions').textContent,
                c.querySelector('span.fileType').textContent,
                c.querySelector('span.reviewStatus').dataset.reviewStatus])"""
        )
        place = {"0": "native_static", "1": "native_rollover"}.get(native)
        wanted = [c for c in truth if c["tab"] == tab and c["native_type"] == place]
        assert [c[0] for c in cards] == [c["id"] for c in wanted]
        seen += [tuple(c) for c in cards]
    assert sorted(seen) == sorted(
        (c["id"], c["name"], c["dimensions"], c["file_type"], c["status"]) for c in truth
    )
