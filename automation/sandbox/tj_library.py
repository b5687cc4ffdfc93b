"""The media library: tabs, native sub-types and pages that reload the card table in-page (or, as
a variant, by full page loads), 12 cards a page newest first, and the Dropzone upload.

An accepted file is processed for a while (longer for bigger files) before its card shows; the
page then redraws page 1 of the open tab without a reload.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import flask

from automation.sandbox.app import state_of
from automation.sandbox.shell import current_user, logged_out_json, render_page
from automation.sandbox.tabs import (
    CONTENT_CATEGORIES,
    NATIVE_TYPE_VALUES,
    TABS,
    Tab,
    page_tabs,
    tab_for,
)
from automation.sandbox.upload_rules import UploadRejected, check_upload

blueprint = flask.Blueprint("tj_library", __name__)
CARDS_PER_PAGE = 12
# Processing time per `processing` switch value: seconds, plus per MB, plus per second of video.
PROCESSING_RATES: dict[str, tuple[float, float, float]] = {
    "seconds": (0.5, 1.0, 0.05),
    "long": (60.0, 5.0, 1.0),
}


def _in_page(switches: dict[str, Any]) -> bool:
    return bool(switches["tab_navigation"] == "xhr")


def _place_from(values: Any, switches: dict[str, Any]) -> Tab:
    """The place a request points at: its tab and, in Native, the sub-type (0/1)."""
    tab = values.get("tab") or "static_banner"
    native_type = NATIVE_TYPE_VALUES.get(str(values.get("native_type", "0")), "native_static")
    if tab == "short_video" and not switches["short_video_tab"]:
        flask.abort(404, "this library has no Short Video tab")
    try:
        return tab_for(tab, native_type)
    except KeyError:
        flask.abort(400, f"unknown tab {tab!r}")


def _page_numbers(page: int, pages: int) -> list[int]:
    """A short window of page numbers around the current one."""
    first = max(1, min(page - 2, pages - 4))
    return list(range(first, min(pages, first + 4) + 1))


def _table(place: Tab, page: int, switches: dict[str, Any]) -> dict[str, Any]:
    """What the card table shows: one page of the place's processed creatives."""
    creatives = state_of().creatives(place, processed=True)
    pages = max(1, math.ceil(len(creatives) / CARDS_PER_PAGE))
    page = min(max(1, page), pages)
    shown = creatives[(page - 1) * CARDS_PER_PAGE : page * CARDS_PER_PAGE]
    return {
        "place": place,
        "cards": shown,
        "total": len(creatives),
        "first_index": (page - 1) * CARDS_PER_PAGE + 1 if shown else 0,
        "page": page,
        "pages": pages,
        "page_numbers": _page_numbers(page, pages),
        "native_value": "1" if place.native_type == "native_rollover" else "0",
        "in_page": _in_page(switches),
    }


def _upload_places() -> dict[str, dict[str, str]]:
    """Per place key ("static_banner", ..., "native_0", "native_1"): the upload area's label
    and the extensions its file input accepts."""
    values = {sub_type: value for value, sub_type in NATIVE_TYPE_VALUES.items()}
    places = {}
    for tab in TABS.values():
        key = f"native_{values[tab.native_type]}" if tab.native_type else tab.tab
        places[key] = {"label": tab.label, "accept": ",".join(tab.extensions)}
    return places


@blueprint.get("/media-library")
def media_library() -> str:
    """The library page. In the in-page form a load always shows Static Banner, page 1."""
    switches = state_of().switches()
    args = {} if _in_page(switches) else flask.request.args
    page = 1 if _in_page(switches) else flask.request.args.get("page", 1, type=int) or 1
    return render_page(
        "media_library.html",
        "Media Library",
        page_tabs=page_tabs(switches),
        categories=CONTENT_CATEGORIES,
        category_picker=bool(switches["category_picker"]),
        upload_places=_upload_places(),
        **_table(_place_from(args, switches), page, switches),
    )


@blueprint.get("/media-library/table")
def table() -> Any:
    """The card table of one place and page, for the page's in-page reloads (XHR)."""
    if current_user() is None:
        return logged_out_json()
    switches = state_of().switches()
    place = _place_from(flask.request.args, switches)
    page = flask.request.args.get("page", 1, type=int) or 1
    return flask.render_template("_library_table.html", **_table(place, page, switches))


def processing_seconds(mode: str | float, size_bytes: int, duration_s: float | None) -> float:
    """How long the platform processes a file of this size (and duration) before its card shows.

    `mode` is a `processing` switch value, or a number of seconds for every file (for tests).
    """
    if isinstance(mode, int | float):
        return float(mode)
    base, per_mb, per_second = PROCESSING_RATES[mode]
    return base + per_mb * size_bytes / 1_000_000 + per_second * (duration_s or 0.0)


@blueprint.post("/media-library/upload")
def upload() -> tuple[flask.Response, int]:
    """One file from the Dropzone, accepted for processing; a name that exists is dropped
    silently (a success all the same)."""
    if current_user() is None:
        return logged_out_json()
    state = state_of()
    switches = state.switches()
    if switches["processing_delay_ms"]:
        time.sleep(float(switches["processing_delay_ms"]) / 1000)
    upload = flask.request.files.get("file")
    if upload is None or not upload.filename:
        return flask.jsonify(error="No file was received."), 400
    place = _place_from(flask.request.form, switches)
    data = upload.read()
    try:
        measured = check_upload(place, upload.filename, data, switches["reject_name"])
    except UploadRejected as exc:
        return flask.jsonify(error=str(exc)), 400
    category = flask.request.form.get("content_category", "straight")
    delay = processing_seconds(switches["processing"], len(data), measured.duration_s)
    state.add_creative(
        place,
        Path(upload.filename).stem,
        dimensions=measured.dimensions,
        file_type=Path(upload.filename).suffix.lower(),
        size_bytes=len(data),
        duration_s=measured.duration_s,
        content_category=category if category in CONTENT_CATEGORIES else "straight",
        processing_s=delay,
        duplicate_scope=switches["duplicate_scope"],
    )  # None for a name that exists: dropped silently, processed and "successful" all the same
    return flask.jsonify(status="success", processing_ms=round(delay * 1000)), 200
