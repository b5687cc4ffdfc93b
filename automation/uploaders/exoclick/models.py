"""What the ExoClick API returns, as typed records, read from its real field names.

Library files have `file_name` (the uploaded file's name), `file_extension`, `file_size_*` and an
integer `status`; campaigns have `campaign_type {id, name}` and no format field; variations have
`idvariation` and `idvariations_file` (shared/EXO-API-FACTS.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from automation.errors import PlatformError
from automation.uploaders.exoclick.specs import campaign_format
from tracking.library_cache import LibraryEntry

log = logging.getLogger(__name__)

# ExoClick's status integers -> our review statuses (tracking.schemas.ReviewStatus values). The
# meaning is not published: this one table is the tool's reading, and site-check shows the
# integers an account has. Any other integer is kept raw ("status 7") and logged, never guessed.
REVIEW_STATUS: dict[int, str] = {0: "pending", 1: "approved", 2: "rejected"}
_REPORTED: set[int] = set()


# The fields the tool reads from each kind of answer, with their JSON types: the models below
# read exactly these, and `site-check exoclick` looks for exactly these.
LOGIN_FIELDS = {"token": "string", "expires_in": "integer"}
FILE_FIELDS = {
    "id": "integer",
    "type": "string",
    "file_name": "string",
    "file_extension": "string",
    "file_size_original": "integer",
    "width": "integer",
    "height": "integer",
    "status": "integer",
}
CAMPAIGN_FIELDS = {
    "id": "integer",
    "name": "string",
    "status": "integer",
    "campaign_type": "object",
}
CAMPAIGN_TYPE_FIELDS = {"id": "integer", "name": "string"}
VARIATION_FIELDS = {
    "idvariation": "integer",
    "idvariations_file": "integer",
    "name": "string",
    "url": "string",
    "status": "integer",
}
URL_FIELDS = {"id": "integer"}


def json_type(value: Any) -> str:
    """The JSON type name of a decoded value (integer and number apart)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    kinds = (
        (int, "integer"),
        (float, "number"),
        (str, "string"),
        (list, "array"),
        (dict, "object"),
    )
    return next((name for kind, name in kinds if isinstance(value, kind)), type(value).__name__)


def forget_reported() -> None:
    """A new run reports unknown status integers again."""
    _REPORTED.clear()


def review_status(raw: Any) -> str:
    """Our review status of an API status integer; an unknown one as 'status N'."""
    try:
        code = int(raw)
    except (TypeError, ValueError):
        return f"status {raw}" if raw not in (None, "") else ""
    if code not in REVIEW_STATUS:
        if code not in _REPORTED:  # once per client (run), not once per file
            _REPORTED.add(code)
            log.warning(
                "ExoClick status %d is not in the tool's table; recorded as 'status %d'", code, code
            )
        return f"status {code}"
    return REVIEW_STATUS[code]


def _optional_int(value: Any) -> int | None:
    return int(value) if value not in (None, "", 0) else None


def _status(value: Any) -> int | None:
    """An integer status, or None when the API sent none (or not a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.strip().isdigit() else None


class FieldMissing(PlatformError):
    """An API row lacks a field the tool reads: the API changed."""


def required(item: dict[str, Any], name: str, what: str) -> Any:
    """item[name], or FieldMissing naming the fields the row has instead."""
    if name not in item:
        have = ", ".join(sorted(item)) or "none"
        raise FieldMissing(
            f"ExoClick API: {what} rows have no {name!r} field (they have: {have}); "
            "run 'creative-flow site-check exoclick' and report it"
        )
    return item[name]


@dataclass(frozen=True)
class ExoFile:
    """A file in the ExoClick media library. `type` is image, video or video_banner."""

    id: int
    file_name: str
    type: str
    status: int | None = None
    file_extension: str = ""
    size: int = 0
    width: int | None = None
    height: int | None = None

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> ExoFile:
        return cls(
            id=int(required(item, "id", "library file")),
            file_name=str(required(item, "file_name", "library file")),
            type=str(required(item, "type", "library file")),
            status=_status(item.get("status")),
            file_extension=str(item.get("file_extension") or "").lstrip("."),
            size=int(item.get("file_size_original") or 0),
            width=_optional_int(item.get("width")),
            height=_optional_int(item.get("height")),
        )

    @property
    def review_status(self) -> str:
        return review_status(self.status)

    def to_entry(self) -> LibraryEntry:
        """The library-cache row of this file (`creative_type` = the library type)."""
        dims = f"{self.width}x{self.height}" if self.width and self.height else ""
        return LibraryEntry(
            creative_id=str(self.id),
            filename=self.file_name,
            dimensions=dims,
            file_type=f".{self.file_extension}" if self.file_extension else "",
            creative_type=self.type,
            review_status=self.review_status,
        )


@dataclass(frozen=True)
class ExoCampaign:
    """A campaign; `format` (display, native, instream or '') comes from its campaign_type."""

    id: int
    name: str
    type_name: str = ""
    status: int | None = None

    @property
    def format(self) -> str:
        return campaign_format(self.type_name)

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> ExoCampaign:
        kind = item.get("campaign_type")
        return cls(
            id=int(required(item, "id", "campaign")),
            name=str(item.get("name", "")),
            type_name=str(kind.get("name", "")) if isinstance(kind, dict) else "",
            status=_status(item.get("status")),
        )


@dataclass(frozen=True)
class ExoVariation:
    """An ad of a campaign, made from one library file."""

    id: int
    file_id: int
    name: str = ""
    url: str = ""
    status: int | None = None
    active: int | None = None  # 1 running, 0 paused (by the user, not review)

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> ExoVariation:
        active = item.get("active")
        return cls(
            id=int(required(item, "idvariation", "variation")),
            file_id=int(required(item, "idvariations_file", "variation") or 0),
            name=str(item.get("name") or ""),
            url=str(item.get("url") or ""),
            status=_status(item.get("status")),
            active=None if active in (None, "") else int(active),
        )
