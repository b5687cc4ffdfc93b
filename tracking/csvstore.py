"""Atomic, locked CSV files: read tolerantly, write whole files by temp-file-and-rename."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from tracking.errors import RecordsError
from tracking.schemas import Schema

Row = dict[str, str]
LOCK_TIMEOUT_S = 120


def lock_file(path: Path) -> Path:
    """Where the lock of `path` lives: one hidden `.locks/` folder beside it, not a `.lock`
    file beside every record."""
    return path.parent / ".locks" / f"{path.name}.lock"


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the lock of a record file (see `lock_file`) for a read-modify-write."""
    lock_file(path).parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_file(path)))
    try:
        with lock.acquire(timeout=timeout):
            yield
    except Timeout:
        raise RecordsError(
            f"{path}: another creative-flow run holds its lock; wait for it to finish"
        ) from None


def _default_mode(path: Path) -> int:
    """The existing file's mode, else what a plain open() would give under the user's umask."""
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a file so readers see the old content or the new, never a half-written one.

    `mode` None keeps the file's permissions (a new file gets the user's usual ones); the
    temporary file is private until then, so a secret written with mode 0600 never shows.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        mode = _default_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    """Text version of atomic_write_bytes (UTF-8)."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def read_rows(path: Path, schema: Schema) -> list[Row]:
    """All rows of a record file; a missing file is empty. Broken rows raise, naming the line."""
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordsError(f"{path}: cannot read {schema.name} ({exc})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return []
    header = [h.strip() for h in header]
    missing = [c for c in schema.required if c not in header]
    if missing:
        raise RecordsError(
            f"{path}: {schema.name} header lacks column(s) {', '.join(missing)}; "
            f"expected: {','.join(schema.columns)}"
        )
    rows: list[Row] = []
    for values in reader:
        if not values or all(not v.strip() for v in values):
            continue
        if len(values) > len(header):
            raise RecordsError(
                f"{path}:{reader.line_num}: {schema.name} row has {len(values)} fields, "
                f"header has {len(header)}; fix or quote that line"
            )
        row = dict.fromkeys(schema.columns, "")
        row.update(zip(header, values, strict=False))
        rows.append(row)
    return rows


def header_of(path: Path) -> list[str]:
    """A record file's own header (it may carry extra columns a user added)."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [h.strip() for h in next(csv.reader(handle), [])]


def render_rows(columns: Iterable[str], rows: Iterable[Mapping[str, object]]) -> str:
    """CSV text of rows under `columns` (values missing from a row are empty)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def write_rows(path: Path, schema: Schema, rows: Iterable[Mapping[str, object]]) -> None:
    """Replace a record file atomically; columns a user added to the file are kept."""
    extra = [c for c in header_of(path) if c not in schema.columns]
    atomic_write_text(path, render_rows([*schema.columns, *extra], rows))


def append_rows(path: Path, schema: Schema, new_rows: Iterable[Mapping[str, object]]) -> None:
    """Add rows under the file's lock, rewriting the file atomically."""
    with locked(path):
        rows: list[Mapping[str, object]] = list(read_rows(path, schema))
        rows.extend(new_rows)
        write_rows(path, schema, rows)


def update_rows(path: Path, schema: Schema, change: Callable[[list[Row]], list[Row]]) -> None:
    """Read-modify-write a record file under its lock; `change` gets and returns all rows."""
    with locked(path):
        rows = change(read_rows(path, schema))
        write_rows(path, schema, rows)
