"""Sources for the processing tests, generated once per session, and ways to inspect outputs."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from automation.cli import invoke
from tests.fixtures.env import CliResult, call_in_thread
from tests.fixtures.media import make_corrupt_video, make_image, make_video


def ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
        check=True,
        capture_output=True,
    )


def ffprobe(path: Path) -> dict[str, Any]:
    """ffprobe's own view of a file (independent of the code under test)."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
         str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def stream(data: dict[str, Any], kind: str) -> dict[str, Any] | None:
    return next((s for s in data["streams"] if s["codec_type"] == kind), None)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_split_video(path: Path, *, rotate: int, seconds: float = 4.5) -> Path:
    """Stored 320x180: left half white, right half black; tagged with a display rotation."""
    plain = path.with_name(".split-plain.mp4")
    ffmpeg(
        "-f", "lavfi", "-i", f"color=c=white:size=320x180:rate=25:duration={seconds}",
        "-vf", "drawbox=x=160:y=0:w=160:h=180:color=black:t=fill",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(plain),
    )  # fmt: skip
    ffmpeg("-i", str(plain), "-c", "copy", "-metadata:s:v:0", f"rotate={rotate}", str(path))
    plain.unlink()
    return path


def make_audio_only(path: Path) -> Path:
    """An .mp4 with sound and no picture."""
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "aac", str(path))
    return path


def make_png_named_mp4(path: Path) -> Path:
    """A PNG picture saved under a video's name (a misnamed export)."""
    make_image(path.with_name(".misnamed.png"), width=640, height=360, seed=11)
    path.with_name(".misnamed.png").rename(path)
    return path


def make_fade_from_black(path: Path) -> Path:
    """7 s that open on 1.5 s of black and fade in over 1 s, with sound."""
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=7",
        "-f", "lavfi", "-i", "sine=frequency=500:duration=7",
        "-vf", "fade=t=in:st=1.5:d=1", "-c:v", "libx264", "-preset", "ultrafast",
        "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path),
    )  # fmt: skip
    return path


def make_yuv444(path: Path) -> Path:
    """6 s of 16:9 H.264 in High 4:4:4 Predictive (yuv444p): MP4 and H.264, yet unplayable."""
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=10:duration=6",
        "-f", "lavfi", "-i", "sine=frequency=600:duration=6",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p",
        "-c:a", "aac", "-shortest", str(path),
    )  # fmt: skip
    return path


def make_cmyk_jpeg(path: Path) -> Path:
    """A print-ready JPEG: CMYK pixels, pure red."""
    Image.new("CMYK", (400, 300), (0, 255, 255, 0)).save(path, "JPEG", quality=95)
    return path


def make_16bit_png(path: Path) -> Path:
    """A 16-bit greyscale PNG of mid grey (Pillow reads it as mode I;16)."""
    width, height = 400, 300
    Image.frombytes("I;16", (width, height), (32768).to_bytes(2, "little") * width * height).save(
        path
    )
    return path


def make_palette_alpha_png(path: Path) -> Path:
    """A palette PNG whose left half is a transparent palette entry, right half blue."""
    image = Image.new("P", (400, 300), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(1, (200, 0, 400, 300))
    image.save(path, transparency=0)
    return path


SOURCE_MAKERS: dict[str, Callable[[Path], Path]] = {
    # Native clips last 4 s: the sources meant to make one are a little longer.
    "landscape.mp4": lambda p: make_video(p, width=480, height=270, seconds=4.5, seed=1),
    "portrait.mp4": lambda p: make_video(p, width=270, height=480, seconds=4.5, seed=2),
    "square.mp4": lambda p: make_video(p, width=240, height=240, seconds=4.5, audio=False, seed=3),
    "rotated.mp4": lambda p: make_video(p, width=320, height=180, seconds=4.5, rotate=90, seed=4),
    "noaudio.mp4": lambda p: make_video(p, width=320, height=180, seconds=4.5, audio=False, seed=5),
    "two_sec.mp4": lambda p: make_video(p, width=320, height=180, seconds=2, seed=6),
    "forty_sec.mp4": lambda p: make_video(p, width=160, height=90, seconds=40, fps=10, seed=7),
    "preroll.mp4": lambda p: make_video(p, width=320, height=180, seconds=6, fps=10, seed=8),
    "black_lead.mp4": lambda p: make_video(
        p, width=320, height=180, seconds=5, black_lead_s=1.0, seed=9
    ),
    "split_rot90.mp4": lambda p: make_split_video(p, rotate=90),
    "noisy.png": lambda p: make_image(p, width=1920, height=1080, noisy=True),
    "picture.jpg": lambda p: make_image(p, width=800, height=600, seed=3),
    "corrupt.mp4": make_corrupt_video,
    "empty.mp4": lambda p: (p.write_bytes(b""), p)[1],
    "notes.txt": lambda p: (p.write_text("not media"), p)[1],
    "audio_only.mp4": make_audio_only,
    "broken.png": lambda p: (p.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(500)), p)[1],
    # Odd real-world media: one maker per oddity.
    "png_named.mp4": make_png_named_mp4,
    "fade_in.mp4": make_fade_from_black,
    "one_sec.mp4": lambda p: make_video(p, width=320, height=180, seconds=1, seed=12),
    "yuv444.mp4": make_yuv444,
    "cmyk.jpg": make_cmyk_jpeg,
    "gray16.png": make_16bit_png,
    "palette_alpha.png": make_palette_alpha_png,
}

BAD_SOURCES = ("corrupt.mp4", "empty.mp4", "notes.txt", "audio_only.mp4", "broken.png")


@pytest.fixture(scope="session")
def source_library(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every test source, made once: name -> path (copy them, never process them in place)."""
    root = tmp_path_factory.mktemp("sources")
    return {name: make(root / name) for name, make in SOURCE_MAKERS.items()}


@pytest.fixture
def put(source_library: dict[str, Path], workspace: Path) -> Callable[..., Path]:
    """put("landscape.mp4", "inbox/native/clip.mp4") copies a source into the workspace."""

    def copy(name: str, dest: str | None = None) -> Path:
        return copy_source(source_library, workspace, name, dest or f"inbox/{name}")

    return copy


@contextlib.contextmanager
def wide_terminal() -> Iterator[None]:
    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "200"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = old


def run_cli(*args: str | Path) -> CliResult:
    """The CLI in-process, for fixtures wider than one test (where `cli` cannot be used)."""
    out, err = io.StringIO(), io.StringIO()
    argv = ["--env-file", os.devnull, *(str(a) for a in args)]
    with wide_terminal(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = call_in_thread(invoke, argv)
    return CliResult(int(code), out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def module_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace shared by the tests of one module (for batches processed once)."""
    root = tmp_path_factory.mktemp("shared") / "workspace"
    root.mkdir()
    return root


def copy_source(source_library: dict[str, Path], workspace: Path, name: str, dest: str) -> Path:
    target = workspace / dest
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source_library[name], target)
    return target


@pytest.fixture
def read_only_folder(put: Callable[..., Path], workspace: Path) -> Iterator[Path]:
    """inbox/locked/clip.mp4 in a folder without write permission (restored afterwards)."""
    source = put("landscape.mp4", "inbox/locked/clip.mp4")
    source.parent.chmod(0o555)
    yield source
    source.parent.chmod(0o755)


@pytest.fixture
def linked_file(source_library: dict[str, Path], workspace: Path) -> tuple[Path, Path]:
    """inbox/Cosplay/link.mp4, a link to a video kept outside the workspace: (link, target)."""
    target = workspace.parent / "elsewhere" / "real.mp4"
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(source_library["noaudio.mp4"], target)
    link = workspace / "inbox" / "Cosplay" / "link.mp4"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    return link, target


@pytest.fixture
def linked_folder(source_library: dict[str, Path], workspace: Path) -> tuple[Path, Path]:
    """inbox/Gym, a link to a folder outside the workspace holding a clip and a link back to
    itself (a loop): (link, target folder)."""
    target = workspace.parent / "shared-drive" / "gym"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source_library["square.mp4"], target / "clip.mp4")
    (target / "loop").symlink_to(target)
    link = workspace / "inbox" / "Gym"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    return link, target
