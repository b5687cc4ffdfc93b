"""Atomic, locked CSV files: read tolerantly, write whole files by temp-file-and-rename."""

from __future__ import annotations

import csv
import errno
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import repeat
from pathlib import Path

from filelock import FileLock, Timeout

from tracking.errors import RecordsError
from tracking.schemas import Schema

Row = dict[str, str]
LOCK_TIMEOUT_S = 120


def cannot_write(folder: Path, exc: OSError) -> RecordsError:
    """The one-line error for a records folder that refuses a write, saying what to do."""
    reason = exc.strerror or type(exc).__name__
    if exc.errno in (errno.EACCES, errno.EPERM):
        advice = f"give your user write permission on it (e.g. chmod u+rwx {folder})"
    elif exc.errno == errno.EROFS:
        advice = "it is on a read-only file system; use a workspace on a writable disk"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        advice = "the disk is full; free some space and run again"
    else:
        advice = "check that the folder exists and is writable"
    return RecordsError(f"{folder}: cannot write records there ({reason}); {advice}")


@contextmanager
def writable(folder: Path) -> Iterator[None]:
    """Turn an OS refusal to write into `folder` into a RecordsError that says what to do."""
    try:
        yield
    except OSError as exc:
        raise cannot_write(folder, exc) from None


def lock_file(path: Path) -> Path:
    """Where the lock of `path` lives: one hidden `.locks/` folder beside it, not a `.lock`
    file beside every record."""
    return path.parent / ".locks" / f"{path.name}.lock"


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the lock of a record file (see `lock_file`) for a read-modify-write."""
    with writable(path.parent):
        lock_file(path).parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(lock_file(path)))
    try:
        lock.acquire(timeout=timeout)
    except Timeout:  # a TimeoutError, so an OSError too: this one first
        raise RecordsError(
            f"{path}: another creative-flow run holds its lock; wait for it to finish"
        ) from None
    except OSError as exc:
        raise cannot_write(path.parent, exc) from None
    try:
        yield
    finally:
        lock.release()


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
    with writable(path.parent):
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
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise cannot_write(path.parent, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def append_durably(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Append bytes to a file and fsync them: on disk before this returns (journals)."""
    with writable(path.parent):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, mode)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    """Text version of atomic_write_bytes (UTF-8)."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def _decoded(path: Path, data: bytes, what: str) -> str:
    """The file's text; undecodable bytes raise, naming the line they are on."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RecordsError(
            f"{path}:{line}: {what} has bytes that are not UTF-8; re-save that line as UTF-8 "
            "(or restore the file from a backup); nothing was written"
        ) from None


def read_text(path: Path, schema: Schema) -> str | None:
    """A record file's text (None when the file is missing); bytes that are not UTF-8 raise,
    naming the line."""
    if not path.exists():
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RecordsError(f"{path}: cannot read {schema.name} ({exc.strerror})") from None
    return _decoded(path, data, schema.name)


def read_rows(path: Path, schema: Schema, *, repair_hint: str = "") -> list[Row]:
    """All rows of a record file; a missing file is empty.

    A damaged file (a row with the wrong number of fields, a last line a crash cut short,
    bytes that are not UTF-8) raises RecordsError naming the file and line, so a command stops
    before it writes anything from a misread record. `repair_hint` replaces the default advice.
    """
    text = read_text(path, schema)
    return [] if text is None else parse_rows(path, schema, text, repair_hint=repair_hint)


def parse_rows(path: Path, schema: Schema, text: str, *, repair_hint: str = "") -> list[Row]:
    """The rows of a record file's text, checked as `read_rows` says (`path` names it)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
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
        return _rows(path, schema, reader, header, torn=not text.endswith("\n"), hint=repair_hint)
    except csv.Error as exc:
        raise RecordsError(
            f"{path}:{reader.line_num}: {schema.name} is not valid CSV ({exc}); "
            f"{repair_hint or 'fix that line'}; nothing was written"
        ) from None


def plain_lines(text: str, columns: Sequence[str]) -> list[str] | None:
    """The data lines of a record file's text when it is in the plain form the writer gives
    it, else None (then the csv module must read it).

    Plain: the header is exactly `columns`, nothing is quoted, lines end the same way, and
    every line has every field. Such lines split on commas give exactly what csv.reader
    gives, at a fraction of its cost (it builds a string per field).
    """
    if '"' in text or "\x00" in text:
        return None
    if "\r" in text:
        lines = text.split("\r\n")
        if not text.count("\r") == text.count("\n") == len(lines) - 1:  # a lone CR or LF
            return None
    else:
        lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != ",".join(columns):
        return None
    del lines[0]
    # A line with a comma too many or too few (or a blank one), or one longer than csv's
    # field limit: the csv module says what is wrong with it, naming its line.
    if lines and (
        set(map(str.count, lines, repeat(","))) != {len(columns) - 1}
        or max(map(len, lines)) >= csv.field_size_limit()
    ):
        return None
    return lines


def _rows(
    path: Path, schema: Schema, reader: Iterator[list[str]], header: list[str], *, torn: bool,
    hint: str,
) -> list[Row]:  # fmt: skip
    rows: list[Row] = []
    line = 1
    for values in reader:
        line = reader.line_num  # type: ignore[attr-defined]
        if not "".join(values).strip():  # a blank row (every value blank)
            continue
        if len(values) != len(header):
            last = torn and _at_end(reader)
            what = (
                "the last line is cut short (a run was stopped while writing it)"
                if last and len(values) < len(header)
                else f"row has {len(values)} fields, header has {len(header)}"
            )
            advice = hint or "repair or remove that line (quote values with commas)"
            raise RecordsError(
                f"{path}:{line}: {schema.name}: {what}; {advice}; nothing was written"
            )
        row = dict.fromkeys(schema.columns, "")
        row.update(zip(header, values, strict=False))
        rows.append(row)
    return rows


def _at_end(reader: Iterator[list[str]]) -> bool:
    """Whether the reader has no row left (used only once a bad row stops the reading)."""
    return next(reader, None) is None


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


def row_renderer(columns: Sequence[str]) -> Callable[[Mapping[str, object]], str]:
    """A function giving one row's CSV text, line end included, exactly as `render_rows`
    writes that row under `columns` (its header is the row of the column names)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")

    def render(row: Mapping[str, object]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
        return buffer.getvalue()

    return render


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
