"""`site-check exoclick`: every API field the tool reads, looked for in one real answer each.

Read-only: it logs in and calls each endpoint the tool reads once (`GET /library/file`,
`GET /campaigns`, `GET /campaigns/{id}` and, where the variations are not inside it,
`GET /campaigns/{id}/variation`); the endpoints that write are listed as not tried. A field is
found (with its JSON type), or missing (with the fields the answer has instead). The field
names and types seen, never their values, are saved as a snapshot for a bug report.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from automation.errors import ConfigError
from automation.settings import Settings
from automation.uploaders.exoclick.client import ExoApiError, ExoClient
from automation.uploaders.exoclick.models import (
    CAMPAIGN_FIELDS,
    CAMPAIGN_TYPE_FIELDS,
    FILE_FIELDS,
    LOGIN_FIELDS,
    REVIEW_STATUS,
    VARIATION_FIELDS,
    json_type,
)
from automation.uploaders.site_check import Probe, ProbeStatus, SiteCheckReport
from tracking.csvstore import atomic_write_text
from tracking.workspace import Workspace

log = logging.getLogger(__name__)

RATE_HEADERS = ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset")
WRITES = ("POST /library/file", "POST /library/url", "POST /campaigns/{id}/variation")


@dataclass
class _Check:
    """The probes so far and the shapes seen (field -> JSON type) per endpoint."""

    probes: list[Probe] = field(default_factory=list)
    shapes: dict[str, dict[str, str]] = field(default_factory=dict)

    def add(self, name: str, where: str, status: ProbeStatus, detail: str = "") -> None:
        self.probes.append(Probe(name, where, status, detail))

    def fields(self, prefix: str, where: str, row: Any, wanted: dict[str, str]) -> None:
        """A probe per wanted field of one answer row."""
        if not isinstance(row, dict):
            for name in wanted:
                self.add(f"{prefix}.{name}", where, ProbeStatus.NOT_TRIED, "no row to look in")
            return
        self.shapes[f"{where} {prefix}"] = {k: json_type(v) for k, v in row.items()}
        others = ", ".join(sorted(set(row) - set(wanted))) or "none"
        for name, expected in wanted.items():
            if name not in row:
                detail = f"not in the answer; fields there instead: {others}"
                self.add(f"{prefix}.{name}", where, ProbeStatus.MISSING, detail)
                continue
            seen = json_type(row[name])
            if seen in (expected, "null"):
                self.add(f"{prefix}.{name}", where, ProbeStatus.FOUND, seen)
            else:
                detail = (
                    f"a {seen}; the tool reads a{'n' if expected[0] in 'aeio' else ''} {expected}"
                )
                self.add(f"{prefix}.{name}", where, ProbeStatus.MISSING, detail)

    def failed(self, name: str, where: str, exc: ExoApiError) -> None:
        self.add(name, where, ProbeStatus.MISSING, f"the call failed: {exc}")


def _first(rows: Any) -> Any:
    return rows[0] if isinstance(rows, list) and rows else None


def _status_note(check: _Check, name: str, rows: Iterable[Any]) -> None:
    """Say which status integers an account has, and which the tool's table does not know."""
    seen = sorted({r.get("status") for r in rows if isinstance(r, dict)} - {None}, key=str)
    unknown = [s for s in seen if s not in REVIEW_STATUS]
    for probe in list(check.probes):
        if probe.name == name and probe.status is ProbeStatus.FOUND:
            detail = f"{probe.detail}; values seen: {', '.join(map(str, seen))}"
            if unknown:
                detail += f" (not in the tool's table, kept raw: {', '.join(map(str, unknown))})"
            check.probes[check.probes.index(probe)] = Probe(name, probe.where, probe.status, detail)


def _library(check: _Check, client: ExoClient) -> None:
    where = "GET /library/file?type=image"
    try:
        rows = client.get_json("/library/file", {"type": "image", "limit": 50, "offset": 0})
    except ExoApiError as exc:
        check.failed("library_file", where, exc)
        return
    check.fields("library_file", where, rows, {"result": "array"})
    result = rows.get("result") if isinstance(rows, dict) else None
    check.fields("library_file", where, _first(result), FILE_FIELDS)
    _status_note(check, "library_file.status", result or [])


def _campaigns(check: _Check, client: ExoClient) -> int | None:
    """Probe GET /campaigns; the first campaign's id."""
    where = "GET /campaigns"
    try:
        response = client.get_response("/campaigns", {"limit": 50, "offset": 0})
    except ExoApiError as exc:
        check.failed("campaigns", where, exc)
        return None
    for header in RATE_HEADERS:
        found = header in response.headers
        status = ProbeStatus.FOUND if found else ProbeStatus.ABSENT_OK
        check.add(f"headers.{header}", where, status, response.headers.get(header, ""))
    body = response.json()
    first = _first(body.get("result") if isinstance(body, dict) else None)
    check.fields("campaigns", where, first, CAMPAIGN_FIELDS)
    kind = first.get("campaign_type") if isinstance(first, dict) else None
    check.fields("campaigns.campaign_type", where, kind, CAMPAIGN_TYPE_FIELDS)
    return int(first["id"]) if isinstance(first, dict) and "id" in first else None


def _variations(check: _Check, client: ExoClient, campaign_id: int) -> None:
    where = f"GET /campaigns/{campaign_id}"
    try:
        body = client.get_json(f"/campaigns/{campaign_id}")
    except ExoApiError as exc:
        check.failed("campaign", where, exc)
        return
    result = body.get("result") if isinstance(body, dict) else None
    check.fields("campaign", where, result, {"campaign": "object"})
    rows = result.get("variations") if isinstance(result, dict) else None
    if isinstance(rows, list):
        check.add("campaign.variations", where, ProbeStatus.FOUND, "array")
    else:
        where = f"GET /campaigns/{campaign_id}/variation"
        try:
            listed = client.get_json(where.split(" ", 1)[1], {"limit": 50, "offset": 0})
        except ExoApiError as exc:
            check.failed("campaign.variations", where, exc)
            return
        rows = listed.get("result") if isinstance(listed, dict) else None
        note = "not inside the campaign; listed at its /variation route"
        check.add("campaign.variations", where, ProbeStatus.ABSENT_OK, note)
    check.fields("variation", where, _first(rows), VARIATION_FIELDS)


def _save(check: _Check, settings: Settings, run_id: str) -> Path:
    """The shapes seen (names and JSON types only: no ids, names or tokens)."""
    path = Workspace(settings.workspace).artifacts_dir(run_id) / "exoclick-site-check.json"
    atomic_write_text(path, json.dumps(check.shapes, indent=2, sort_keys=True))
    return path


def site_check(settings: Settings, run_id: str, *, campaign: str | None = None) -> SiteCheckReport:
    """Look for every field the tool reads in one answer of each endpoint (no writes)."""
    if campaign is not None and not campaign.strip().isdigit():
        raise ConfigError(f"site-check exoclick: --campaign {campaign!r} must be a campaign ID")
    check = _Check()
    with ExoClient.from_settings(settings, retries=1) as client:
        check.fields("login", "POST /login", client.login(), LOGIN_FIELDS)
        _library(check, client)
        first = _campaigns(check, client)
        chosen = int(campaign) if campaign is not None else first
        if chosen is not None:
            _variations(check, client, chosen)
        else:
            check.add("campaign.variations", "GET /campaigns/{id}", ProbeStatus.NOT_TRIED,
                      "the account has no campaign; pass --campaign ID")  # fmt: skip
    for write in WRITES:
        check.add(write, write, ProbeStatus.NOT_TRIED, "a write: site-check never calls it")
    report = SiteCheckReport("exoclick", check.probes)
    report.artifacts.append(_save(check, settings, run_id))
    return report
