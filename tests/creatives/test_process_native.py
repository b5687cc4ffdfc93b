"""`process --native` on a folder of mixed media: pairs within spec, rows, bad files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat

from tests.creatives.conftest import BAD_SOURCES, copy_source, ffprobe, run_cli, sha256, stream
from tracking import inventory

GOOD = {
    # source -> (native clip seconds, source has audio)
    "landscape.mp4": (4, True),
    "rotated.mp4": (4, True),
    "square.mp4": (4, False),
    "noaudio.mp4": (4, False),
    "forty_sec.mp4": (4, True),
    "black_lead.mp4": (4, True),
    "split_rot90.mp4": (4, False),
}
# Shorter than a native clip: refused for native, never stretched or looped.
TOO_SHORT = ("two_sec.mp4",)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def batch(module_workspace: Path, source_library: dict[str, Path]) -> Any:
    """The mixed inbox processed once with --native --jobs 2."""
    for name in [*GOOD, "noisy.png", *BAD_SOURCES, *TOO_SHORT]:
        copy_source(source_library, module_workspace, name, f"inbox/{name}")
    result = run_cli("--workspace", module_workspace, "process", "--native", "--jobs", "2")
    rows: dict[str, list[dict[str, str]]] = {}
    for row in inventory.load(module_workspace / "records/inventory.csv"):
        rows.setdefault(row["original_filename"], []).append(row)
    return result, rows


@pytest.fixture
def native_batch(batch: Any) -> Any:
    return batch


@pytest.fixture
def workspace(module_workspace: Path) -> Path:
    return module_workspace


def by_type(rows: list[dict[str, str]], kind: str) -> dict[str, str]:
    return next(r for r in rows if r["creative_type"] == kind)


def test_every_video_gives_a_named_640x360_pair_within_spec(
    native_batch: Any, workspace: Path
) -> None:
    _, rows = native_batch
    for name, (seconds, audio) in GOOD.items():
        video_row = by_type(rows[name], "native_video")
        image_row = by_type(rows[name], "native_image")
        pair = video_row["native_pair_id"]
        assert re.fullmatch(r"ID-[0-9A-F]{8}", pair)
        assert image_row["native_pair_id"] == pair
        assert video_row["unique_id"] == f"{pair}-VID" and image_row["unique_id"] == f"{pair}-IMG"
        assert re.fullmatch(rf"VID_.+_{seconds}sec_{pair}-VID\.mp4", video_row["new_filename"])
        assert re.fullmatch(rf"IMG_.+_{pair}-IMG\.png", image_row["new_filename"])
        assert "sec_" not in image_row["new_filename"]

        clip = workspace / "processed" / video_row["new_filename"]
        data = ffprobe(clip)
        picture = stream(data, "video")
        assert picture is not None
        assert (picture["width"], picture["height"]) == (640, 360)
        assert picture["codec_name"] == "h264" and picture["pix_fmt"] == "yuv420p"
        assert not any("rotation" in s for s in picture.get("side_data_list", []))
        sound = stream(data, "audio")
        assert (sound is not None) == audio, name
        if sound is not None:
            assert sound["codec_name"] == "aac"
        assert float(data["format"]["duration"]) == pytest.approx(seconds, abs=0.15)
        raw = clip.read_bytes()
        assert raw.find(b"moov") < raw.find(b"mdat"), "+faststart puts the index first"

        still = workspace / "processed" / image_row["new_filename"]
        assert still.read_bytes().startswith(PNG_MAGIC)
        assert still.stat().st_size <= 300_000
        with Image.open(still) as image:
            assert image.size == (640, 360) and image.format == "PNG"


def test_rows_carry_values_measured_on_the_produced_files(
    native_batch: Any, workspace: Path, source_library: dict[str, Path]
) -> None:
    _, rows = native_batch
    for name in [*GOOD, "noisy.png"]:
        for row in rows[name]:
            produced = workspace / "processed" / row["new_filename"]
            assert produced.is_file()
            assert row["file_size_mb"] == f"{produced.stat().st_size / 1_000_000:.4f}"
            assert (row["width_px"], row["height_px"], row["aspect_ratio"]) == (
                "640",
                "360",
                "16:9",
            )
            if row["creative_type"] == "native_video":
                measured = float(ffprobe(produced)["format"]["duration"])
                assert float(row["duration_seconds"]) == pytest.approx(measured, abs=0.01)
            assert row["content_sha256"] == sha256(source_library[name])
            original = workspace / row["source_path"]
            assert original.parent.name == "originals" and sha256(original) == row["content_sha256"]
            assert not (workspace / "inbox" / name).exists()
    processed = sorted(p.name for p in (workspace / "processed").iterdir())
    recorded = sorted(r["new_filename"] for group in rows.values() for r in group)
    assert processed == recorded, "every file has its row, every row its file, no leftovers"


def test_bad_files_are_named_left_untouched_and_the_exit_says_partial(
    native_batch: Any, workspace: Path, source_library: dict[str, Path]
) -> None:
    result, rows = native_batch
    assert result.exit_code == 7
    reasons = {
        "corrupt.mp4": "not a readable media file",
        "empty.mp4": "empty file",
        "notes.txt": "unsupported file type",
        "audio_only.mp4": "no video stream",
        "broken.png": "not a readable image",
        "two_sec.mp4": "is 2.0 s long; a native clip needs 4 s",
    }
    failed_lines = [line for line in result.stderr.splitlines() if line.startswith("failed:")]
    assert len(failed_lines) == len(BAD_SOURCES) + len(TOO_SHORT)
    for name, reason in reasons.items():
        assert any(f"inbox/{name}" in line and reason in line for line in failed_lines), name
        (line,) = [ln for ln in failed_lines if f"inbox/{name}:" in ln]
        assert any(hint in line for hint in ("again", "use ")), f"no advice: {line}"
        assert sha256(workspace / "inbox" / name) == sha256(source_library[name])
        assert name not in rows
    assert "processed" in result.stdout and "failed" in result.stdout


def test_rotation_is_honoured_when_cropping(native_batch: Any, workspace: Path) -> None:
    """Stored left-white/right-black, shown rotated: the crop splits top from bottom."""
    _, rows = native_batch
    still = (
        workspace / "processed" / by_type(rows["split_rot90.mp4"], "native_image")["new_filename"]
    )
    with Image.open(still) as image:
        grey = image.convert("L")
        top = ImageStat.Stat(grey.crop((0, 0, 640, 150))).mean[0]
        bottom = ImageStat.Stat(grey.crop((0, 210, 640, 360))).mean[0]
        left = ImageStat.Stat(grey.crop((0, 0, 320, 360))).mean[0]
        right = ImageStat.Stat(grey.crop((320, 0, 640, 360))).mean[0]
    assert abs(top - bottom) > 150
    assert abs(left - right) < 20


def test_the_thumbnail_skips_a_black_opening(native_batch: Any, workspace: Path) -> None:
    _, rows = native_batch
    row = by_type(rows["black_lead.mp4"], "native_image")
    with Image.open(workspace / "processed" / row["new_filename"]) as image:
        stats = ImageStat.Stat(image.convert("RGB"))
    assert sum(stats.stddev) / 3 > 20 and sum(stats.mean) / 3 > 20
    assert "thumbnail from 1 s" in row["notes"]


def test_a_large_noisy_image_is_compressed_under_300000_bytes(
    native_batch: Any, workspace: Path
) -> None:
    _, rows = native_batch
    (row,) = rows["noisy.png"]
    assert row["creative_type"] == "native_image"
    assert "reduced to" in row["notes"] and "colours" in row["notes"]
    still = workspace / "processed" / row["new_filename"]
    assert 200_000 < still.stat().st_size <= 300_000
    assert still.read_bytes().startswith(PNG_MAGIC)


def test_a_second_run_skips_everything_already_recorded(
    native_batch: Any, cli: Any, put: Any, workspace: Path
) -> None:
    _, rows = native_batch
    before = (workspace / "records/inventory.csv").read_text()
    for name in GOOD:
        put(name, f"inbox/again/{name}")
    result = cli("--workspace", workspace, "process", "--native")
    assert (workspace / "records/inventory.csv").read_text() == before
    for name in GOOD:
        pair = rows[name][0]["native_pair_id"]
        assert re.search(rf"inbox/again/{name}.*already processed as {pair}-", result.stdout)
        assert (workspace / "inbox/again" / name).exists()
    assert result.exit_code == 7  # the bad files are still there, still reported
