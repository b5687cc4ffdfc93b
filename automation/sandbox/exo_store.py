"""The ExoClick sandbox's state in SQLite: files, URLs, campaigns, variations, tokens, switches.

Rows leave the store in the API's own shape (shared/EXO-API-FACTS.md): library files with
`file_name`, `file_extension`, `file_size_*` and an integer `status`; campaigns with
`campaign_type {id, name}`; variations with `idvariation`, `idvariations_file`, ...
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from automation.sandbox.exo_sessions import SessionTables

# ExoClick ids are plain integers; these starts make them easy to tell apart in a log.
FIRST_FILE_ID = 4_810_001
FIRST_VARIATION_ID = 90_000_001
FIRST_URL_ID = 6_500_001
# The meaning of ExoClick's status integers is not published; this is the sandbox's table (the
# tool keeps one table too, and reports any other integer raw).
STATUS_CODES = {"pending": 0, "approved": 1, "rejected": 2}
CAMPAIGN_ACTIVE = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS exo_files (
    id INTEGER PRIMARY KEY, type TEXT NOT NULL, file_name TEXT NOT NULL, file_extension TEXT,
    file_size_original INTEGER NOT NULL, file_size_public INTEGER NOT NULL, width INTEGER,
    height INTEGER, duration REAL, is_archived INTEGER NOT NULL, status INTEGER NOT NULL,
    file_hash_original TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exo_urls (id INTEGER PRIMARY KEY, url TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exo_campaigns (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, format TEXT NOT NULL, status INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS exo_variations (
    idvariation INTEGER PRIMARY KEY, campaign_id INTEGER NOT NULL,
    idvariations_file INTEGER NOT NULL, idvariations_url INTEGER, name TEXT NOT NULL,
    description TEXT NOT NULL, url TEXT NOT NULL, status INTEGER NOT NULL,
    active INTEGER NOT NULL, file_type TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exo_tokens (token TEXT PRIMARY KEY, expires_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS exo_switches (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS exo_requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, method TEXT, path TEXT, query TEXT, status INTEGER);
"""
_TABLES = ("exo_files", "exo_urls", "exo_campaigns", "exo_variations", "exo_tokens",
           "exo_switches", "exo_requests")  # fmt: skip

# Which library file types a campaign's ad format takes, and its campaign_type as the API shows
# it. The type ids and names are the sandbox's own (the real list is not published).
FORMAT_FILE_TYPES = {
    "display": ("image", "video_banner"),
    "native": ("image",),
    "instream": ("video",),
}
CAMPAIGN_TYPES = {
    "display": {"id": 1, "name": "Display"},
    "native": {"id": 5, "name": "Native"},
    "instream": {"id": 3, "name": "In-Stream Video"},
}
DEMO_CAMPAIGNS = (
    (1001, "Demo display", "display"),
    (1002, "Demo in-stream", "instream"),
    (1003, "Demo native", "native"),
)
_VARIATION_COLUMNS = ("idvariation", "idvariations_file", "idvariations_url", "name",
                      "description", "url", "status", "active", "file_type")  # fmt: skip


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class FileMeta:
    """What the sandbox measured of an uploaded file."""

    size: int
    width: int | None
    height: int | None
    duration: float | None
    extension: str
    sha256: str = ""


def calculated_status(status: int) -> str:
    """The variation's status in words (the API sends both)."""
    names = {code: name for name, code in STATUS_CODES.items()}
    return names.get(status, "unknown")


class ExoStore(SessionTables):
    """All reads and writes of the ExoClick tables, each under one lock (the server is threaded)."""

    def __init__(self, conn: sqlite3.Connection, lock: Any | None = None) -> None:
        self.conn = conn
        self.lock = lock if lock is not None else threading.RLock()

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self.lock:
            cur = self.conn.execute(sql, args)
            names = [c[0] for c in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def _write(self, sql: str, args: tuple[Any, ...] = ()) -> int:
        with self.lock:
            cur = self.conn.execute(sql, args)
            self.conn.commit()
            return int(cur.lastrowid or 0)

    def _next_id(self, table: str, column: str, first: int) -> int:
        top = self._rows(f"SELECT MAX({column}) AS top FROM {table}")[0]["top"]
        return int(top) + 1 if top else first

    def ensure(self) -> ExoStore:
        """Create the ExoClick tables when the database does not have them yet."""
        with self.lock:
            self.conn.executescript(_SCHEMA)
        return self

    def reset(self) -> None:
        """Empty every ExoClick table."""
        with self.lock:
            for table in _TABLES:
                self.conn.execute(f"DROP TABLE IF EXISTS {table}")
            self.conn.executescript(_SCHEMA)
            self.conn.commit()

    def seed_demo(self) -> None:
        """The demo account's campaigns, one per ad format (kept when already there)."""
        with self.lock:
            self.conn.executemany(
                "INSERT OR IGNORE INTO exo_campaigns (id, name, format, status) "
                "VALUES (?, ?, ?, ?)",
                [(*c, CAMPAIGN_ACTIVE) for c in DEMO_CAMPAIGNS],
            )
            self.conn.commit()

    # -- library files and URLs -----------------------------------------------------------------

    def add_file(self, file_name: str, file_type: str, meta: FileMeta) -> dict[str, Any]:
        with self.lock:
            new_id = self._next_id("exo_files", "id", FIRST_FILE_ID)
            self._write(
                "INSERT INTO exo_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
                (new_id, file_type, file_name, meta.extension, meta.size, meta.size, meta.width,
                 meta.height, meta.duration, STATUS_CODES["pending"], meta.sha256, _now_iso()),
            )  # fmt: skip
            return self.file(new_id) or {}

    def file(self, file_id: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM exo_files WHERE id = ?", (file_id,))
        return _public_file(rows[0]) if rows else None

    def files(
        self, offset: int = 0, limit: int | None = None, file_type: str | None = None
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of files and the total; oldest first (orderBy a:id)."""
        where, args = ("WHERE type = ?", (file_type,)) if file_type else ("", ())
        total = self._rows(f"SELECT COUNT(*) AS n FROM exo_files {where}", args)[0]["n"]
        page = self._rows(
            f"SELECT * FROM exo_files {where} ORDER BY id LIMIT ? OFFSET ?",
            (*args, -1 if limit is None else limit, offset),
        )
        return [_public_file(r) for r in page], int(total)

    def set_status(self, ids: list[int], status: int) -> int:
        with self.lock:
            marks = ",".join("?" * len(ids))
            cur = self.conn.execute(
                f"UPDATE exo_files SET status = ? WHERE id IN ({marks})", (status, *ids)
            )
            self.conn.commit()
            return cur.rowcount

    def add_url(self, url: str) -> dict[str, Any]:
        with self.lock:
            new_id = self._next_id("exo_urls", "id", FIRST_URL_ID)
            self._write("INSERT INTO exo_urls (id, url) VALUES (?, ?)", (new_id, url))
            return {"id": new_id, "url": url}

    def url(self, url_id: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT id, url FROM exo_urls WHERE id = ?", (url_id,))
        return rows[0] if rows else None

    # -- campaigns and variations ---------------------------------------------------------------

    def add_campaign(self, name: str, fmt: str, campaign_id: int | None = None) -> dict[str, Any]:
        new_id = self._write(
            "INSERT INTO exo_campaigns (id, name, format, status) VALUES (?, ?, ?, ?)",
            (campaign_id, name, fmt, CAMPAIGN_ACTIVE),
        )
        return self.campaign(new_id) or {}

    def campaign_format(self, campaign_id: int) -> str | None:
        """The sandbox's own note of a campaign's ad format (not part of the API's rows)."""
        rows = self._rows("SELECT format FROM exo_campaigns WHERE id = ?", (campaign_id,))
        return str(rows[0]["format"]) if rows else None

    def campaign(self, campaign_id: int) -> dict[str, Any] | None:
        rows = self._rows("SELECT * FROM exo_campaigns WHERE id = ?", (campaign_id,))
        return _public_campaign(rows[0]) if rows else None

    def campaigns(self) -> list[dict[str, Any]]:
        return [_public_campaign(r) for r in self._rows("SELECT * FROM exo_campaigns ORDER BY id")]

    def add_variation(
        self, campaign_id: int, file: dict[str, Any], url_id: int | None, name: str, url: str
    ) -> dict[str, Any]:
        with self.lock:
            new_id = self._next_id("exo_variations", "idvariation", FIRST_VARIATION_ID)
            self._write(
                "INSERT INTO exo_variations VALUES (?, ?, ?, ?, ?, '', ?, ?, 1, ?, ?)",
                (new_id, campaign_id, file["id"], url_id, name, url, STATUS_CODES["pending"],
                 file["type"], _now_iso()),
            )  # fmt: skip
            return self.variations(campaign_id, only=new_id)[0]

    def variations(self, campaign_id: int, only: int | None = None) -> list[dict[str, Any]]:
        extra, args = ("AND idvariation = ?", (only,)) if only is not None else ("", ())
        rows = self._rows(
            f"SELECT * FROM exo_variations WHERE campaign_id = ? {extra} ORDER BY idvariation",
            (campaign_id, *args),
        )
        return [_public_variation(r) for r in rows]

    def set_variation_active(self, campaign_id: int, variation_id: int, active: int) -> bool:
        """Pause (0) or play (1) one variation; False when the campaign has no such variation."""
        with self.lock:
            cur = self.conn.execute(
                "UPDATE exo_variations SET active = ? WHERE campaign_id = ? AND idvariation = ?",
                (active, campaign_id, variation_id),
            )
            self.conn.commit()
            return cur.rowcount == 1

    # -- request log and ground truth -----------------------------------------------------------

    def log_request(self, method: str, path: str, query: str, status: int) -> None:
        self._write(
            "INSERT INTO exo_requests (method, path, query, status) VALUES (?, ?, ?, ?)",
            (method, path, query, status),
        )

    def truth(self) -> dict[str, Any]:
        """Everything the sandbox holds, for tests: files, campaigns with variations, requests."""
        files, _ = self.files()
        campaigns = [
            {**c, "format": self.campaign_format(c["id"]), "variations": self.variations(c["id"])}
            for c in self.campaigns()
        ]
        requests = self._rows("SELECT method, path, query, status FROM exo_requests ORDER BY seq")
        urls = self._rows("SELECT id, url FROM exo_urls ORDER BY id")
        return {"files": files, "campaigns": campaigns, "urls": urls, "requests": requests}


def _public_file(row: dict[str, Any]) -> dict[str, Any]:
    """A file row as the API shows it (no sandbox-only columns)."""
    shown = {k: v for k, v in row.items() if k != "created_at"}
    shown["url"] = f"https://static.exo-sandbox.invalid/library/{row['id']}.{row['file_extension']}"
    return shown


def _public_campaign(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "status": row["status"],
        "campaign_type": dict(CAMPAIGN_TYPES[row["format"]]),
    }


def _public_variation(row: dict[str, Any]) -> dict[str, Any]:
    shown = {k: row[k] for k in _VARIATION_COLUMNS}
    shown["calculated_status"] = calculated_status(row["status"])
    return shown
