"""The media library: tabs, creative cards (12 a page, newest first) and the Dropzone upload."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import flask

from automation.sandbox.app import state_of
from automation.sandbox.shell import current_user, logged_out_json, render_page
from automation.sandbox.tabs import CONTENT_CATEGORIES, NATIVE_TYPE_VALUES, PAGE_TABS, Tab, tab_for
from automation.sandbox.upload_rules import UploadRejected, check_upload

blueprint = flask.Blueprint("tj_library", __name__)
CARDS_PER_PAGE = 12


def _place_from(values: Any) -> Tab:
    """The place a request points at: its tab and, in Native, the sub-type (0/1)."""
    tab = values.get("tab") or "static_banner"
    native_type = NATIVE_TYPE_VALUES.get(str(values.get("native_type", "0")), "native_static")
    try:
        return tab_for(tab, native_type)
    except KeyError:
        flask.abort(400, f"unknown tab {tab!r}")


def _page_numbers(page: int, pages: int) -> list[int]:
    """A short window of page numbers around the current one."""
    first = max(1, min(page - 2, pages - 4))
    return list(range(first, min(pages, first + 4) + 1))


@blueprint.get("/media-library")
def media_library() -> str:
    place = _place_from(flask.request.args)
    creatives = state_of().creatives(place)
    pages = max(1, math.ceil(len(creatives) / CARDS_PER_PAGE))
    page = min(max(1, flask.request.args.get("page", 1, type=int) or 1), pages)
    shown = creatives[(page - 1) * CARDS_PER_PAGE : page * CARDS_PER_PAGE]
    return render_page(
        "media_library.html",
        "Media Library",
        place=place,
        page_tabs=PAGE_TABS,
        cards=shown,
        total=len(creatives),
        first_index=(page - 1) * CARDS_PER_PAGE + 1 if shown else 0,
        page=page,
        pages=pages,
        page_numbers=_page_numbers(page, pages),
        native_value="1" if place.native_type == "native_rollover" else "0",
        categories=CONTENT_CATEGORIES,
    )


@blueprint.post("/media-library/upload")
def upload() -> tuple[flask.Response, int]:
    """One file from the Dropzone; a name already in the tab succeeds without a new creative."""
    if current_user() is None:
        return logged_out_json()
    state = state_of()
    switches = state.switches()
    if switches["processing_delay_ms"]:
        time.sleep(float(switches["processing_delay_ms"]) / 1000)
    upload = flask.request.files.get("file")
    if upload is None or not upload.filename:
        return flask.jsonify(error="No file was received."), 400
    place = _place_from(flask.request.form)
    data = upload.read()
    try:
        measured = check_upload(place, upload.filename, data, switches["reject_name"])
    except UploadRejected as exc:
        return flask.jsonify(error=str(exc)), 400
    category = flask.request.form.get("content_category", "straight")
    state.add_creative(
        place,
        Path(upload.filename).stem,
        dimensions=measured.dimensions,
        file_type=Path(upload.filename).suffix.lower(),
        size_bytes=len(data),
        duration_s=measured.duration_s,
        content_category=category if category in CONTENT_CATEGORIES else "straight",
    )  # None for a duplicate name: the platform drops it silently, and says "success" anyway
    return flask.jsonify(status="success"), 200
