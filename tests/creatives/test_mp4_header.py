"""A plain MP4 is measured from its own header exactly as ffprobe measures it; anything the
header reader cannot vouch for is left to ffprobe."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from creatives import ffmpeg as ff
from creatives.errors import MediaError
from creatives.mp4_header import read_header
from creatives.probe import MediaInfo, probe, video_info
from tests.creatives.conftest import ffmpeg

# name -> (encoder arguments, muxer arguments, extension, then: a stream copy with these
# arguments before and after its input)
Case = tuple[list[str], list[str], str, tuple[list[str], list[str]] | None]
PLAIN: dict[str, Case] = {
    "baseline, with sound": (["-profile:v", "baseline"], [], "mp4", None),
    "main at level 4.2": (["-profile:v", "main", "-level", "4.2"], [], "mp4", None),
    "high with B-frames": (["-preset", "medium", "-profile:v", "high"], [], "mp4", None),
    "high, cut by a stream copy (edit lists)": (
        ["-preset", "medium"],
        [],
        "mp4",
        (["-ss", "0.37"], []),
    ),
    "854x480, cropped at the right and bottom": (["-vf", "scale=854:480"], [], "mp4", None),
    "full range": (["-pix_fmt", "yuvj420p"], [], "mp4", None),
    "full range by flag": (["-color_range", "pc"], [], "mp4", None),
    "bt709 colour description": (
        ["-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709"],
        [],
        "mp4",
        None,
    ),
    "29.97 fps": (["-r", "30000/1001"], [], "mp4", None),
    "variable frame rate": (
        ["-vf", "setpts='PTS+0.01*random(1)/TB'", "-vsync", "vfr"],
        [],
        "mp4",
        None,
    ),
    "interlaced": (["-flags", "+ildct+ilme", "-x264-params", "tff=1"], [], "mp4", None),
    "extended sample aspect ratio": (["-vf", "setsar=17/13"], [], "mp4", None),
    "custom quantiser matrices": (["-x264-params", "cqm=jvt"], [], "mp4", None),
    "header at the front": ([], ["-movflags", "+faststart"], "mp4", None),
    "QuickTime file": ([], [], "mov", None),
    "turned 90": ([], [], "mp4", ([], ["-metadata:s:v:0", "rotate=90"])),
    "turned 180": ([], [], "mp4", ([], ["-metadata:s:v:0", "rotate=180"])),
    "turned 270": ([], [], "mp4", ([], ["-metadata:s:v:0", "rotate=270"])),
}
LEFT_TO_FFPROBE: dict[str, Case] = {
    "4:4:4": (["-pix_fmt", "yuv444p"], [], "mp4", None),
    "10 bits": (["-pix_fmt", "yuv420p10le"], [], "mp4", None),
    "monochrome": (["-pix_fmt", "gray"], [], "mp4", None),
    "HEVC": (["-c:v", "libx265", "-x265-params", "log-level=error"], [], "mp4", None),
    "fragmented": ([], ["-movflags", "frag_keyframe+empty_moov"], "mp4", None),
    "MP3 sound": ([], ["-c:a", "libmp3lame"], "mp4", None),
}


def make(folder: Path, name: str, case: Case) -> Path:
    encode, mux, ext, copy = case
    slug = "".join(c if c.isalnum() else "-" for c in name)
    path = folder / f"{slug}.{ext}"
    out = path.with_name(f"{slug}-encoded.{ext}") if copy is not None else path
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=1.5",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=1.5",
        "-c:v", "libx264", "-preset", "ultrafast", *encode, "-c:a", "aac", "-shortest", *mux,
        str(out),
    )  # fmt: skip
    if copy is not None:
        ffmpeg(*copy[0], "-i", str(out), "-c", "copy", *copy[1], str(path))
    return path


def ffprobes_view(path: Path) -> MediaInfo:
    return video_info(path, ff.probe_json(path))


@pytest.mark.parametrize("name", list(PLAIN))
def test_a_plain_mp4_is_measured_from_its_header_as_ffprobe_measures_it(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make(tmp_path, name, PLAIN[name])
    expected = ffprobes_view(path)
    assert read_header(path) is not None
    # No ffprobe process: the header answers alone.
    monkeypatch.setattr(ff, "probe_json", lambda *a, **k: pytest.fail("ffprobe was run"))
    measured = probe(path)
    for f in fields(MediaInfo):
        if f.name == "fps":
            assert measured.fps == pytest.approx(expected.fps, rel=1e-9), name
        else:
            assert getattr(measured, f.name) == getattr(expected, f.name), (name, f.name)


@pytest.mark.parametrize("name", list(LEFT_TO_FFPROBE))
def test_what_the_header_reader_cannot_vouch_for_is_measured_by_ffprobe(
    tmp_path: Path, name: str
) -> None:
    path = make(tmp_path, name, LEFT_TO_FFPROBE[name])
    assert read_header(path) is None
    assert probe(path) == ffprobes_view(path)


def test_a_damaged_header_is_left_to_ffprobe_and_refused_with_its_word(tmp_path: Path) -> None:
    path = make(tmp_path, "plain", ([], ["-movflags", "+faststart"], "mp4", None))
    data = bytearray(path.read_bytes())
    at = data.index(b"avcC")
    data[at + 4 : at + 40] = bytes(36)  # the parameter set zeroed
    path.write_bytes(bytes(data))
    assert read_header(path) is None
    try:
        expected = ffprobes_view(path)
    except MediaError as exc:
        with pytest.raises(MediaError) as refused:
            probe(path)
        assert str(refused.value) == str(exc)
        return
    assert probe(path) == expected
