"""Validation of campaign CSVs: every problem with its line, before the platform sees the file.

Used by `campaign-csv` (on the ads it is about to write) and by `mass-create` (on the files it
is about to submit). Line numbers are file lines: 1 is the header, 2 the first ad; 0 means the
problem concerns the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import pandas as pd

from tracking.campaign_formats import (
    MAX_ADS,
    MAX_BYTES,
    TJ_MACROS,
    FormatSpec,
    closest_format,
    detect_format,
    unknown_macros,
)
from tracking.library_cache import LibraryCache
from tracking.schemas import ReviewStatus

FIRST_AD_LINE = 2
KNOWN_MACROS = ", ".join(f"{{{m}}}" for m in sorted(TJ_MACROS))


class ProblemKind(StrEnum):
    """What is wrong; the CLI and the summaries group problems by it."""

    UNREADABLE = "unreadable"
    UNKNOWN_FORMAT = "unknown_format"
    MISSING_COLUMN = "missing_column"
    EMPTY_FIELD = "empty_field"
    LIMIT = "limit_exceeded"
    BAD_ID = "bad_creative_id"
    NOT_IN_LIBRARY = "not_in_library"
    NOT_APPROVED = "not_approved"
    UNKNOWN_MACRO = "unknown_macro"


@dataclass(frozen=True)
class Problem:
    """One problem of one line (0: the whole file)."""

    line: int
    kind: ProblemKind
    message: str
    column: str = ""
    creative_id: str = ""

    def describe(self, source: str) -> str:
        """`file:line: message`, the one line a person reads."""
        return f"{source}:{self.line}: {self.message}" if self.line else f"{source}: {self.message}"


@dataclass
class ValidationReport:
    """The outcome of validating one file (or one set of ads about to be written)."""

    source: str
    spec: FormatSpec | None
    ads: int
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        """Every problem as one line, in file order."""
        ordered = sorted(self.problems, key=lambda p: p.line)
        return [p.describe(self.source) for p in ordered]

    def of_kind(self, *kinds: ProblemKind) -> list[Problem]:
        return [p for p in self.problems if p.kind in kinds]


def read_campaign_csv(path: Path) -> pd.DataFrame:
    """A campaign CSV as text cells (nothing parsed as numbers or NaN); headers stripped."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _positions(mask: pd.Series) -> list[int]:
    """Row positions (0-based) where a boolean column is true."""
    return [int(p) for p in mask.to_numpy().nonzero()[0]]


def _label(frame: pd.DataFrame, pos: int) -> str:
    name = frame["Ad Name"].iat[pos] if "Ad Name" in frame.columns else ""
    return f" (ad {name!r})" if name else ""


def _empty_and_limits(frame: pd.DataFrame, spec: FormatSpec) -> list[Problem]:
    problems: list[Problem] = []
    for column in spec.required:
        if column not in frame.columns:
            continue
        for pos in _positions(frame[column].str.strip() == ""):
            problems.append(Problem(pos + FIRST_AD_LINE, ProblemKind.EMPTY_FIELD,
                                    f"{column} is empty; it is required{_label(frame, pos)}",
                                    column))  # fmt: skip
    for column, limit in spec.limits.items():
        if column not in frame.columns:
            continue
        lengths = frame[column].str.len()
        for pos in _positions(lengths > limit):
            problems.append(Problem(
                pos + FIRST_AD_LINE, ProblemKind.LIMIT,
                f"{column} is {lengths.iat[pos]} characters, the limit is {limit}"
                f"{_label(frame, pos)}", column,
            ))  # fmt: skip
    return problems


def _macros(frame: pd.DataFrame) -> list[Problem]:
    if "Target URL" not in frame.columns:
        return []
    problems = []
    bad = {url: unknown_macros(url) for url in frame["Target URL"].unique()}
    for pos, url in enumerate(frame["Target URL"]):
        if bad[url]:
            problems.append(Problem(
                pos + FIRST_AD_LINE, ProblemKind.UNKNOWN_MACRO,
                f"Target URL has unknown macro {', '.join(bad[url])}{_label(frame, pos)}; "
                f"TrafficJunky knows {KNOWN_MACROS}",
                "Target URL",
            ))  # fmt: skip
    return problems


def _creative_ids(
    frame: pd.DataFrame, spec: FormatSpec, library: LibraryCache | None, require_approved: bool
) -> list[Problem]:
    problems = []
    for column in (c for c in spec.id_columns if c in frame.columns):
        for pos, value in enumerate(frame[column].str.strip()):
            if not value:
                continue
            line = pos + FIRST_AD_LINE
            if not value.isdigit():
                problems.append(Problem(line, ProblemKind.BAD_ID,
                                        f"{column} {value!r} is not a creative ID (digits only)",
                                        column, value))  # fmt: skip
                continue
            if library is None:
                continue
            entry = library.by_id(value)
            if entry is None:
                problems.append(Problem(line, ProblemKind.NOT_IN_LIBRARY,
                                        f"{column} {value} is not in the library cache; run "
                                        "'creative-flow refresh-library' or remove the ad",
                                        column, value))  # fmt: skip
            elif require_approved and entry.review_status != ReviewStatus.APPROVED:
                status = entry.review_status or "unknown"
                problems.append(Problem(line, ProblemKind.NOT_APPROVED,
                                        f"{column} {value} is {status}, not approved",
                                        column, value))  # fmt: skip
    return problems


def validate_frame(
    frame: pd.DataFrame,
    spec: FormatSpec,
    *,
    library: LibraryCache | None = None,
    require_approved: bool = False,
) -> list[Problem]:
    """Every row-level problem of ads in `spec`'s columns (empty fields, limits, IDs, macros).

    `library` enables the "not in the library cache" check (and, with `require_approved`,
    the review-status check); without it creative IDs are only checked to be numbers.
    """
    return [
        *_empty_and_limits(frame, spec),
        *_macros(frame),
        *_creative_ids(frame, spec, library, require_approved),
    ]


def _file_level(path: Path, frame: pd.DataFrame) -> tuple[FormatSpec | None, list[Problem]]:
    header = list(frame.columns)
    spec = detect_format(header)
    if spec is not None:
        problems = []
        if len(frame) > MAX_ADS:
            problems.append(Problem(0, ProblemKind.LIMIT,
                                    f"{len(frame)} ads; the platform takes at most {MAX_ADS} "
                                    "per file (campaign-csv splits files into parts)"))  # fmt: skip
        size = path.stat().st_size
        if size > MAX_BYTES:
            problems.append(
                Problem(
                    0, ProblemKind.LIMIT, f"{size} bytes; the platform takes at most {MAX_BYTES}"
                )
            )
        return spec, problems
    near = closest_format(header)
    if near is None:
        return None, [Problem(1, ProblemKind.UNKNOWN_FORMAT,
                              f"header {','.join(header)!r} is not a known campaign CSV format "
                              "(Native, Pre-roll, Video banner, Static banner)")]  # fmt: skip
    missing = [c for c in near.columns if c not in header]
    extra = [c for c in header if c not in near.columns]
    problems = [
        Problem(1, ProblemKind.MISSING_COLUMN, f"{near.file_label} CSV lacks column {c!r}", c)
        for c in missing
    ]
    if extra:
        problems.append(Problem(1, ProblemKind.UNKNOWN_FORMAT,
                                f"{near.file_label} CSV has unknown column(s) "
                                f"{', '.join(map(repr, extra))}"))  # fmt: skip
    if not problems:  # same columns, other order: the platform reads columns by position
        problems.append(Problem(1, ProblemKind.UNKNOWN_FORMAT,
                                f"columns are not in {near.file_label} template order: "
                                f"{','.join(near.columns)}"))  # fmt: skip
    return near, problems


def validate_csv(
    path: Path, *, library: LibraryCache | None = None, require_approved: bool = False
) -> ValidationReport:
    """Every problem of one campaign CSV file, each with its line number."""
    source = str(path)
    try:
        frame = read_campaign_csv(path)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        return ValidationReport(
            source, None, 0, [Problem(0, ProblemKind.UNREADABLE, f"cannot read: {reason}")]
        )
    spec, problems = _file_level(path, frame)
    report = ValidationReport(source, spec, len(frame), problems)
    if spec is not None:
        report.problems.extend(
            validate_frame(frame, spec, library=library, require_approved=require_approved)
        )
    return report
