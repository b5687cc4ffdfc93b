"""The ExoClick API v2 as far as the tool needs it: library files, landing URLs, campaigns and
their variations (ads), on the session of transport.py (login, rate limits, retries, paging).

- Library files are listed per type (the API needs one), oldest first.
- A POST that creates something is never blindly repeated after the server may have acted on
  it: `upload_file` looks for the file first (see there).
- A variation is a multipart form; whether the API takes a library file by id or wants the file
  itself, and whether a campaign's variations come inside it or at their own route, is learned
  from its first answers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from automation.uploaders.exoclick.models import (
    ExoCampaign,
    ExoFile,
    ExoVariation,
    required,
)
from automation.uploaders.exoclick.specs import LIBRARY_TYPES
from automation.uploaders.exoclick.transport import (
    ApiSession,
    ExoApiError,
    ExoUnsure,
    RetryPolicy,
    api_message,
)
from tracking.library_cache import library_key

__all__ = ["ExoApiError", "ExoClient", "ExoUnsure", "RetryPolicy", "api_message"]

log = logging.getLogger(__name__)


class ExoClient(ApiSession):
    """The ExoClick API v2 endpoints the tool uses. Use as a context manager."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # How this account takes variations: learned from the first answers.
        self._variations_inside: bool | None = None
        self._send_variation_files: bool | None = None
        self._pause_by_route: bool | None = None

    # -- library --------------------------------------------------------------------------------

    def file_pages(self, file_type: str) -> Iterator[list[ExoFile]]:
        """The library files of one type (the API needs it), page by page, oldest first."""
        params = {"type": file_type, "orderBy": "a:id"}
        for page in self.pages("/library/file", params):
            yield [ExoFile.from_api(item) for item in page]

    def iter_files(self, file_type: str | None = None) -> Iterator[ExoFile]:
        """Every file of one library type, or of every type, oldest first."""
        for each in (file_type,) if file_type else LIBRARY_TYPES:
            for page in self.file_pages(each):
                yield from page

    def upload_file(self, path: Path, file_type: str, *, known_ids: frozenset[int]) -> ExoFile:
        """Upload one file; `known_ids` are the ids its name already has in the library.

        The API takes no name: the stored `file_name` is the uploaded file's name. After an
        answer that leaves it open whether the file was created (5xx, timeout), the library is
        read (after a backoff, so a server still at work can finish): exactly one new file of
        that name and type is the upload's result; none means it is sent again; more than one
        is an error (no id can be proven).
        """
        # Not transport.call_with_retries: every unsure try, the last one too, is followed by a
        # read-back, and the read-back (not the error) decides whether to send again.
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._post_file(path, file_type)
            except ExoUnsure as exc:
                unsure = exc
            self._count_retry()
            self._sleep(self.policy.delay(attempt))  # a server still at work can finish first
            landed = self._landed(path, file_type, known_ids)
            if landed is not None:
                return landed
            if attempt > self.policy.retries:
                raise ExoApiError(f"{path.name}: {unsure}", status=unsure.status)

    def _landed(self, path: Path, file_type: str, known_ids: frozenset[int]) -> ExoFile | None:
        """The one new file of this name an unsure attempt created, None when there is none."""
        key = library_key(path.name)
        found = [f for f in self.iter_files(file_type)
                 if library_key(f.file_name) == key and f.id not in known_ids]  # fmt: skip
        if len(found) > 1:
            ids = ", ".join(str(f.id) for f in found)
            raise ExoApiError(f"{path.name}: several new files with this name ({ids})")
        if found:
            log.info("%s: created despite an unsure answer; id %d", path.name, found[0].id)
            return found[0]
        return None

    def _post_file(self, path: Path, file_type: str) -> ExoFile:
        with path.open("rb") as handle:
            response = self._send(
                "POST", "/library/file", idempotent=False,
                files={"file": (path.name, handle)}, data={"type": file_type},
                timeout=httpx.Timeout(self.upload_timeout_s),
            )  # fmt: skip
        return ExoFile.from_api(response.json())

    def add_url(self, url: str) -> int:
        """Register a landing URL in the library (banners need one); its id."""
        body = self._send("POST", "/library/url", idempotent=False, json={"url": url}).json()
        return int(required(body, "id", "POST /library/url"))

    # -- campaigns ------------------------------------------------------------------------------

    def campaigns(self) -> list[ExoCampaign]:
        """Every campaign of the account."""
        return [ExoCampaign.from_api(i) for page in self.pages("/campaigns") for i in page]

    def variations(self, campaign_id: int) -> list[ExoVariation]:
        """The campaign's variations (its ads): inside GET /campaigns/{id}, or at .../variation."""
        if self._variations_inside is not False:
            body = self.get_json(f"/campaigns/{campaign_id}")
            result = body.get("result") if isinstance(body, dict) else None
            rows = result.get("variations") if isinstance(result, dict) else None
            if isinstance(rows, list):
                self._variations_inside = True
                return [ExoVariation.from_api(i) for i in rows]
            self._variations_inside = False
        path = f"/campaigns/{campaign_id}/variation"
        return [ExoVariation.from_api(i) for page in self.pages(path) for i in page]

    def create_variation(
        self, campaign_id: int, *, name: str, url: str, url_id: int | None, file_id: int,
        path: Path | None,
    ) -> ExoVariation | None:  # fmt: skip
        """Create one variation (ad), multipart, naming library file `file_id`, or sending the
        file at `path` when the API wants the file itself. The variation the API answered
        with, or None when its answer has none (read the campaign back)."""
        form = {"idcampaign": str(campaign_id), "name": name, "url": url}
        if url_id is not None:
            form["id_library_url"] = str(url_id)
        if not self._send_variation_files:
            try:
                return self._post_variation(campaign_id, {**form, "id_library_file": str(file_id)})
            except ExoApiError as exc:
                if exc.status != 400 or path is None or self._send_variation_files is False:
                    raise
                log.info("campaign %d takes no library id (%s); sending the file", campaign_id,
                         exc.api_message)  # fmt: skip
                self._send_variation_files = True
        if path is None:
            raise ExoApiError(f"{name}: ExoClick wants the file itself, and it is not on disk")
        with path.open("rb") as handle:
            return self._post_variation(campaign_id, form, files={"file": (path.name, handle)})

    def _post_variation(
        self, campaign_id: int, form: dict[str, str], files: dict[str, Any] | None = None
    ) -> ExoVariation | None:
        # Every field as a multipart part, so the body is form-data even without a file (the
        # API reads variations from form-data only).
        parts: dict[str, Any] = {k: (None, v) for k, v in form.items()} | (files or {})
        response = self._send(
            "POST", f"/campaigns/{campaign_id}/variation", idempotent=False,
            files=parts, timeout=httpx.Timeout(self.upload_timeout_s),
        )  # fmt: skip
        if files is None and self._send_variation_files is None:
            self._send_variation_files = False
        body = response.json() if response.content else None
        if isinstance(body, dict) and isinstance(body.get("result"), dict):
            body = body["result"]
        if isinstance(body, dict) and "idvariation" in body:
            return ExoVariation.from_api(body)
        return None

    # -- statistics and pausing -----------------------------------------------------------------

    def variation_stats(self, start: date, end: date, timezone: str) -> Iterator[dict[str, Any]]:
        """Each variation's numbers per day (`date`, `variation_id`, impressions, clicks,
        conversions, cost), from POST /statistics/a/global, page by page."""
        query: dict[str, Any] = {
            "group_by": ["date", "variation_id"],
            "filter": {"date_from": start.isoformat(), "date_to": end.isoformat()},
            "timezone": timezone,
        }
        for page in self.pages("/statistics/a/global", query=query):
            yield from page

    def set_variation_active(self, campaign_id: int, variation_id: int, active: bool) -> None:
        """Play (True) or pause (False) one variation: at .../pause and /play, or else by
        updating the variation (learned from the first answer; which one the API has is
        not known)."""
        base = f"/campaigns/{campaign_id}/variation/{variation_id}"
        if self._pause_by_route is not False:
            try:
                self._send("PUT", f"{base}/{'play' if active else 'pause'}")
                self._pause_by_route = True
                return
            except ExoApiError as exc:
                if exc.status not in (404, 405) or self._pause_by_route:
                    raise
                log.info("ExoClick has no %s/pause route (%s); updating instead", base, exc.status)
                self._pause_by_route = False
        self._send("PUT", base, json={"active": 1 if active else 0})
