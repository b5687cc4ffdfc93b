"""Reading the per-day stats records, `records/stats/<platform>.csv`, strictly.

The `stats` command writes one row per (date, unique_id) and platform:
`date,unique_id,creative_id,impressions,clicks,conversions,cost`. A row that cannot be
trusted (a date that is not ISO, a count that is not a whole number, a day recorded twice)
stops the reading with the file and line: a figure built from a misread row would rank the
wrong creative.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NoReturn

from tracking.csvstore import Row, header_of, read_rows
from tracking.errors import RecordsError
from tracking.schemas import PLATFORM_PREFIXES
from tracking.stats import STATS, Counts, StatRow, stats_csv

COUNTS = ("impressions", "clicks", "conversions")
REPAIR_HINT = (
    "repair or remove that line, or delete the file and run `creative-flow stats` again "
    "to fetch those days anew"
)


def stats_files(records: Path) -> dict[str, Path]:
    """Platform -> its stats file, for every known platform that has one."""
    found = {p: stats_csv(records, p) for p in PLATFORM_PREFIXES}
    return {p: path for p, path in found.items() if path.is_file()}


def read_stats(path: Path, platform: str) -> list[StatRow]:
    """Every row of one platform's stats file; damage raises RecordsError naming file and line."""
    _check_header(path)
    rows = read_rows(path, STATS, repair_hint=REPAIR_HINT)
    parsed: list[StatRow] = []
    seen: dict[tuple[date, str], int] = {}
    for number, row in enumerate(rows, start=2):
        stat = _parse(path, number, row, platform)
        key = (stat.day, stat.unique_id)
        if key in seen:
            _refuse(path, number, f"{stat.unique_id} on {stat.day} is already on line {seen[key]}")
        seen[key] = number
        parsed.append(stat)
    return parsed


def _check_header(path: Path) -> None:
    """A header without the agreed columns is refused here, with what to do about it."""
    try:
        header = header_of(path)
    except (UnicodeDecodeError, OSError):
        return  # read_rows names the line and the problem
    missing = [c for c in STATS.required if c not in header]
    if header and missing:
        _refuse(path, 1, f"header lacks {', '.join(missing)} (expected {','.join(STATS.columns)})")


def _parse(path: Path, line: int, row: Row, platform: str) -> StatRow:
    """One row as a StatRow, or RecordsError saying which value is wrong."""
    unique_id = row["unique_id"].strip()
    if not unique_id:
        _refuse(path, line, "unique_id is empty")
    try:
        day = date.fromisoformat(row["date"].strip())
    except ValueError:
        _refuse(path, line, f"date {row['date']!r} is not YYYY-MM-DD")
    counts = {name: _count(path, line, name, row[name]) for name in COUNTS}
    figures = Counts(**counts, cost=_cost(path, line, row["cost"]))
    return StatRow(platform, day, unique_id, row["creative_id"].strip(), figures)


def _count(path: Path, line: int, name: str, text: str) -> int:
    value = text.strip()
    if not value.isdigit():
        _refuse(path, line, f"{name} {text!r} is not a whole number of 0 or more")
    return int(value)


def _cost(path: Path, line: int, text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        _refuse(path, line, f"cost {text!r} is not a number")
    if not value.is_finite() or value < 0:
        _refuse(path, line, f"cost {text!r} is not a number of 0 or more")
    return value


def _refuse(path: Path, line: int, what: str) -> NoReturn:
    raise RecordsError(f"{path}:{line}: {STATS.name}: {what}; {REPAIR_HINT}; nothing was written")
