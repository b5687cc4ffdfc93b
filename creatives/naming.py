"""The naming convention (DESIGN section 4): build, parse, content IDs and 64-character ad names.

`{Lang}_{Category}_{ModelSex}_{Style}_{Rating}_{Description}_{Creator}[_{N}sec][_T-{TestID}]_ID-{8HEX}.{ext}`
with `VID_`/`IMG_` in front and `-VID`/`-IMG` after the ID for the two files of a native pair.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from enum import StrEnum

UNKNOWN = "UNK"
AD_NAME_LIMIT = 64
ID_DIGITS = 8
# Fields in the order they appear in a name.
FIELD_NAMES = ("language", "category", "model_sex", "style", "rating", "description", "creator")
# What a field becomes when no source of metadata knows it (the rest become UNK).
FIELD_DEFAULTS = {"model_sex": "MFT", "style": "Both", "description": "Generic"}


class NameKind(StrEnum):
    """Which form of the convention a name takes."""

    PLAIN = "plain"
    NATIVE_VIDEO = "native_video"
    NATIVE_IMAGE = "native_image"


_PREFIX = {NameKind.NATIVE_VIDEO: "VID_", NameKind.NATIVE_IMAGE: "IMG_"}
_TAG = {NameKind.NATIVE_VIDEO: "-VID", NameKind.NATIVE_IMAGE: "-IMG"}


@dataclass(frozen=True)
class NameFields:
    """The metadata a name carries; an empty string means not known."""

    language: str = ""
    category: str = ""
    model_sex: str = ""
    style: str = ""
    rating: str = ""
    description: str = ""
    creator: str = ""
    test_id: str = ""

    def merged(self, fallback: NameFields) -> NameFields:
        """These fields, with the blanks filled from `fallback`."""
        return NameFields(
            **{f.name: getattr(self, f.name) or getattr(fallback, f.name) for f in fields(self)}
        )

    def missing(self) -> list[str]:
        """Names of the convention's fields that are still unknown (test_id is optional)."""
        return [name for name in FIELD_NAMES if not getattr(self, name)]

    def sanitised(self) -> NameFields:
        """Every field reduced to `[A-Za-z0-9-]` (unknown stays empty)."""
        return NameFields(**{f.name: sanitise(getattr(self, f.name)) for f in fields(self)})

    def with_defaults(self) -> NameFields:
        """Blanks that have a documented default take it (ModelSex MFT, Style Both, ...)."""
        return replace(self, **{k: v for k, v in FIELD_DEFAULTS.items() if not getattr(self, k)})


def sanitise(value: str) -> str:
    """A field value as names carry it: ASCII letters, digits and '-'; '' when nothing is left."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[\s_./]+", "-", text.strip())
    text = re.sub(r"[^A-Za-z0-9-]", "", text)
    text = re.sub(r"-{2,}", "-", text).strip("-")
    return "" if text.upper() == UNKNOWN else text


def content_id(sha256_hex: str, taken: Mapping[str, str] | None = None) -> str:
    """The 8-hex ID of a content hash: the first 8 digits, or the next 8 when those belong to
    another hash in `taken` (ID -> content hash), and so on."""
    digest = sha256_hex.upper()
    taken = taken or {}
    for start in range(0, len(digest) - ID_DIGITS + 1, ID_DIGITS):
        candidate = digest[start : start + ID_DIGITS]
        owner = taken.get(candidate)
        if owner is None or owner.upper() == digest:
            return candidate
    raise ValueError(f"no free ID left for content {sha256_hex}")


def build_name(
    name_fields: NameFields,
    id8: str,
    ext: str,
    *,
    kind: NameKind = NameKind.PLAIN,
    seconds: int | None = None,
) -> str:
    """A file name by the convention; unknown fields are written UNK."""
    clean = name_fields.sanitised()
    parts = [getattr(clean, name) or UNKNOWN for name in FIELD_NAMES]
    if seconds is not None and kind is not NameKind.NATIVE_IMAGE:
        parts.append(f"{seconds}sec")
    if clean.test_id:
        parts.append(f"T-{clean.test_id}")
    parts.append(f"ID-{id8.upper()}{_TAG.get(kind, '')}")
    return f"{_PREFIX.get(kind, '')}{'_'.join(parts)}.{ext.lower().lstrip('.')}"


def unique_id(id8: str, kind: NameKind = NameKind.PLAIN) -> str:
    """The inventory's unique_id: `ID-XXXXXXXX`, with `-VID`/`-IMG` for native files."""
    return f"ID-{id8.upper()}{_TAG.get(kind, '')}"


def pair_id(id8: str) -> str:
    """The native_pair_id both files of a pair share: `ID-XXXXXXXX`."""
    return f"ID-{id8.upper()}"


@dataclass(frozen=True)
class ParsedName:
    """What a structured name says. `id8` is empty for a source name that has no ID yet."""

    kind: NameKind
    fields: NameFields
    id8: str = ""
    seconds: int | None = None
    ext: str = ""


_FIELD = r"[A-Za-z0-9-]+"
_NAME_RE = re.compile(
    rf"^(?P<prefix>VID_|IMG_)?"
    rf"(?P<lang>[A-Z]{{2,3}}(?:-[A-Za-z]{{2,4}})?)"
    rf"(?P<rest>(?:_{_FIELD}){{6}})"
    rf"(?:_(?P<sec>\d+)sec)?"
    rf"(?:_T-(?P<test>{_FIELD}))?"
    rf"(?:_ID-(?P<id>[0-9A-Fa-f]{{8}})(?P<tag>-VID|-IMG)?)?$"
)


def split_ext(filename: str) -> tuple[str, str]:
    """('name', 'mp4') from 'name.mp4'; ('name', '') without an extension."""
    stem, dot, ext = filename.rpartition(".")
    if not dot or not stem or not re.fullmatch(r"[A-Za-z0-9]{1,5}", ext):
        return filename, ""
    return stem, ext.lower()


def parse_name(filename: str) -> ParsedName | None:
    """The fields of a name that follows the convention (with or without ID), else None."""
    stem, ext = split_ext(filename.rsplit("/", 1)[-1])
    match = _NAME_RE.match(stem)
    if match is None:
        return None
    values = [match["lang"], *match["rest"].split("_")[1:]]
    known = {
        name: "" if v.upper() == UNKNOWN else v for name, v in zip(FIELD_NAMES, values, strict=True)
    }
    kind = {"VID_": NameKind.NATIVE_VIDEO, "IMG_": NameKind.NATIVE_IMAGE}.get(
        match["prefix"] or "", NameKind.PLAIN
    )
    return ParsedName(
        kind=kind,
        fields=NameFields(**known, test_id=match["test"] or ""),
        id8=(match["id"] or "").upper(),
        seconds=int(match["sec"]) if match["sec"] else None,
        ext=ext,
    )


_TAIL_RE = re.compile(r"(?P<test>_T-[A-Za-z0-9-]+)?(?P<id>_ID-[0-9A-Fa-f]{8}(?:-VID|-IMG)?)$")
# Tokens that say least about a creative, dropped first (in this order) when a name is too long;
# then the duration. Real ad names were shortened the same way on the platform.
FILLER_TOKENS = ("Generic", "Real", "NSFW")
_DURATION_TOKEN = re.compile(r"^\d+sec$")
_WORD_END = re.compile(r"(?=[_-])")


def _drop_fillers(head: str, room: int) -> str:
    """`head` without filler tokens, then without its duration, until it fits `room`."""
    tokens = head.split("_")
    droppable = [*FILLER_TOKENS, None]  # None: the duration token
    for filler in droppable:
        if len("_".join(tokens)) <= room:
            break
        keep_first = tokens[:1]  # the VID_/IMG_ prefix or the language is never a filler
        rest = [t for t in tokens[1:] if not (t == filler if filler else _DURATION_TOKEN.match(t))]
        tokens = keep_first + rest
    return "_".join(tokens)


def _whole_words(head: str, room: int) -> str:
    """The longest start of `head` that fits `room` and ends at a word's end (`_` or `-`)."""
    if len(head) <= room:
        return head
    ends = [m.start() for m in _WORD_END.finditer(head) if 0 < m.start() <= room]
    return head[: ends[-1]].rstrip("_-") if ends else ""


def ad_name(filename: str, limit: int = AD_NAME_LIMIT) -> str:
    """The platform name of a file (no extension), shortened to `limit` characters.

    The `_ID-...` suffix is kept whole because it is how records are joined; the test ID is
    kept too when it fits. In front of it, filler tokens go first (`Generic`, `Real`, `NSFW`),
    then the duration, then whole words from the end; a word is never cut in half.
    """
    stem, _ = split_ext(filename.rsplit("/", 1)[-1])
    if len(stem) <= limit:
        return stem
    match = _TAIL_RE.search(stem)
    if match is None:
        return _whole_words(stem, limit) or stem[:limit]
    for tail in (match[0], match["id"]):
        room = limit - len(tail)
        if room <= 1:
            continue
        head = _whole_words(_drop_fillers(stem[: match.start()], room), room)
        if head:
            return head + tail
    return match["id"][1:][:limit]
