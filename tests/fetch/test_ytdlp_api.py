"""yt-dlp is used through its public API, with its own retries on, within a tested version range."""

from __future__ import annotations

import inspect
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from yt_dlp import YoutubeDL

from automation.scrapers import ytdlp

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_no_private_yt_dlp_method_is_overridden() -> None:
    subclasses = [
        cls
        for _, cls in inspect.getmembers(ytdlp, inspect.isclass)
        if issubclass(cls, YoutubeDL) and cls is not YoutubeDL
    ]
    assert subclasses == [], "use YoutubeDL's params and hooks, not a subclass"


def test_yt_dlp_retries_requests_and_fragments_itself(tmp_path: Path) -> None:
    options = ytdlp.YtdlpOptions(tmp_path / "archive.txt", retries=2)
    params = ytdlp._params(options, ytdlp.Archive(options.archive), tmp_path, 5.0, None)
    assert params["retries"] == 2
    assert params["fragment_retries"] == 2, "one failed fragment must not restart the download"
    assert "download_archive" not in params, "the archive is ours, written once files are kept"


def test_the_archive_reads_and_writes_yt_dlp_s_format(tmp_path: Path) -> None:
    path = tmp_path / "archive.txt"
    path.write_text("youtube abc123\n")
    archive = ytdlp.Archive(path)
    assert {"id": "abc123", "extractor_key": "Youtube"} in archive
    assert archive.skip_recorded({"id": "abc123", "extractor_key": "Youtube"})
    assert archive.skip_recorded({"id": "new1", "extractor_key": "Youtube"}) is None
    archive.record([{"id": "new1", "extractor_key": "Youtube"}] * 2)
    assert path.read_text().splitlines() == ["youtube abc123", "youtube new1"]


def test_the_installed_yt_dlp_is_inside_the_declared_range() -> None:
    deps = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    [requirement] = [Requirement(d) for d in deps if Requirement(d).name == "yt-dlp"]
    assert any(s.operator in ("<", "<=") for s in requirement.specifier), "an upper bound"
    assert version("yt-dlp") in requirement.specifier
