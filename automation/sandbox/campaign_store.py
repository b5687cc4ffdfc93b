"""Campaigns and their ads in the sandbox, plus validated mass-create CSVs awaiting confirmation."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from automation.sandbox.db import Database

FIRST_CAMPAIGN_ID = 1_004_210
FIRST_AD_ID = 3_000_000_101


@dataclass
class Ad:
    """One ad of a campaign; `fields` is its CSV row as the user wrote it."""

    id: int
    campaign_id: int
    name: str
    target_url: str
    creative_ids: list[int]
    fields: dict[str, str] = field(default_factory=dict)
    created_at: float = 0.0


@dataclass
class Campaign:
    """A campaign; its content category must match every creative its ads use."""

    id: int
    name: str
    content_category: str
    ad_format: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ad(row: Any) -> Ad:
    return Ad(
        id=row["id"], campaign_id=row["campaign_id"], name=row["name"],
        target_url=row["target_url"], creative_ids=json.loads(row["creative_ids"]),
        fields=json.loads(row["fields"]), created_at=float(row["created_at"] or 0),
    )  # fmt: skip


class CampaignStore:
    """The campaign half of SandboxState."""

    db: Database

    def seed_campaign(
        self,
        name: str,
        content_category: str = "straight",
        *,
        campaign_id: int | None = None,
        ad_format: str | None = None,
    ) -> Campaign:
        """Add a campaign (with a given id, or the next one)."""
        with self.db.transaction():
            if campaign_id is None:
                campaign_id = self.db.next_number("next_campaign_id", FIRST_CAMPAIGN_ID, 7)
            self.db.execute(
                "INSERT OR REPLACE INTO campaigns (id, name, content_category, ad_format) "
                "VALUES (?, ?, ?, ?)",
                (int(campaign_id), name, content_category, ad_format),
            )
        return Campaign(int(campaign_id), name, content_category, ad_format)

    def campaign(self, campaign_id: int) -> Campaign | None:
        rows = self.db.query("SELECT * FROM campaigns WHERE id = ?", (campaign_id,))
        if not rows:
            return None
        r = rows[0]
        return Campaign(r["id"], r["name"], r["content_category"], r["ad_format"])

    def campaigns(self) -> list[Campaign]:
        rows = self.db.query("SELECT * FROM campaigns ORDER BY id")
        return [Campaign(r["id"], r["name"], r["content_category"], r["ad_format"]) for r in rows]

    def ads(self, campaign_id: int) -> list[Ad]:
        """A campaign's ads, oldest first."""
        rows = self.db.query("SELECT * FROM ads WHERE campaign_id = ? ORDER BY id", (campaign_id,))
        return [_ad(r) for r in rows]

    def add_ad(
        self, campaign_id: int, name: str, target_url: str, creative_ids: list[int],
        fields: dict[str, str] | None = None,
    ) -> Ad:  # fmt: skip
        """Create one ad in a campaign."""
        now = time.time()
        with self.db.transaction():
            ad_id = self.db.next_number("next_ad_id", FIRST_AD_ID, 1)
            self.db.execute(
                "INSERT INTO ads (id, campaign_id, name, target_url, creative_ids, fields, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (ad_id, campaign_id, name, target_url, json.dumps(creative_ids),
                 json.dumps(fields or {}), now),
            )  # fmt: skip
        return Ad(ad_id, campaign_id, name, target_url, creative_ids, fields or {}, now)

    def save_csv_draft(self, campaign_id: int, kind: str, rows: list[dict[str, str]]) -> str:
        """Keep a validated CSV until the user confirms its preview; returns its token."""
        token = secrets.token_urlsafe(12)
        self.db.execute(
            "INSERT INTO csv_drafts (token, campaign_id, kind, rows, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (token, campaign_id, kind, json.dumps(rows), time.time()),
        )
        return token

    def peek_csv_draft(self, token: str, campaign_id: int) -> tuple[str, list[dict[str, str]]]:
        """The kind and rows of a draft, left in place (the preview); KeyError when none."""
        rows = self.db.query(
            "SELECT kind, rows FROM csv_drafts WHERE token = ? AND campaign_id = ?",
            (token, campaign_id),
        )
        if not rows:
            raise KeyError(token)
        return str(rows[0]["kind"]), json.loads(rows[0]["rows"])

    def take_csv_draft(self, token: str, campaign_id: int) -> tuple[str, list[dict[str, str]]]:
        """The kind and rows of a draft (used once); KeyError when there is none."""
        with self.db.transaction():
            rows = self.db.query(
                "SELECT kind, rows FROM csv_drafts WHERE token = ? AND campaign_id = ?",
                (token, campaign_id),
            )
            if not rows:
                raise KeyError(token)
            self.db.execute("DELETE FROM csv_drafts WHERE token = ?", (token,))
        return str(rows[0]["kind"]), json.loads(rows[0]["rows"])
