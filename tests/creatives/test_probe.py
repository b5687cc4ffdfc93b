"""Probing sources: sizes as displayed, audio, durations; bad files named with their reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from creatives.errors import MediaError
from creatives.probe import probe


def test_a_landscape_video_with_sound(source_library: dict[str, Path]) -> None:
    info = probe(source_library["landscape.mp4"])
    assert (info.width, info.height) == (480, 270)
    assert info.is_video and info.has_audio
    assert info.duration == pytest.approx(4.5, abs=0.1)
    assert info.video_codec == "h264" and info.audio_codec == "aac"
    assert info.fps == pytest.approx(25)
    assert info.format == "mp4"


def test_a_phone_video_tagged_rotate_90_is_portrait(source_library: dict[str, Path]) -> None:
    info = probe(source_library["rotated.mp4"])
    assert info.rotation in (90, 270)
    assert (info.width, info.height) == (180, 320)
    assert info.portrait


def test_a_silent_video_has_no_audio(source_library: dict[str, Path]) -> None:
    info = probe(source_library["noaudio.mp4"])
    assert not info.has_audio and info.audio_codec == ""


def test_a_still_is_probed_by_pillow(source_library: dict[str, Path]) -> None:
    info = probe(source_library["picture.jpg"])
    assert not info.is_video
    assert (info.width, info.height, info.format, info.duration) == (800, 600, "jpg", 0.0)


def test_a_photo_turned_by_exif_reports_its_displayed_size(tmp_path: Path) -> None:
    path = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 when displayed
    Image.new("RGB", (400, 300), "red").save(path, "JPEG", exif=exif.tobytes())
    info = probe(path)
    assert (info.width, info.height) == (300, 400)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.mp4", "empty file"),
        ("corrupt.mp4", "not a readable media file"),
        ("notes.txt", "unsupported file type"),
        ("audio_only.mp4", "no video stream"),
        ("broken.png", "not a readable image"),
    ],
)
def test_bad_sources_raise_one_line_naming_the_file(
    source_library: dict[str, Path], name: str, reason: str
) -> None:
    with pytest.raises(MediaError) as caught:
        probe(source_library[name])
    message = str(caught.value)
    assert name in message and reason in message
    assert "\n" not in message
