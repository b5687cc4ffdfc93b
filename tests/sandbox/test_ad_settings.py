"""Ad settings as the real site shows it: the ads table, its page length, mass create with CSV."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.sandbox import Sandbox

pytestmark = pytest.mark.browser
NATIVE_HEADER = [
    "Ad Name", "Target URL", "Video Creative ID", "Thumbnail Creative ID", "Headline", "Brand Name",
]  # fmt: skip
COLUMNS = ["Compliance", "Thumbnail", "Ad Name", "Tags", "Target URL", "Custom CTA", "Banner CTA",
           "Tracking Pixel", "Date Created", "Action"]  # fmt: skip
BANNER_HEADING = "At least one issue was detected. Review the following and reupload the CSV"


def native_library(sandbox: Sandbox, pairs: int) -> list[tuple[int, int]]:
    """`pairs` native videos and thumbnails in the library; their IDs as (video, thumbnail)."""
    videos = sandbox.seed(pairs, tabs=["native_rollover"])["creatives"]
    images = sandbox.seed(pairs, tabs=["native_static"])["creatives"]
    return [(v["id"], i["id"]) for v, i in zip(videos, images, strict=True)]


def native_csv(path: Path, pairs: list[tuple[int, int]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(NATIVE_HEADER)
        for n, (video, thumb) in enumerate(pairs, start=1):
            writer.writerow(
                [f"Ad {n}", "https://example.test/?c={CampaignID}", video, thumb, f"Headline {n}",
                 "Brand"]
            )  # fmt: skip
    return path


def campaign(sandbox: Sandbox, category: str = "straight") -> dict[str, Any]:
    made = sandbox.seed(campaigns=[{"name": f"Native {category}", "content_category": category}])
    return dict(made["campaigns"][0])


def with_ads(sandbox: Sandbox, target: dict[str, Any], count: int) -> None:
    for n in range(count):
        sandbox.state.add_ad(target["id"], f"Ad {n}", "https://a.test/", [1_000_012_340 + 10 * n])


def open_ad_settings(page: Page, sandbox: Sandbox, target: dict[str, Any]) -> None:
    page.goto(f"{sandbox.app_url}/campaigns")
    page.get_by_role("link", name=target["name"]).click()
    expect(page.get_by_text("STEP 5. CREATE YOUR AD")).to_be_visible()
    # The table's info line is drawn by the page's script: from then on the page responds.
    expect(page.locator("#adsTable_info")).to_contain_text("entries")


def choose_csv(page: Page, path: Path) -> None:
    page.get_by_text("Mass create with CSV").click()
    expect(page.locator("#massAdsCsv")).to_be_visible()
    page.locator("#massAdsCsv").set_input_files(path)


def count_navigations(page: Page) -> list[str]:
    """URLs the main frame navigates to from now on (the page must stay put)."""
    seen: list[str] = []
    page.on("framenavigated", lambda f: seen.append(f.url) if f == page.main_frame else None)
    return seen


def info(page: Page) -> Any:
    return expect(page.locator("#adsTable_info"))


def test_the_table_shows_the_evidenced_columns_cells_and_placeholder(
    signed_in: Page, sandbox: Sandbox
) -> None:
    empty = campaign(sandbox)
    open_ad_settings(signed_in, sandbox, empty)
    info(signed_in).to_have_text("Showing 0 to 0 of 0 entries")
    expect(signed_in.locator("table#adsTable thead th")).to_have_text(COLUMNS)
    placeholder = signed_in.locator("table#adsTable tbody tr")
    expect(placeholder).to_have_text(["No data available in table"])
    other = campaign(sandbox, "gay")
    with_ads(sandbox, other, 3)
    signed_in.goto(f"{sandbox.app_url}/campaign/{other['id']}/ad-settings#section_adSpecs")
    info(signed_in).to_have_text("Showing 1 to 3 of 3 entries")
    cells = signed_in.locator("table#adsTable tbody td.dtc_bannerId")
    expect(cells).to_have_text(["1000012340", "1000012350", "1000012360"])
    expect(signed_in.locator("table#adsTable tbody input.tableCheckbox")).to_have_count(3)


def test_select2_sets_the_page_length_over_a_hidden_select(
    signed_in: Page, sandbox: Sandbox
) -> None:
    # A guide closed while the list is open closes the list too (a click outside it): the tool
    # reopens it (campaign_pages.show_rows, tested with guides on every page); this test is
    # about the widget's markup, so no guide comes.
    sandbox.switches(tour_overlay="off")
    target = campaign(sandbox)
    with_ads(sandbox, target, 118)
    open_ad_settings(signed_in, sandbox, target)
    info(signed_in).to_have_text("Showing 1 to 10 of 118 entries")
    hidden = signed_in.locator('select[name="dt-length-1"]')
    expect(hidden).to_have_class("select2-hidden-accessible")
    expect(hidden).to_have_attribute("aria-hidden", "true")
    expect(signed_in.locator('select[name="adsTable_length"]')).to_have_count(0)
    widget = signed_in.locator("span#select2-dt-length-1-container")
    widget.click()
    options = signed_in.locator("li.select2-results__option")
    expect(options).to_have_text(["10", "25", "50", "100", "All"])
    options.filter(has_text=re.compile(r"^100$")).click()
    info(signed_in).to_have_text("Showing 1 to 100 of 118 entries")
    expect(widget).to_have_text("100")
    expect(signed_in.locator('select[name="dt-length-1"]')).to_have_value("100")
    widget.click()
    options.filter(has_text="All").click()
    info(signed_in).to_have_text("Showing 1 to 118 of 118 entries")
    expect(signed_in.locator("table#adsTable tbody tr")).to_have_count(118)


def test_the_plain_variant_has_a_visible_length_select(signed_in: Page, sandbox: Sandbox) -> None:
    sandbox.switches(page_length="plain")
    target = campaign(sandbox)
    with_ads(sandbox, target, 30)
    open_ad_settings(signed_in, sandbox, target)
    expect(signed_in.locator("span#select2-dt-length-1-container")).to_have_count(0)
    signed_in.locator('select[name="adsTable_length"]').select_option("25")
    info(signed_in).to_have_text("Showing 1 to 25 of 30 entries")


def test_a_valid_csv_previews_in_the_modal_and_creates_its_ads_without_navigating(
    signed_in: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    pairs = native_library(sandbox, 12)
    target = campaign(sandbox)
    open_ad_settings(signed_in, sandbox, target)
    info(signed_in).to_have_text("Showing 0 to 0 of 0 entries")
    expect(signed_in.locator("#massAdsCsv")).to_be_hidden()  # until the CSV mode is chosen
    navigations = count_navigations(signed_in)
    choose_csv(signed_in, native_csv(tmp_path / "native.csv", pairs))
    preview = signed_in.get_by_role("button", name="Create CSV Preview")
    expect(preview).to_be_enabled()
    preview.click()
    modal = signed_in.locator("#csvPreviewModal")
    expect(modal).to_have_class(re.compile(r"\bshow\b"))
    expect(modal.locator("tbody tr")).to_have_count(12)
    page_button = signed_in.locator("button.create-ads-from-csv-button")
    expect(page_button).to_have_class(re.compile(r"\bd-none\b"))  # while the modal is open
    modal.locator("button.confirmAds").click()
    expect(modal).to_be_hidden()
    info(signed_in).to_have_text("Showing 1 to 10 of 12 entries")
    assert navigations == []
    (held,) = sandbox.truth()["campaigns"]
    assert [ad["creative_ids"] for ad in held["ads"]] == [list(p) for p in pairs]
    assert [ad["name"] for ad in held["ads"]] == [f"Ad {n}" for n in range(1, 13)]


def test_the_page_button_variant_confirms_without_a_modal(
    signed_in: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.switches(csv_confirm="page_button")
    pairs = native_library(sandbox, 3)
    target = campaign(sandbox)
    open_ad_settings(signed_in, sandbox, target)
    navigations = count_navigations(signed_in)
    choose_csv(signed_in, native_csv(tmp_path / "three.csv", pairs))
    page_button = signed_in.get_by_role("button", name="Create ad(s)")
    expect(page_button).to_be_hidden()
    signed_in.get_by_role("button", name="Create CSV Preview").click()
    expect(page_button).to_be_visible()
    expect(signed_in.locator("#csvPreviewModal")).to_have_count(0)
    page_button.click()
    info(signed_in).to_have_text("Showing 1 to 3 of 3 entries")
    assert navigations == []
    assert len(sandbox.truth()["campaigns"][0]["ads"]) == 3


def test_refused_creatives_are_named_only_in_the_banner_text(
    signed_in: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    pairs = native_library(sandbox, 4)
    wrong = [pairs[1][0], pairs[3][1]]
    sandbox.control("creative_category", {"ids": wrong, "content_category": "gay"})
    target = campaign(sandbox)
    open_ad_settings(signed_in, sandbox, target)
    choose_csv(signed_in, native_csv(tmp_path / "mixed.csv", pairs))
    banner = signed_in.get_by_role("alert").filter(has_text="At least one issue was detected")
    expect(banner).to_contain_text(BANNER_HEADING)
    expect(banner).to_contain_text(
        "You can only use creatives that match with the campaign content category you selected. "
        f"The following creatives are not valid: {wrong[0]}, {wrong[1]}"
    )
    attributes = banner.evaluate(
        "b => [b, ...b.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.value))"
    )
    assert not [value for value in attributes if str(wrong[0]) in value]
    expect(signed_in.get_by_role("button", name="Create CSV Preview")).to_be_disabled()
    assert sandbox.truth()["campaigns"][0]["ads"] == []


def test_unknown_creative_ids_are_listed(signed_in: Page, sandbox: Sandbox, tmp_path: Path) -> None:
    pairs = [*native_library(sandbox, 2), (1999999990, 1999999980)]
    target = campaign(sandbox)
    open_ad_settings(signed_in, sandbox, target)
    choose_csv(signed_in, native_csv(tmp_path / "unknown.csv", pairs))
    expect(signed_in.get_by_role("alert")).to_contain_text(
        "The following creatives were not found in your media library: 1999999990, 1999999980"
    )


def test_the_shortfall_switch_creates_fewer_ads_than_confirmed(
    signed_in: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    pairs = native_library(sandbox, 5)
    target = campaign(sandbox)
    sandbox.switches(mass_create_shortfall=2)
    open_ad_settings(signed_in, sandbox, target)
    choose_csv(signed_in, native_csv(tmp_path / "five.csv", pairs))
    signed_in.get_by_role("button", name="Create CSV Preview").click()
    signed_in.locator("#csvPreviewModal button.confirmAds").click()
    expect(signed_in.locator("#massCreateStatus")).to_contain_text("5 ad(s) submitted")
    info(signed_in).to_have_text("Showing 1 to 3 of 3 entries")
    assert len(sandbox.truth()["campaigns"][0]["ads"]) == 3


def test_an_error_after_creating_still_leaves_the_ads(
    signed_in: Page, sandbox: Sandbox, tmp_path: Path
) -> None:
    pairs = native_library(sandbox, 2)
    target = campaign(sandbox)
    sandbox.switches(after_mass_create="error")
    open_ad_settings(signed_in, sandbox, target)
    choose_csv(signed_in, native_csv(tmp_path / "two.csv", pairs))
    signed_in.get_by_role("button", name="Create CSV Preview").click()
    with signed_in.expect_response(re.compile(r"/mass-create$")) as answer:
        signed_in.locator("#csvPreviewModal button.confirmAds").click()
    assert answer.value.status == 500
    expect(signed_in.locator("#massCreateStatus")).to_contain_text("error")
    assert len(sandbox.truth()["campaigns"][0]["ads"]) == 2


def test_the_template_download_has_the_campaigns_header(sandbox: Sandbox) -> None:
    made = sandbox.seed(campaigns=[{"name": "P", "content_category": "straight",
                                    "ad_format": "preroll"}])["campaigns"][0]  # fmt: skip
    answer = httpx.get(f"{sandbox.app_url}/ad/mass-action/{made['id']}/template", trust_env=False)
    assert answer.status_code == 200
    assert answer.text.splitlines()[0].startswith("Ad Name,Target URL,Creative ID,Custom CTA Text")
