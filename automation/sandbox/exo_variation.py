"""Creating a variation (an ad) in the ExoClick sandbox, from a multipart/form-data request.

The fields a public client names: `file`, `idcampaign`, `url`, `name`; banners need their
landing URL registered first (`id_library_url`, doc). Whether an existing library file can be
named by `id_library_file` instead of sending the file is the `variation_file` switch.
"""

from __future__ import annotations

from typing import Any

from flask import request

from automation.sandbox.exo_api import URL_PATTERN, ApiError, current_store, store_upload, variant
from automation.sandbox.exo_store import FORMAT_FILE_TYPES, STATUS_CODES


def _form_int(name: str) -> int | None:
    raw = request.form.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(str(raw))
    except ValueError:
        raise ApiError(400, f"{name} must be an integer") from None


def _landing(fmt: str) -> tuple[int | None, str]:
    """The landing URL: `id_library_url` (required for banners) and/or `url`."""
    url_id, url = _form_int("id_library_url"), request.form.get("url", "")
    if url_id is not None:
        found = current_store().url(url_id)
        if found is None:
            raise ApiError(422, f"id_library_url {url_id} is not in the library")
        url = url or str(found["url"])
    elif fmt == "display":
        raise ApiError(400, "id_library_url is required for banners: POST /library/url first")
    if not URL_PATTERN.match(url):
        raise ApiError(400, "url must be an http or https URL")
    return url_id, url


def _library_file(file_id: int) -> dict[str, Any]:
    found = current_store().file(file_id)
    if found is None:
        raise ApiError(422, f"id_library_file {file_id} is not in the library")
    if found["status"] == STATUS_CODES["rejected"]:
        raise ApiError(422, f"File {file_id} was rejected in review")
    return found


def _sent_file(fmt: str) -> dict[str, Any]:
    """The multipart `file`, stored in the library as the type the campaign's format takes."""
    upload = request.files.get("file")
    is_mp4 = upload is not None and (upload.filename or "").lower().endswith(".mp4")
    file_type = {"instream": "video", "native": "image"}.get(fmt) or (
        "video_banner" if is_mp4 else "image"
    )
    return store_upload(file_type)


def _the_file(fmt: str) -> dict[str, Any]:
    by_id = _form_int("id_library_file")
    if "file" in request.files or variant("variation_file") != "library_id":
        if "file" not in request.files:
            raise ApiError(400, "file is required (multipart field 'file')")
        return _sent_file(fmt)
    if by_id is None:
        raise ApiError(400, "file or id_library_file is required")
    return _library_file(by_id)


def variation_from_form(campaign_id: int) -> dict[str, Any]:
    """Check the form as the API would and create the variation; ApiError says what is wrong."""
    if _form_int("idcampaign") != campaign_id:
        raise ApiError(400, f"idcampaign is required and must be {campaign_id}")
    name = request.form.get("name", "").strip()
    if not name:
        raise ApiError(400, "name is required")
    fmt = current_store().campaign_format(campaign_id) or "display"
    url_id, url = _landing(fmt)
    file = _the_file(fmt)
    allowed = FORMAT_FILE_TYPES[fmt]
    if file["type"] not in allowed:
        raise ApiError(
            422,
            f"File {file['id']} is a {file['type']} file; campaign {campaign_id} takes "
            f"{', '.join(allowed)}",
        )
    return current_store().add_variation(campaign_id, file, url_id, name[:64], url)
