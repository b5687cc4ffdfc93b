"""Files as they lie on disk (links, linked and read-only folders); errors that say what to do."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from creatives.errors import MediaError
from creatives.ffmpeg import ffmpeg_output_and_log, run_ffmpeg
from creatives.native import native_image_from_frames
from creatives.probe import probe
from creatives.spec import NativeSpec
from tests.creatives.conftest import sha256
from tests.fixtures.media import make_corrupt_video
from tracking import inventory

INVENTORY = "records/inventory.csv"


def process_json(cli: Any, workspace: Path, *args: str) -> tuple[Any, dict[str, Any]]:
    result = cli("--workspace", workspace, "process", *args, "--json")
    return result, json.loads(result.stdout)


def test_a_linked_file_leaves_its_bytes_in_originals_and_keeps_its_folders_category(
    cli: Any, workspace: Path, linked_file: tuple[Path, Path]
) -> None:
    link, target = linked_file
    target_hash = sha256(target)
    result, _ = process_json(cli, workspace)
    assert result.exit_code == 0, result.output
    (row,) = inventory.load(workspace / INVENTORY)
    assert row["category"] == "Cosplay" and row["original_filename"] == "link.mp4"
    original = workspace / row["source_path"]
    assert original == workspace / "originals/Cosplay/link.mp4"
    assert original.is_file() and not original.is_symlink(), "the bytes, not a link"
    assert sha256(original) == target_hash == row["content_sha256"]
    assert not link.is_symlink() and not link.exists(), "the link leaves the inbox"
    assert sha256(target) == target_hash, "the file the link pointed to is left alone"


def test_a_linked_folder_is_followed_once_with_a_line_saying_so(
    cli: Any, workspace: Path, linked_folder: tuple[Path, Path]
) -> None:
    _, target = linked_folder
    result = cli("--workspace", workspace, "process")
    assert result.exit_code == 0, result.output
    assert f"following the linked folder {target}" in result.stderr
    assert "read already; skipped" in result.stderr  # the loop inside it
    (row,) = inventory.load(workspace / INVENTORY)
    assert row["category"] == "Gym" and row["source_path"] == "originals/Gym/clip.mp4"


def test_a_source_in_a_read_only_folder_is_refused_before_any_work(
    cli: Any, workspace: Path, read_only_folder: Path
) -> None:
    source = read_only_folder
    before = sha256(source)
    result, report = process_json(cli, workspace, "--native")
    assert result.exit_code == 7
    (item,) = report["failed"]
    assert item["reason"] == (
        f"cannot be moved to originals/ after processing: its folder {source.parent} is "
        f"read-only; make it writable (chmod u+w '{source.parent}') or copy the file to a "
        "writable folder of the inbox, then run again"
    )
    assert not (workspace / INVENTORY).exists()
    assert not list((workspace / "processed").iterdir()), "no output, temp or commit file left"
    assert not list((workspace / "originals").rglob("*.mp4"))
    assert sha256(source) == before


def test_a_broken_link_says_so(cli: Any, workspace: Path) -> None:
    link = workspace / "inbox/gone.mp4"
    link.parent.mkdir(parents=True)
    link.symlink_to(workspace.parent / "nowhere.mp4")
    result, report = process_json(cli, workspace)
    assert result.exit_code == 7
    (item,) = report["failed"]
    assert item["reason"] == (
        f"is a link to {workspace.parent / 'nowhere.mp4'}, which does not exist; "
        "fix or remove the link"
    )


# --- every error line names the file, the problem and the action ----------------------------

ACTION = re.compile(
    r"[:;] (rename it|copy it again|export it again|export or copy it again|copy or export it again"
    r"|use |make it writable|fix or remove|save it as|process it without|move it out|run again"
    r"|check )"
)
FAILING = {
    "png_named.mp4": "inbox/shot.mp4",
    "one_sec.mp4": "inbox/one_sec.mp4",
    "corrupt.mp4": "inbox/corrupt.mp4",
    "empty.mp4": "inbox/empty.mp4",
    "notes.txt": "inbox/notes.txt",
    "audio_only.mp4": "inbox/audio_only.mp4",
    "broken.png": "inbox/broken.png",
}


def test_every_failure_line_names_the_file_the_problem_and_the_action(
    cli: Any, put: Any, workspace: Path, read_only_folder: Path
) -> None:
    for name, dest in FAILING.items():
        put(name, dest)
    result = cli("--workspace", workspace, "process", "--native")
    assert result.exit_code == 7
    lines = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    expected = [*FAILING.values(), "inbox/locked/clip.mp4"]
    assert len(lines) == len(expected)
    for dest in expected:
        (line,) = [ln for ln in lines if ln.startswith(f"failed: {dest}: ")]
        assert ACTION.search(line), f"no action in: {line}"


def test_library_errors_say_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match=r"no picture could be decoded .*: export it again"):
        native_image_from_frames(probe_stub(tmp_path), b"", NativeSpec())
    with pytest.raises(MediaError, match=r"ffmpeg failed: .*: export it again as MP4"):
        run_ffmpeg(["-i", str(tmp_path / "missing.mp4"), "-f", "null", "-"], subject="x.mp4")


def test_a_run_that_also_logs_fails_with_ffmpegs_own_error_line(tmp_path: Path) -> None:
    damaged = make_corrupt_video(tmp_path / "clip.mp4")
    args = ["-i", str(damaged), "-f", "null", "-"]
    with pytest.raises(MediaError) as quiet:
        run_ffmpeg(args, subject="clip.mp4")
    with pytest.raises(MediaError) as logged:
        ffmpeg_output_and_log(args, subject="clip.mp4")
    assert "Invalid data found" in str(logged.value)
    assert str(logged.value) == str(quiet.value), "the same line, without the log's level tags"


def probe_stub(tmp_path: Path) -> Any:
    from PIL import Image

    path = tmp_path / "p.png"
    Image.new("RGB", (8, 8)).save(path)
    return probe(path)
