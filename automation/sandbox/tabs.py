"""The sandbox media library's tabs and what each one accepts (data, not code)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif")
VIDEO_EXTENSIONS = (".mp4",)


@dataclass(frozen=True)
class Tab:
    """Where a creative lives: a page tab plus, for Native, a sub-type."""

    key: str  # the place as one word: "native_rollover", "in_stream_video", ...
    tab: str  # the page tab: "static_banner", "video_banner", "in_stream_video", "native", ...
    native_type: str | None  # "native_static" / "native_rollover" inside the Native tab
    label: str
    creative_type: str  # "image" or "video"
    extensions: tuple[str, ...]


TABS: dict[str, Tab] = {
    t.key: t
    for t in (
        Tab("static_banner", "static_banner", None, "Static Banner", "image", IMAGE_EXTENSIONS),
        Tab("video_banner", "video_banner", None, "Video Banners", "video", VIDEO_EXTENSIONS),
        Tab("in_stream_video", "in_stream_video", None, "In-Stream Video", "video", (".mp4",)),
        Tab("native_static", "native", "native_static", "Native Static Banner", "image",
            (".png", ".jpg", ".jpeg")),
        Tab("native_rollover", "native", "native_rollover", "Native Rollover", "video", (".mp4",)),
        Tab("short_video", "short_video", None, "Short Video", "video", (".mp4",)),
    )
}  # fmt: skip


@dataclass(frozen=True)
class PageTab:
    """One tab link on the media-library page: its id, its in-page anchor and its text."""

    tab: str
    link_id: str
    anchor: str  # the href="#..." of the in-page form
    label: str


STATIC_TAB = PageTab("static_banner", "static_tab", "static", "Static Banner")
VIDEO_TAB = PageTab("video_banner", "video_tab", "video", "Video Banners")
NATIVE_TAB = PageTab("native", "native_tab", "native", "Native")
# The In-Stream tab in each form the evidence shows (switch `instream_tab`).
INSTREAM_TABS = {
    "instream": PageTab("in_stream_video", "instream_tab", "instream", "In-Stream"),
    "in_stream_video": PageTab(
        "in_stream_video", "in_stream_video_tab", "in_stream_video", "In-Stream Video"
    ),
}
SHORT_VIDEO_TAB = PageTab("short_video", "short_video_tab", "short_video", "Short Video")


def page_tabs(switches: dict[str, Any]) -> list[PageTab]:
    """The tab links the page shows under these switches, in page order."""
    tabs = [STATIC_TAB, VIDEO_TAB, INSTREAM_TABS[switches["instream_tab"]], NATIVE_TAB]
    if switches["short_video_tab"]:
        tabs.append(SHORT_VIDEO_TAB)
    return tabs


# The native sub-type radios: value attribute -> sub-type.
NATIVE_TYPE_VALUES = {"0": "native_static", "1": "native_rollover"}
CONTENT_CATEGORIES = ("straight", "gay", "trans")


def tab_for(tab: str, native_type: str | None = None) -> Tab:
    """The Tab for a page tab (and native sub-type, which defaults to static)."""
    if tab == "native":
        return TABS[native_type or "native_static"]
    if tab not in TABS:
        raise KeyError(f"unknown tab {tab!r}; one of {', '.join(TABS)}")
    return TABS[tab]
