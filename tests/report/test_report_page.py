"""The HTML report as a person sees it in a browser: cards, IDs, statuses, pairs, filters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from automation.report import ReportResult, build_report
from tests.report.sample import SampleCreative, build_sample
from tracking.workspace import Workspace

pytestmark = pytest.mark.browser

GREEN, AMBER, RED = "rgb(21, 128, 61)", "rgb(180, 83, 9)", "rgb(185, 28, 28)"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[ReportResult, list[SampleCreative]]:
    root = tmp_path_factory.mktemp("report") / "workspace"
    creatives = build_sample(root)
    return build_report(Workspace(root)), creatives


@pytest.fixture
def report_page(
    page: Page, sample: tuple[ReportResult, list[SampleCreative]]
) -> Iterator[tuple[Page, list[SampleCreative], list[str]]]:
    """The report open in Chromium, with every request it makes recorded."""
    result, creatives = sample
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(result.path.as_uri())
    yield page, creatives, requests


def _visible_cards(page: Page) -> list[str]:
    return [
        card.get_attribute("aria-label") or "" for card in page.get_by_role("article").all()
        if card.is_visible()
    ]  # fmt: skip


def test_every_creative_is_a_card_with_its_id_status_and_facts(report_page) -> None:  # type: ignore[no-untyped-def]
    page, creatives, _ = report_page
    expect(page.get_by_role("article")).to_have_count(len(creatives))
    labels = {"approved": "Approved", "pending": "Pending review", "rejected": "Rejected"}
    for c in creatives:
        card = page.get_by_role("article", name=c.name, exact=True)
        expect(card.get_by_role("heading")).to_have_text(c.name)
        if c.creative_id:
            expect(card).to_contain_text(c.creative_id)
            expect(card).to_contain_text(labels.get(c.status, "Uploaded"))
        else:
            expect(card).to_contain_text("Not uploaded")
            expect(card).to_contain_text("no creative ID yet")
    pre = page.get_by_role("article", name=creatives[-1].name)
    expect(pre).to_contain_text("Pre-roll")
    expect(pre).to_contain_text("1280×720")
    expect(pre).to_contain_text("6 s")
    expect(pre).to_contain_text("Dating")


def test_review_statuses_are_colour_coded(report_page) -> None:  # type: ignore[no-untyped-def]
    page, creatives, _ = report_page
    by_status = {c.status: c for c in creatives if c.status}
    for status, colour in (("approved", GREEN), ("pending", AMBER), ("rejected", RED)):
        card = page.get_by_role("article", name=by_status[status].name)
        pill = card.get_by_text(re.compile(f"^{status}", re.IGNORECASE))
        expect(pill).to_have_css("color", colour)
        expect(card).to_have_css(
            "border-top-color",
            colour if status != "pending" else re.compile(r"rgb\(245, 158, 11\)"),
        )


def test_every_card_shows_a_real_preview_including_a_video_frame(report_page) -> None:  # type: ignore[no-untyped-def]
    page, creatives, _ = report_page
    for c in creatives:
        img = page.get_by_role("img", name=f"Preview of {c.name}")
        img.scroll_into_view_if_needed()
        expect(img).to_be_visible()
        width = img.evaluate("i => i.complete ? i.naturalWidth : 0")
        assert width > 0, f"{c.name}: preview did not load"
    # A video frame of the test pattern is colourful, not a blank placeholder.
    video = next(c for c in creatives if c.name.endswith(".mp4"))
    colours = page.get_by_role("img", name=f"Preview of {video.name}").evaluate(
        """i => { const c = document.createElement('canvas'); c.width = 32; c.height = 18;
        const x = c.getContext('2d'); x.drawImage(i, 0, 0, 32, 18);
        const d = x.getImageData(0, 0, 32, 18).data; const s = new Set();
        for (let k = 0; k < d.length; k += 4)
          s.add([d[k] >> 5, d[k + 1] >> 5, d[k + 2] >> 5].join());
        return s.size; }"""
    )
    assert colours > 8


def test_native_pairs_sit_side_by_side_under_their_shared_id(report_page) -> None:  # type: ignore[no-untyped-def]
    page, creatives, _ = report_page
    pairs: dict[str, list[SampleCreative]] = {}
    for c in creatives:
        if c.creative_type.startswith("native"):
            pairs.setdefault(c.unique_id.rsplit("-", 1)[0], []).append(c)
    for pair_id, (video, image) in pairs.items():
        vbox = page.get_by_role("article", name=video.name).bounding_box()
        ibox = page.get_by_role("article", name=image.name).bounding_box()
        assert vbox and ibox
        assert abs(vbox["y"] - ibox["y"]) < 2, f"{pair_id}: not on one row"
        assert vbox["x"] + vbox["width"] <= ibox["x"], f"{pair_id}: video not left of image"
        expect(page.get_by_text(pair_id, exact=True)).to_be_visible()


def test_header_totals_and_recent_runs(report_page) -> None:  # type: ignore[no-untyped-def]
    page, creatives, _ = report_page
    totals = page.get_by_role("region", name="Totals")
    expect(totals).to_contain_text(f"{len(creatives)}Creatives", ignore_case=True)
    expect(totals).to_contain_text("3Native pairs", ignore_case=True)
    expect(totals).to_contain_text("2Approved", ignore_case=True)
    expect(totals).to_contain_text("2Not uploaded", ignore_case=True)
    runs = page.get_by_role("region", name="Recent upload runs")
    rows = runs.get_by_role("row")
    expect(rows).to_have_count(3)  # header + two runs, newest first
    expect(rows.nth(1)).to_contain_text("20261121-113000-bbbb")
    expect(rows.nth(1)).to_contain_text("1 failed")
    expect(rows.nth(2)).to_contain_text("5 success")
    rows.nth(1).get_by_text("1 error", exact=True).click()
    expect(rows.nth(1)).to_contain_text("file too large")


def test_filters_hide_and_show_cards(report_page) -> None:  # type: ignore[no-untyped-def]
    page, creatives, _ = report_page
    total = len(creatives)
    shown = page.get_by_text(re.compile(r"^Showing \d+ of"))
    expect(shown).to_have_text(f"Showing {total} of {total} creatives")

    page.get_by_role("button", name=re.compile("^Rejected")).click()
    rejected = [c.name for c in creatives if c.status == "rejected"]
    assert _visible_cards(page) == rejected
    expect(shown).to_have_text(f"Showing 1 of {total} creatives")

    page.get_by_role("button", name=re.compile("^All")).click()
    page.get_by_label("Type").select_option(label="Pre-roll")
    assert _visible_cards(page) == [creatives[-1].name]

    page.get_by_label("Type").select_option(label="All types")
    page.get_by_label("Category").select_option("Gaming")
    assert sorted(_visible_cards(page)) == sorted(
        c.name for c in creatives if c.category == "Gaming"
    )

    page.get_by_role("button", name=re.compile("^Not uploaded")).click()
    expect(page.get_by_text("No creative matches these filters.")).to_be_visible()

    page.get_by_role("button", name=re.compile("^All")).click()
    page.get_by_label("Category").select_option("")
    page.get_by_label("Search").fill(creatives[2].creative_id)
    assert _visible_cards(page) == [creatives[2].name]
    page.get_by_label("Search").fill("")
    assert len(_visible_cards(page)) == total


def test_the_page_needs_nothing_from_the_network(report_page) -> None:  # type: ignore[no-untyped-def]
    page, _, requests = report_page
    page.get_by_role("article").last.scroll_into_view_if_needed()
    outside = [u for u in requests if not u.startswith(("file://", "data:"))]
    assert outside == []
    html = Path(page.url.removeprefix("file://")).read_text()
    assert not re.search(r"""(src|href)=["']https?:""", html)
