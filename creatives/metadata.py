"""Metadata of a source: structured name, then folder defaults, then CLI options, then folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from creatives.naming import NameFields, parse_name, sanitise

# Folders whose name says how to process, not what the content is.
NEUTRAL_FOLDERS = frozenset({"", "native", "inbox"})
# Where `fetch` puts media, one folder per source below it: those folders are named after where
# the media came from (a host, a CDN), never after what it is.
FETCHED_FOLDER = "fetched"


@dataclass(frozen=True)
class Resolved:
    """The fields a name gets, and notes for the inventory (what stayed unknown)."""

    fields: NameFields
    notes: list[str] = field(default_factory=list)


def folder_fields(relative: PurePosixPath) -> NameFields:
    """What a folder name says: the nearest folder's name is the category."""
    if relative.parts and relative.parts[0].lower() == FETCHED_FOLDER:
        return NameFields()
    for part in reversed(relative.parent.parts):
        if part.lower() not in NEUTRAL_FOLDERS and sanitise(part):
            return NameFields(category=part)
    return NameFields()


def resolve(
    relative: PurePosixPath,
    folder_defaults: NameFields | None = None,
    options: NameFields | None = None,
) -> Resolved:
    """Fields for a source at `relative` (its path under the inbox), first source wins per field."""
    parsed = parse_name(relative.name)
    chain = [
        parsed.fields if parsed else NameFields(),
        folder_defaults or NameFields(),
        options or NameFields(),
        folder_fields(relative),
    ]
    merged = NameFields()
    for layer in chain:
        merged = merged.merged(layer.sanitised())
    merged = merged.with_defaults()
    missing = merged.missing()
    notes = [f"unknown: {', '.join(missing)} (named UNK)"] if missing else []
    return Resolved(merged, notes)
