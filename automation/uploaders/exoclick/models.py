"""What the ExoClick API returns, as typed records (ids are integers on ExoClick)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracking.library_cache import LibraryEntry

# The API's review states -> ours (tracking.schemas.ReviewStatus values).
REVIEW_STATUS = {
    "pending": "pending",
    "in_review": "pending",
    "approved": "approved",
    "active": "approved",
    "rejected": "rejected",
    "declined": "rejected",
}
MIME_EXTENSIONS = {"image/gif": ".gif", "image/png": ".png", "image/jpeg": ".jpg",
                   "video/mp4": ".mp4"}  # fmt: skip


@dataclass(frozen=True)
class ExoFile:
    """A file in the ExoClick media library. `type` is image, video or video_banner."""

    id: int
    name: str
    type: str
    status: str = ""
    size: int = 0
    width: int | None = None
    height: int | None = None
    mime_type: str = ""
    created_at: str = ""

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> ExoFile:
        return cls(
            id=int(item["id"]),
            name=str(item.get("name", "")),
            type=str(item.get("type", "")),
            status=str(item.get("status", "")),
            size=int(item.get("size") or 0),
            width=int(item["width"]) if item.get("width") else None,
            height=int(item["height"]) if item.get("height") else None,
            mime_type=str(item.get("mime_type", "")),
            created_at=str(item.get("created_at", "")),
        )

    @property
    def review_status(self) -> str:
        return REVIEW_STATUS.get(self.status.lower(), self.status.lower())

    def to_entry(self) -> LibraryEntry:
        """The library-cache row of this file (`creative_type` = the library type)."""
        dims = f"{self.width}x{self.height}" if self.width and self.height else ""
        return LibraryEntry(
            creative_id=str(self.id),
            filename=self.name,
            upload_date=self.created_at[:10],
            dimensions=dims,
            file_type=MIME_EXTENSIONS.get(self.mime_type, ""),
            creative_type=self.type,
            review_status=self.review_status,
        )


@dataclass(frozen=True)
class ExoCampaign:
    """A campaign; `format` tells which file types its variations take."""

    id: int
    name: str
    format: str = ""
    status: str = ""

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> ExoCampaign:
        return cls(
            id=int(item["id"]),
            name=str(item.get("name", "")),
            format=str(item.get("format", "")),
            status=str(item.get("status", "")),
        )


@dataclass(frozen=True)
class ExoVariation:
    """An ad of a campaign, made from one library file."""

    id: int
    campaign_id: int
    file_id: int
    description: str = ""
    url: str = ""
    status: str = ""

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> ExoVariation:
        return cls(
            id=int(item["id"]),
            campaign_id=int(item.get("campaign_id") or 0),
            file_id=int(item["file_id"]),
            description=str(item.get("description", "")),
            url=str(item.get("url", "")),
            status=str(item.get("status", "")),
        )
