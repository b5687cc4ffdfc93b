"""Fetch settings per source or host (records/sources.csv), over the command's own options.

One row a source: `source` is a fetched source's name (its inbox/fetched/<source>/ folder) or a
host (`media.example.com`; `example.com` covers its subdomains too). A blank cell keeps what the
command says; a row's values win over the command's flags, as a site's settings win over global
ones. A listed source keeps en,es subtitles, with automatic captions where a language has no
written ones, unless its row or the command's --sub-langs / --no-write-auto-subs say otherwise.

- `mode`: `download` (the default) or `link-only` (record URL, title and duration; no media)
- `images`: `yes` or `no`: keep still images
- `subtitles`: languages to keep, e.g. `en,es`; `none` for no subtitles
- `auto_captions`: `yes` or `no`: a language without written subtitles takes automatic captions
- `format`: a yt-dlp format spec, e.g. `bv*[height<=720]+ba/b`
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from tracking.csvstore import read_rows
from tracking.errors import RecordsError
from tracking.schemas import Schema

SOURCES = Schema(
    name="fetch sources",
    columns=("source", "mode", "images", "subtitles", "auto_captions", "format"),
    required=("source",),
)
_YES, _NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}
# A listed source's subtitles when its row and the command leave them open.
DEFAULT_SUBTITLES = ("en", "es")


class FetchMode(StrEnum):
    DOWNLOAD = "download"
    LINK_ONLY = "link-only"


@dataclass(frozen=True)
class SourceSettings:
    """One row of sources.csv; None means "as the command says"."""

    source: str
    mode: FetchMode | None = None
    images: bool | None = None
    subtitles: tuple[str, ...] | None = None
    auto_captions: bool | None = None
    format: str | None = None


def load(path: Path) -> dict[str, SourceSettings]:
    """Every row of sources.csv by its lower-cased source (empty when there is no file)."""
    table: dict[str, SourceSettings] = {}
    for number, row in enumerate(read_rows(path, SOURCES), start=2):
        entry = _parse(path, number, row)
        table[entry.source.lower()] = entry
    return table


def lookup(table: dict[str, SourceSettings], source: str, host: str) -> SourceSettings | None:
    """The row of a source's name, else of its host or the nearest parent domain."""
    if source.lower() in table:
        return table[source.lower()]
    labels = host.lower().removeprefix("www.").split(".")
    for start in range(len(labels) - 1):
        found = table.get(".".join(labels[start:]))
        if found is not None:
            return found
    return None


def _parse(path: Path, number: int, row: dict[str, str]) -> SourceSettings:
    def fail(column: str, wanted: str) -> RecordsError:
        return RecordsError(
            f"{path}:{number}: {column} {row[column]!r} is not valid; use {wanted} "
            "(or leave it blank)"
        )

    def flag(column: str) -> bool | None:
        text = row[column].strip().lower()
        if not text:
            return None
        if text not in _YES | _NO:
            raise fail(column, "yes or no")
        return text in _YES

    mode_text = row["mode"].strip().lower()
    if mode_text and mode_text not in {m.value for m in FetchMode}:
        raise fail("mode", "download or link-only")
    languages = row["subtitles"].strip()
    subtitles = None
    if languages:
        subtitles = () if languages.lower() == "none" else tuple(
            s.strip() for s in languages.split(",") if s.strip()
        )  # fmt: skip
    return SourceSettings(
        source=row["source"].strip(),
        mode=FetchMode(mode_text) if mode_text else None,
        images=flag("images"),
        subtitles=subtitles,
        auto_captions=flag("auto_captions"),
        format=row["format"].strip() or None,
    )
