"""Dropzone uploads: previews, silent duplicate drops, the tab that is open, and every rejection."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from automation.sandbox.tj_library import processing_seconds
from tests.fixtures.media import MediaFactory
from tests.fixtures.sandbox import Sandbox
from tests.sandbox.conftest import card_ids, open_library, show_tab

pytestmark = pytest.mark.browser
SUCCESS = "div.dz-preview.dz-success.dz-complete"
ERROR = "div.dz-preview.dz-error"


def upload(page: Page, files: list[Path]) -> None:
    """Open the Dropzone and set the files on its hidden input."""
    page.locator("button#newImage").click()
    page.locator('input[type="file"]').set_input_files(files)


def test_ten_files_at_once_make_ten_cards_with_their_names(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    files = [
        media["image"](f"IMG_EN_Test_{i:02d}_ID-0000000{i}-IMG.png", width=640, height=360, seed=i)
        for i in range(10)
    ]
    open_library(signed_in, sandbox, "native", native="0")
    upload(signed_in, files)
    expect(signed_in.locator(SUCCESS)).to_have_count(10)
    names = signed_in.locator("div.dz-preview [data-dz-name]").all_inner_texts()
    assert sorted(names) == sorted(f.name for f in files)
    expect(signed_in.locator("div.processingMessage")).to_be_hidden()
    expect(signed_in.locator("div.creativeContainer")).to_have_count(10)  # no reload needed
    shown = signed_in.locator("label.creativeName").all_inner_texts()
    assert sorted(shown) == sorted(f.stem for f in files)
    truth = sandbox.truth()["creatives"]
    assert {(c["tab"], c["native_type"], c["dimensions"], c["file_type"]) for c in truth} == {
        ("native", "native_static", "640x360", ".png")
    }
    assert {c["status"] for c in truth} == {"pending"}


def test_a_name_already_in_the_tab_succeeds_but_makes_no_card(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    first = media["image"]("first/Banner_A.png", width=300, height=250, seed=1)
    again = media["image"]("again/Banner_A.png", width=300, height=250, seed=2)
    open_library(signed_in, sandbox, "static_banner")
    upload(signed_in, [first])
    expect(signed_in.locator(SUCCESS)).to_have_count(1)
    expect(signed_in.locator("div.creativeContainer")).to_have_count(1)
    upload(signed_in, [again])
    expect(signed_in.locator(SUCCESS)).to_have_count(2)
    expect(signed_in.locator(ERROR)).to_have_count(0)
    expect(signed_in.locator("div.processingMessage")).to_be_hidden()
    signed_in.reload()
    expect(signed_in.locator("div.creativeContainer")).to_have_count(1)
    assert len(sandbox.truth()["creatives"]) == 1


def test_uploads_land_in_the_tab_open_on_the_page(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    native_image = media["image"]("IMG_Pair_ID-1234ABCD-IMG.png", width=640, height=360)
    open_library(signed_in, sandbox, "static_banner")  # the wrong tab for a native image
    upload(signed_in, [native_image])
    expect(signed_in.locator(SUCCESS)).to_have_count(1)
    show_tab(signed_in, "native", native="0")  # in-page: the upload area stays as it was
    upload(signed_in, [native_image])  # the same name in another tab is another creative
    expect(signed_in.locator(SUCCESS)).to_have_count(2)
    expect(signed_in.locator("div.creativeContainer")).to_have_count(1)
    places = sorted((c["tab"], c["native_type"] or "") for c in sandbox.truth()["creatives"])
    assert places == [("native", "native_static"), ("static_banner", "")]


def test_native_videos_go_to_the_rollover_sub_type_when_it_is_chosen(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    video = media["video"]("VID_Pair_4sec_ID-1234ABCD-VID.mp4", width=640, height=360, seconds=2)
    open_library(signed_in, sandbox, "native", native="1")
    upload(signed_in, [video])
    expect(signed_in.locator(SUCCESS)).to_have_count(1)
    (creative,) = sandbox.truth()["creatives"]
    assert (creative["native_type"], creative["creative_type"]) == ("native_rollover", "video")
    assert creative["name"] == video.stem
    assert creative["duration_s"] == pytest.approx(2.0, abs=0.2)


def _renamed(path: Path, name: str) -> Path:
    return path.rename(path.with_name(name))


Make = Callable[[dict[str, MediaFactory]], Path]
REJECTIONS: list[tuple[str, str, str, Make, str]] = [
    ("in_stream_too_short", "in_stream_video", "",
     lambda m: m["video"]("short.mp4", width=320, height=180, seconds=3, audio=False),
     "must be 5 to 31 seconds long"),
    ("in_stream_too_long", "in_stream_video", "",
     lambda m: m["video"]("long.mp4", width=160, height=90, seconds=33, fps=5, audio=False),
     "must be 5 to 31 seconds long"),
    ("native_image_over_300000_bytes", "native", "0",
     lambda m: m["image"]("noisy.png", width=640, height=360, noisy=True),
     "at most 300,000 bytes"),
    ("native_image_not_640x360", "native", "0",
     lambda m: m["image"]("big.png", width=800, height=600),
     "must be 640x360; this file is 800x600"),
    ("native_video_not_640x360", "native", "1",
     lambda m: m["video"]("wide.mp4", width=1280, height=720, seconds=1, audio=False),
     "must be 640x360; this file is 1280x720"),
    ("image_in_a_video_tab", "in_stream_video", "",
     lambda m: m["image"]("still.png"), "can't upload files of this type"),
    ("video_in_native_static", "native", "0",
     lambda m: m["video"]("clip.mp4", width=640, height=360, seconds=1, audio=False),
     "can't upload files of this type"),
    ("bytes_that_are_not_a_video", "in_stream_video", "",
     lambda m: m["corrupt"]("broken.mp4"), "could not be read as a video"),
    ("png_bytes_named_jpg", "static_banner", "",
     lambda m: _renamed(m["image"]("liar.png"), "liar.jpg"),
     "does not match its extension .jpg"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("tab", "native", "make", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in REJECTIONS],
)
def test_each_rule_rejects_with_a_dz_error_and_its_message(
    signed_in: Page,
    sandbox: Sandbox,
    media: dict[str, MediaFactory],
    tab: str,
    native: str,
    make: Make,
    message: str,
) -> None:
    bad = make(media)
    open_library(signed_in, sandbox, tab, native=native)
    upload(signed_in, [bad])
    preview = signed_in.locator(ERROR)
    expect(preview).to_have_count(1)
    expect(preview.locator("div.dz-error-message")).to_contain_text(message)
    expect(preview).not_to_have_class("dz-success")
    assert sandbox.truth()["creatives"] == []


def test_the_reject_name_switch_refuses_that_file_only(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    sandbox.switches(reject_name="Refused_Banner")
    files = [media["image"]("Refused_Banner.png"), media["image"]("Fine_Banner.png")]
    open_library(signed_in, sandbox, "static_banner")
    upload(signed_in, files)
    refused = signed_in.locator(ERROR)
    expect(refused).to_have_count(1)
    expect(refused.locator("[data-dz-name]")).to_have_text("Refused_Banner.png")
    expect(refused.locator("div.dz-error-message")).to_contain_text("rejected")
    expect(signed_in.locator(SUCCESS)).to_have_count(1)
    assert [c["name"] for c in sandbox.truth()["creatives"]] == ["Fine_Banner"]


def test_the_processing_message_shows_while_the_request_is_slow(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    sandbox.switches(processing_delay_ms=1500)
    open_library(signed_in, sandbox, "static_banner")
    upload(signed_in, [media["image"]("Slow_Banner.png")])
    expect(signed_in.locator("div.processingMessage")).to_be_visible()
    expect(signed_in.locator("div.dz-preview.dz-processing")).to_have_count(1)
    expect(signed_in.locator(SUCCESS)).to_have_count(1)
    expect(signed_in.locator("div.processingMessage")).to_be_hidden()


def test_an_upload_after_the_session_ended_fails_in_its_preview(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    open_library(signed_in, sandbox, "static_banner")
    sandbox.switches(expire_sessions_now=True)
    upload(signed_in, [media["image"]("Late_Banner.png")])
    expect(signed_in.locator(f"{ERROR} div.dz-error-message")).to_contain_text(
        "session has expired"
    )
    assert sandbox.truth()["creatives"] == []


def test_server_errors_on_the_upload_route_show_as_dz_errors(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    open_library(signed_in, sandbox, "static_banner")
    sandbox.switches(error_rate=1.0, error_routes=["/media-library/upload"])
    upload(signed_in, [media["image"]("Unlucky_Banner.png")])
    expect(signed_in.locator(f"{ERROR} div.dz-error-message")).to_have_text(
        "Server responded with 500 code."
    )
    assert sandbox.truth()["creatives"] == []


def test_new_cards_show_on_page_one_of_the_open_tab_once_processed_without_a_reload(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    sandbox.seed(13, tabs=["video_banner"])
    files = [
        media["video"](f"Clip_{i}.mp4", width=320, height=180, seconds=1, audio=False, seed=i)
        for i in range(2)
    ]
    open_library(signed_in, sandbox, "video_banner")
    signed_in.locator("#creativesTable a.page-link", has_text="Next").click()
    expect(signed_in.locator("li.page-item.active")).to_have_text("2")
    signed_in.evaluate("() => { window.__sameDocument = true; }")
    upload(signed_in, files)
    expect(signed_in.locator(SUCCESS)).to_have_count(2)
    expect(signed_in.locator("li.page-item.active")).to_have_text("1")
    expect(signed_in.locator("label.creativeName").first).to_have_text(re.compile(r"Clip_\d"))
    expect(signed_in.locator("div.processingMessage")).to_be_hidden()
    newest = [c["id"] for c in sandbox.truth()["creatives"]][:12]
    assert card_ids(signed_in) == newest
    assert signed_in.evaluate("() => window.__sameDocument === true"), "no page load happened"


def test_a_file_is_processed_for_a_while_before_its_card_shows(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    sandbox.switches(processing="long")
    open_library(signed_in, sandbox, "static_banner")
    upload(signed_in, [media["image"]("Big_Banner.png")])
    expect(signed_in.locator(SUCCESS)).to_have_count(1)
    expect(signed_in.locator("div.processingMessage.customMessage")).to_be_visible()
    (creative,) = sandbox.truth()["creatives"]
    assert creative["ready_at"] > time.time() + 30, "a long processing takes a minute or so"
    signed_in.reload()
    expect(signed_in.locator("a#static_tab")).to_have_class("tab active")
    expect(signed_in.locator("div.creativeContainer")).to_have_count(0)


def test_processing_takes_longer_for_bigger_files() -> None:
    small = processing_seconds("seconds", 50_000, None)
    assert 0.2 < small < 1.5, "about a second for a test-sized file"
    assert processing_seconds("seconds", 20_000_000, 30.0) > 10 * small
    assert processing_seconds("long", 50_000, None) >= 60


def test_a_name_from_another_tab_is_dropped_when_duplicates_are_library_wide(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    sandbox.switches(duplicate_scope="library")
    image = media["image"]("IMG_Pair_ID-5678ABCD-IMG.png", width=640, height=360)
    open_library(signed_in, sandbox, "static_banner")
    upload(signed_in, [image])
    expect(signed_in.locator(SUCCESS)).to_have_count(1)
    show_tab(signed_in, "native", native="0")
    upload(signed_in, [image])
    expect(signed_in.locator(SUCCESS)).to_have_count(2)
    expect(signed_in.locator(ERROR)).to_have_count(0)
    places = [(c["tab"], c["name"]) for c in sandbox.truth()["creatives"]]
    assert places == [("static_banner", image.stem)]


def test_no_content_category_picker_unless_switched_on(signed_in: Page, sandbox: Sandbox) -> None:
    open_library(signed_in, sandbox)
    signed_in.locator("button#newImage").click()
    expect(signed_in.locator("#uploadArea")).to_be_visible()
    expect(signed_in.locator("select#contentCategory")).to_have_count(0)
    sandbox.switches(category_picker=True)
    signed_in.reload()
    signed_in.locator("button#newImage").click()
    expect(signed_in.locator("select#contentCategory")).to_be_visible()


def test_the_input_takes_ten_files_at_a_time(
    signed_in: Page, sandbox: Sandbox, media: dict[str, MediaFactory]
) -> None:
    files = [media["image"](f"Many_{i:02d}.png", seed=i) for i in range(11)]
    open_library(signed_in, sandbox, "static_banner")
    upload(signed_in, files)
    expect(signed_in.locator(SUCCESS)).to_have_count(10)
    refused = signed_in.locator(ERROR)
    expect(refused).to_have_count(1)
    expect(refused.locator("[data-dz-name]")).to_have_text("Many_10.png")
    expect(refused.locator("div.dz-error-message")).to_contain_text("more than 10 files")
    expect(signed_in.locator("div.creativeContainer")).to_have_count(10)
    assert len(sandbox.truth()["creatives"]) == 10
