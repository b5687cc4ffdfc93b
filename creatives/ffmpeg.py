"""The one place the project runs ffmpeg and ffprobe: argv lists, errors with stderr's last line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from creatives.errors import MediaError


def find_tool(name: str) -> str | None:
    """Absolute path of `ffmpeg` or `ffprobe` on PATH, or None."""
    return shutil.which(name)


def require_tool(name: str) -> str:
    """Path of the tool, or a MediaError saying how to install it."""
    path = find_tool(name)
    if path is None:
        raise MediaError(
            f"{name} not found on PATH: install ffmpeg "
            "('sudo apt-get install ffmpeg' or 'brew install ffmpeg')"
        )
    return path


def tool_version(name: str) -> str | None:
    """The version word of `ffmpeg -version` (or ffprobe), or None when missing."""
    path = find_tool(name)
    if path is None:
        return None
    out = subprocess.run([path, "-version"], capture_output=True, text=True, check=False)
    first = out.stdout.splitlines()[0] if out.stdout else ""
    parts = first.split()
    return parts[2] if len(parts) > 2 else first or None


# How ffmpeg tags a log line of an error level when asked to (`-loglevel level+info`).
_LEVEL_TAG = re.compile(r"\[(?:error|fatal|panic)\] ?")


def _last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"


def run_ffmpeg(args: list[str], *, subject: Path | str, timeout: float | None = None) -> None:
    """Run ffmpeg with `args` (no shell); a failure raises MediaError naming `subject`."""
    ffmpeg_output(args, subject=subject, timeout=timeout)


def ffmpeg_output(args: list[str], *, subject: Path | str, timeout: float | None = None) -> bytes:
    """Run ffmpeg with `args` and return what it wrote to stdout (e.g. raw frames on `pipe:1`)."""
    return _run(args, subject=subject, timeout=timeout, loglevel="error").stdout


def ffmpeg_log(args: list[str], *, subject: Path | str, timeout: float | None = None) -> str:
    """Run ffmpeg with `args` at log level info and return its log (what filters such as
    `blackdetect` report)."""
    return _run(args, subject=subject, timeout=timeout, loglevel="info").stderr.decode(
        "utf-8", "replace"
    )


def ffmpeg_output_and_log(
    args: list[str], *, subject: Path | str, timeout: float | None = None
) -> tuple[bytes, str]:
    """Run ffmpeg with `args`; returns what it wrote to stdout and its log at level info (what
    filters such as `blackdetect` report, beside an output)."""
    proc = _run(["-nostats", *args], subject=subject, timeout=timeout, loglevel="level+info")
    return proc.stdout, proc.stderr.decode("utf-8", "replace")


def _run(
    args: list[str], *, subject: Path | str, timeout: float | None, loglevel: str
) -> subprocess.CompletedProcess[bytes]:
    argv = [require_tool("ffmpeg"), "-hide_banner", "-nostdin", "-loglevel", loglevel, "-y", *args]
    try:
        proc = subprocess.run(argv, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise MediaError(
            f"{subject}: ffmpeg took longer than {timeout} s; try a shorter or smaller file"
        ) from None
    if proc.returncode != 0:
        stderr = proc.stderr.decode("utf-8", "replace")
        if loglevel.startswith("level+"):  # a log at level info: its errors are tagged
            errors = [
                _LEVEL_TAG.sub("", line) for line in stderr.splitlines() if _LEVEL_TAG.search(line)
            ]
            stderr = "\n".join(errors) or stderr
        raise MediaError(
            f"{subject}: ffmpeg failed: {_last_line(stderr)}; the file may be damaged or in a "
            "format ffmpeg cannot read: export it again as MP4 (H.264/AAC)"
        )
    return proc


def probe_json(path: Path | str, *, timeout: float = 60) -> dict[str, Any]:
    """ffprobe's JSON (format + streams) for a file or a media URL; MediaError when it cannot
    be read."""
    argv = [
        require_tool("ffprobe"), "-v", "error", "-print_format", "json",
        "-show_format", "-show_streams", str(path),
    ]  # fmt: skip
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise MediaError(
            f"{path}: ffprobe took longer than {timeout} s; the file may be damaged: copy it again"
        ) from None
    if proc.returncode != 0:
        raise MediaError(
            f"{path}: not a readable media file ({_last_line(proc.stderr)}); "
            "it is damaged or not media: copy or export it again"
        )
    try:
        data: dict[str, Any] = json.loads(proc.stdout or "{}")
    except json.JSONDecodeError:
        raise MediaError(
            f"{path}: ffprobe returned unreadable output; check that ffmpeg is installed "
            "correctly (creative-flow doctor)"
        ) from None
    return data
