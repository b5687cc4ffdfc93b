"""ExoClick's specs drive processing: `process --platform exoclick` meets its 150 KB limits."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from automation.commands.process import platform_specs
from automation.errors import ConfigError
from automation.settings import Settings
from automation.uploaders.exoclick.specs import SPECS as EXO
from automation.uploaders.exoclick.uploader import ExoClickUploader
from automation.uploaders.plan import item_from_row
from automation.uploaders.trafficjunky.specs import SPECS as TJ
from automation.uploaders.validation import spec_problem
from creatives.spec import Size
from tracking import inventory
from tracking.workspace import Workspace


def noisy_video(path: Path, seconds: float = 5) -> Path:
    """A 640x360 clip of heavy noise: its frames make PNGs far over 150 KB."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
         "-f", "lavfi", "-i", f"testsrc2=size=640x360:rate=25:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=duration={seconds}", "-vf", "noise=alls=90:allf=t",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path


def noisy_png(path: Path, width: int = 600, height: int = 500) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(path)
    return path


def produced(workspace: Path, creative_type: str) -> list[Path]:
    ws = Workspace(workspace)
    rows = inventory.load(ws.inventory_csv)
    return [ws.processed / r["new_filename"] for r in rows if r["creative_type"] == creative_type]


def test_exoclick_specs_are_data_the_pipeline_reads():
    assert EXO.platform == "exoclick"
    assert EXO.byte_limit("png") == EXO.byte_limit("mp4") == EXO.native.image_max_bytes == 150_000
    assert Size(300, 250) in EXO.banner_sizes and Size(728, 90) in EXO.banner_sizes
    assert EXO.video_codecs == ("h264",) and EXO.audio_codecs == ("aac",)


def test_several_platforms_take_the_strictest_rules():
    both = platform_specs("trafficjunky, exoclick")
    assert both.native.image_max_bytes == 150_000
    assert both.byte_limit("jpg") == 150_000
    assert set(both.banner_sizes) == set(TJ.banner_sizes) & set(EXO.banner_sizes)
    assert Size(305, 99) not in both.banner_sizes  # TrafficJunky only
    assert platform_specs("exoclick") is EXO
    with pytest.raises(ConfigError, match="not known"):
        platform_specs("exoclick,myspace")


@pytest.mark.slow
def test_process_for_exoclick_makes_native_images_under_150_kb(cli, workspace: Path):
    noisy_video(workspace / "inbox" / "EN_Cat_noise.mp4")
    result = cli("--workspace", workspace, "process", "--native", "--platform", "exoclick")
    assert result.exit_code == 0, result.output
    [image] = produced(workspace, "native_image")
    assert image.stat().st_size <= 150_000
    with Image.open(image) as still:
        assert (still.format, still.size) == ("PNG", (640, 360))
    uploader = ExoClickUploader(Settings(workspace=workspace))
    for creative_type in ("native_image", "native_video"):
        row = next(r for r in inventory.load(Workspace(workspace).inventory_csv)
                   if r["creative_type"] == creative_type)  # fmt: skip
        item = item_from_row(row, Workspace(workspace).processed, "")
        assert uploader.check(item) is None


@pytest.mark.slow
def test_process_for_both_platforms_makes_banners_both_accept(cli, workspace: Path):
    noisy_png(workspace / "inbox" / "EN_Cat_banner.png")
    result = cli(
        "--workspace", workspace, "process", "--platform", "trafficjunky,exoclick",
        "--banner-size", "300x250",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [banner] = produced(workspace, "banner")
    assert banner.stat().st_size <= 150_000
    assert spec_problem(banner, "banner", EXO) is None
    assert spec_problem(banner, "banner", TJ) is None


def test_a_trafficjunky_native_image_is_refused_for_exoclick_offline(tmp_path: Path):
    still = noisy_png(tmp_path / "IMG_x_ID-00000001-IMG.png", 640, 360)
    assert still.stat().st_size > 150_000
    problem = spec_problem(still, "native_image", EXO)
    assert problem is not None and "150,000-byte limit" in problem
