"""Media people really drop into an inbox: misnamed files, fades, short clips, odd pixels."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat

from creatives.convert import incompatibilities
from creatives.native import clip_start
from creatives.probe import MediaInfo
from creatives.spec import PlatformSpecs
from tests.creatives.conftest import ffprobe, sha256, stream
from tracking import inventory

INVENTORY = "records/inventory.csv"


def process_json(cli: Any, workspace: Path, *args: str) -> tuple[Any, dict[str, Any]]:
    result = cli("--workspace", workspace, "process", *args, "--json")
    return result, json.loads(result.stdout)


def failed_reason(report: dict[str, Any], name: str) -> str:
    (item,) = [i for i in report["failed"] if Path(i["source"]).name == name]
    return str(item["reason"])


def rows_by_source(workspace: Path) -> dict[str, list[dict[str, str]]]:
    rows: dict[str, list[dict[str, str]]] = {}
    for row in inventory.load(workspace / INVENTORY):
        rows.setdefault(row["original_filename"], []).append(row)
    return rows


# --- content decides the type ---------------------------------------------------------------


@pytest.mark.parametrize("mode", [[], ["--native"]])
def test_a_png_named_mp4_is_refused_and_never_blocks_the_real_png(
    mode: list[str], cli: Any, put: Any, workspace: Path
) -> None:
    misnamed = put("png_named.mp4", "inbox/a_clip.mp4")
    real = workspace / "inbox/b_still.png"
    real.write_bytes(misnamed.read_bytes())
    result, report = process_json(cli, workspace, *mode)
    assert result.exit_code == 7
    reason = failed_reason(report, "a_clip.mp4")
    assert reason == "is a PNG image named .mp4: rename it to a_clip.png"
    assert [Path(i["source"]).name for i in report["processed"]] == ["b_still.png"]
    rows = rows_by_source(workspace)
    assert "a_clip.mp4" not in rows and "b_still.png" in rows
    assert not any("sec" in r["new_filename"] for r in rows["b_still.png"])
    assert misnamed.exists(), "a refused file stays where it was"
    # Renamed as it asks, it is the same picture: already processed, not a failure.
    misnamed.rename(misnamed.with_suffix(".png"))
    again, report = process_json(cli, workspace, *mode)
    assert again.exit_code == 0 and not report["failed"]
    assert "already processed" in report["skipped"][0]["reason"]


def test_a_video_named_png_is_refused_with_the_name_to_use(
    cli: Any, put: Any, workspace: Path
) -> None:
    put("landscape.mp4", "inbox/holiday.png")
    result, report = process_json(cli, workspace)
    assert result.exit_code == 7
    assert failed_reason(report, "holiday.png") == (
        "is an MP4/QuickTime video named .png: rename it to holiday.mp4"
    )
    assert not (workspace / INVENTORY).exists()


def test_a_failed_source_lets_the_same_content_under_another_name_through(
    cli: Any, put: Any, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first copy fails while converting: the second copy is processed, not skipped."""
    put("landscape.mp4", "inbox/a.mp4")
    put("landscape.mp4", "inbox/b.mp4")
    from creatives import produce
    from creatives.errors import MediaError

    real_verify = produce.verify

    def fail_for_a(measured: Any, planned: Any, specs: Any, *, subject: Path) -> None:
        if subject.name == "a.mp4":
            raise MediaError(f"{subject}: output off spec: a test failure")
        real_verify(measured, planned, specs, subject=subject)

    monkeypatch.setattr(produce, "verify", fail_for_a)
    result, report = process_json(cli, workspace)
    assert result.exit_code == 7
    assert [Path(i["source"]).name for i in report["processed"]] == ["b.mp4"]
    assert [Path(i["source"]).name for i in report["failed"]] == ["a.mp4"]
    assert list(rows_by_source(workspace)) == ["b.mp4"]


# --- native clips by the spec ---------------------------------------------------------------


def black_spans(path: Path) -> list[tuple[float, float]]:
    """ffmpeg's own blackdetect on a produced file (independent of the code under test)."""
    out = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-i", str(path), "-map", "0:v:0",
         "-vf", "blackdetect=d=0:pix_th=0.10", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found = re.findall(r"black_start:([0-9.]+) black_end:([0-9.]+)", out.stderr)
    return [(float(a), float(b)) for a, b in found]


def test_the_native_clip_starts_after_a_fade_from_black(
    cli: Any, put: Any, workspace: Path
) -> None:
    put("fade_in.mp4")
    result, _ = process_json(cli, workspace, "--native")
    assert result.exit_code == 0, result.output
    rows = {r["creative_type"]: r for r in rows_by_source(workspace)["fade_in.mp4"]}
    clip = workspace / "processed" / rows["native_video"]["new_filename"]
    assert float(ffprobe(clip)["format"]["duration"]) == pytest.approx(4.0, abs=0.15)
    assert not black_spans(clip), "no black frame at the start (or anywhere) of the clip"
    start = float(re.search(r"clip from ([0-9.]+) s", rows["native_video"]["notes"])[1])  # type: ignore[index]
    assert 1.5 <= start < 2.5
    # The still comes from inside the clip's window, and shows picture.
    shown = re.search(r"thumbnail from ([0-9.]+) s", rows["native_image"]["notes"])
    assert shown is None or start <= float(shown[1]) <= start + 4
    with Image.open(workspace / "processed" / rows["native_image"]["new_filename"]) as still:
        assert sum(ImageStat.Stat(still.convert("RGB")).stddev) / 3 > 20


@pytest.mark.parametrize(
    ("folder", "args", "action"),
    [
        ("inbox", ["--native"], "or process it without --native"),
        ("inbox/native", [], "or move it out of the native/ folder"),
    ],
)
def test_a_source_shorter_than_a_native_clip_is_refused_for_native(
    folder: str, args: list[str], action: str, cli: Any, put: Any, workspace: Path
) -> None:
    source = put("one_sec.mp4", f"{folder}/one_sec.mp4")
    result, report = process_json(cli, workspace, *args)
    assert result.exit_code == 7
    assert failed_reason(report, "one_sec.mp4") == (
        f"is 1.0 s long; a native clip needs 4 s: use a video of at least 4 s, {action}"
    )
    assert not (workspace / INVENTORY).exists() and source.exists()


def test_a_short_source_is_still_a_plain_video_without_native(
    cli: Any, put: Any, workspace: Path
) -> None:
    put("one_sec.mp4")
    result, report = process_json(cli, workspace)
    assert result.exit_code == 0
    assert report["processed"][0]["creative_types"] == ["video"]


@pytest.mark.parametrize(
    ("duration", "black", "start"),
    [
        (10.0, [], 0.0),
        (10.0, [(0.0, 1.5)], 1.5),  # black opening skipped
        (5.0, [(0.0, 2.0)], 1.0),  # too long an opening for 4 s after it: as little black as fits
        (10.0, [(0.0, 1.0), (4.5, 5.5)], 5.5),  # 1-5 would end on black: the next clean window
        (7.0, [(0.0, 1.0), (4.5, 7.0)], 1.0),  # no clean end possible: start on picture
        (10.0, [(3.0, 3.5)], 0.0),  # black in the middle is not the clip's start or end
    ],
)
def test_the_clip_window_avoids_black_at_its_start_and_end(
    duration: float, black: list[tuple[float, float]], start: float
) -> None:
    assert clip_start(duration, 4.0, black) == pytest.approx(start)


# --- compatibility by the whole stream ------------------------------------------------------


def test_h264_high_444_is_transcoded_not_passed_through(
    cli: Any, put: Any, workspace: Path, source_library: dict[str, Path]
) -> None:
    put("yuv444.mp4")
    result, report = process_json(cli, workspace)
    assert result.exit_code == 0, result.output
    (item,) = report["processed"]
    output = workspace / "processed" / item["outputs"][0]
    assert sha256(output) != sha256(source_library["yuv444.mp4"])
    picture = stream(ffprobe(output), "video")
    assert picture is not None
    assert (picture["codec_name"], picture["pix_fmt"], picture["profile"]) == (
        "h264",
        "yuv420p",
        "High",
    )
    assert any("pixel format yuv444p" in note for note in item["notes"])


def compatible_video(**changes: Any) -> MediaInfo:
    base: dict[str, Any] = dict(
        path=Path("clip.mp4"), is_video=True, width=1280, height=720, duration=8.0,
        video_codec="h264", audio_codec="aac", format="mp4", video_profile="Main",
        pixel_format="yuv420p", video_level=31,
    )  # fmt: skip
    return MediaInfo(**{**base, **changes})


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"format": "mov"}, "container mov"),
        ({"video_codec": "hevc"}, "codec hevc"),
        ({"video_profile": "High 10"}, "profile High 10"),
        ({"video_profile": "High 4:2:2"}, "profile High 4:2:2"),
        ({"pixel_format": "yuv420p10le"}, "pixel format yuv420p10le"),
        ({"pixel_format": "yuvj420p"}, "pixel format yuvj420p"),
        ({"video_level": 52}, "level 5.2"),
        ({"rotation": 90}, "rotated 90"),
        ({"audio_codec": "mp3"}, "audio mp3"),
    ],
)
def test_each_part_of_the_stream_decides_a_pass_through(
    change: dict[str, Any], problem: str
) -> None:
    specs = PlatformSpecs("test")
    assert incompatibilities(compatible_video(), specs) == []
    assert incompatibilities(compatible_video(**change), specs) == [problem]


# --- colour-space oddities in images --------------------------------------------------------

IMAGE_OUTPUTS = {
    "image": [],
    "banner": ["--banner-size", "300x250"],
    "native": ["--native"],
}


def centre_and_left(path: Path) -> tuple[str, Any, Any]:
    with Image.open(path) as image:
        width, height = image.size
        return image.mode, image.getpixel((width * 3 // 4, height // 2)), image.getpixel((5, 5))


@pytest.mark.parametrize("output", list(IMAGE_OUTPUTS))
@pytest.mark.parametrize("name", ["cmyk.jpg", "gray16.png", "palette_alpha.png"])
def test_odd_colour_spaces_become_plain_8_bit_pictures(
    name: str, output: str, cli: Any, put: Any, workspace: Path
) -> None:
    put(name)
    result, report = process_json(cli, workspace, *IMAGE_OUTPUTS[output])
    assert result.exit_code == 0, result.output
    produced = workspace / "processed" / report["processed"][0]["outputs"][0]
    if produced.suffix == ".png":
        assert produced.read_bytes()[24] <= 8, "8 bits per sample at most"
    mode, right, left = centre_and_left(produced)
    assert mode in ("RGB", "RGBA")
    if name == "cmyk.jpg":
        assert right[0] > 200 and right[1] < 60 and right[2] < 60, right  # still red
    elif name == "gray16.png":
        assert all(110 < channel < 150 for channel in right[:3]), right  # mid grey, not white
    else:
        assert right[:3] == (0, 0, 255)
        # The transparent half stays see-through, or turns white where alpha cannot go.
        assert left == ((255, 255, 255) if output == "native" else (255, 0, 0, 0)) or (
            mode == "RGBA" and left[3] == 0
        ), left
