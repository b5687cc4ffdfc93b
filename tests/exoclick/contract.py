"""ExoClick's API v2 as shared/EXO-API-FACTS.md states it: requests and answers, as data.

Written from the facts file, not from our client or sandbox, so the contract tests catch a
drift of either. Types are JSON type names; "|" joins the types a field may have.
"""

from __future__ import annotations

import re
from typing import Any

MAX_ROWS = 50  # rows per call (client/doc)
LIST_QUERY = {"limit", "offset", "count", "orderBy"}

LOGIN_ANSWER = {"token": "string", "type": "string", "expires_in": "integer"}  # doc
ERROR_ANSWER = {"message": "string"}  # client
FILE_ROW = {  # client
    "id": "integer",
    "type": "string",
    "file_name": "string",
    "file_extension": "string",
    "file_size_original": "integer",
    "file_size_public": "integer",
    "width": "integer",
    "height": "integer",
    "duration": "number|integer|null",
    "url": "string",
    "is_archived": "integer|null",
    "status": "integer",
}
FILE_TYPES = ("image", "video", "video_banner")  # client
URL_ANSWER = {"id": "integer"}  # doc
CAMPAIGN_ROW = {
    "id": "integer",
    "name": "string",
    "status": "integer",
    "campaign_type": "object",
}  # fmt: skip  (client; no `format` field)
CAMPAIGN_TYPE = {"id": "integer", "name": "string"}  # client
VARIATION_ROW = {  # client
    "idvariation": "integer",
    "idvariations_file": "integer",
    "idvariations_url": "integer|null",
    "status": "integer",
    "calculated_status": "string",
    "active": "integer",
    "file_type": "string",
    "name": "string",
    "url": "string",
}
RATE_HEADERS = ("X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset")  # client

# Every request the tool may send: (method, path pattern, body kind, query parameters allowed).
ENDPOINTS: tuple[tuple[str, str, str, set[str]], ...] = (
    ("POST", r"/login", "json", set()),
    ("POST", r"/library/file", "multipart", set()),
    ("GET", r"/library/file", "", {"type", *LIST_QUERY}),
    ("POST", r"/library/url", "json", set()),
    ("GET", r"/campaigns", "", {"status", *LIST_QUERY}),
    ("GET", r"/campaigns/\d+", "", {"detailed"}),
    ("GET", r"/campaigns/\d+/variation", "", LIST_QUERY),
    ("POST", r"/campaigns/\d+/variation", "multipart", set()),
)
# Fields a variation form may carry (client: file, idcampaign, url, name; weak: id_library_file;
# doc: id_library_url).
VARIATION_FORM = {"file", "idcampaign", "url", "name", "id_library_file", "id_library_url"}


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    for kind, name in ((int, "integer"), (float, "number"), (str, "string"), (list, "array"),
                       (dict, "object")):  # fmt: skip
        if isinstance(value, kind):
            return name
    return type(value).__name__


def shape_problems(row: dict[str, Any], shape: dict[str, str]) -> list[str]:
    """How `row` differs from `shape`: missing fields and wrong types."""
    problems = [f"no {name!r}" for name in shape if name not in row]
    for name, allowed in shape.items():
        if name in row and json_type(row[name]) not in allowed.split("|"):
            problems.append(f"{name!r} is {json_type(row[name])}, not {allowed}")
    return problems


def endpoint_of(method: str, path: str) -> tuple[str, str, str, set[str]] | None:
    """The contract entry of a request path (below /v2), or None when it has none."""
    for entry in ENDPOINTS:
        if entry[0] == method and re.fullmatch(entry[1], path):
            return entry
    return None
