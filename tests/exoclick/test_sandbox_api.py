"""The sandbox's ExoClick API is at least as strict as the platform: it measures every upload."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from automation.sandbox.exo_api import DEMO_API_TOKEN
from tests.exoclick.conftest import ExoSandbox
from tests.fixtures.media import make_image, make_video


def upload(api: httpx.Client, path: Path, file_type: str) -> httpx.Response:
    with path.open("rb") as handle:
        return api.post("/library/file", files={"file": (path.name, handle)},
                        data={"type": file_type})  # fmt: skip


def encode(path: Path, *args: str) -> Path:
    """A 640x360 2 s clip encoded with the given codec arguments."""
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
         "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2",
         "-f", "lavfi", "-i", "sine=duration=2", *args, "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path


def message(response: httpx.Response) -> str:
    body: dict[str, Any] = response.json()
    return str(body["message"])


def test_images_must_be_banner_sized_gif_png_or_jpg_under_150_kb(api, tmp_path: Path):
    assert (
        upload(api, make_image(tmp_path / "a.jpg", width=728, height=90), "image").status_code
        == 201
    )
    assert (
        upload(api, make_image(tmp_path / "b.gif", width=160, height=600), "image").status_code
        == 201
    )
    webp = tmp_path / "c.webp"
    Image.new("RGB", (300, 250)).save(webp, "WEBP")
    refused = upload(api, webp, "image")
    assert refused.status_code == 422 and "WEBP is not accepted" in message(refused)
    big = make_image(tmp_path / "d.png", width=300, height=250, noisy=True)
    refused = upload(api, big, "image")
    assert refused.status_code == 422 and "at most 150,000 bytes" in message(refused)


def test_videos_must_be_mp4_h264_with_aac(api, tmp_path: Path):
    good = make_video(tmp_path / "ok.mp4", width=640, height=360, seconds=2)
    assert upload(api, good, "video").status_code == 201
    mpeg4 = encode(tmp_path / "mpeg4.mp4", "-c:v", "mpeg4", "-c:a", "aac")
    refused = upload(api, mpeg4, "video")
    assert refused.status_code == 422 and "use H.264" in message(refused)
    mp3 = encode(tmp_path / "mp3.mp4", "-c:v", "libx264", "-preset", "ultrafast",
                 "-pix_fmt", "yuv420p", "-c:a", "libmp3lame")  # fmt: skip
    refused = upload(api, mp3, "video")
    assert refused.status_code == 422 and "use AAC" in message(refused)
    refused = upload(api, make_image(tmp_path / "still.png", width=640, height=360), "video")
    assert refused.status_code == 422 and "must be an MP4 file" in message(refused)


def test_video_banners_are_display_sized_and_small(api, tmp_path: Path):
    odd = make_video(tmp_path / "odd.mp4", width=640, height=480, seconds=1, audio=False)
    refused = upload(api, odd, "video_banner")
    assert refused.status_code == 422 and "640x480 is not a banner size" in message(refused)
    small = make_video(tmp_path / "small.mp4", width=300, height=250, seconds=1, audio=False)
    assert small.stat().st_size < 150_000
    assert upload(api, small, "video_banner").status_code == 201


def test_errors_are_json_and_controls_are_spared_the_failure_switches(exo: ExoSandbox):
    bare = httpx.Client(base_url=exo.api_url, trust_env=False)
    assert bare.get("/campaigns").status_code == 401
    assert "Bearer" in message(bare.get("/campaigns"))
    assert bare.post("/login", json={"api_token": "nope"}).status_code == 401
    exo.switches(error_rate=1.0, error_routes=[])
    failed = bare.post("/login", json={"api_token": DEMO_API_TOKEN})
    assert failed.status_code == 500 and "sandbox error switch" in message(failed)
    assert "files" in exo.truth()  # the control prefix still answers
    exo.switches(error_rate=0.0)
