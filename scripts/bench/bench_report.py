"""Report speed: a rerun reuses cached thumbnails, so it costs a fraction of the first build.

ours = building the report again (thumbnails cached); baseline = the first build of the same
workspace (every video frame extracted with ffmpeg). Media is generated here.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from benchlib import report, stopwatch
from PIL import Image

from automation.report import build_report
from tracking import inventory
from tracking.workspace import Workspace

PAIRS = 16


def make_pair(ws: Workspace, n: int) -> list[dict[str, str]]:
    """One native pair: a 4 s 640x360 clip and a PNG, with their inventory rows."""
    hex_id = f"{n:08X}"
    video = ws.processed / f"VID_EN_Bench_MFT_Both_R_Generic_Studio_4sec_ID-{hex_id}-VID.mp4"
    image = ws.processed / f"IMG_EN_Bench_MFT_Both_R_Generic_Studio_ID-{hex_id}-IMG.png"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
         "testsrc2=size=640x360:rate=25:duration=4", "-vf", f"hue=h={n * 23 % 360}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(video)],
        check=True,
    )  # fmt: skip
    Image.new("RGB", (640, 360), (n * 15 % 256, 90, 160)).save(image)
    base = {"native_pair_id": f"ID-{hex_id}", "width_px": "640", "height_px": "360"}
    return [
        {**base, "unique_id": f"ID-{hex_id}-VID", "new_filename": video.name,
         "creative_type": "native_video", "file_format": "mp4", "duration_seconds": "4"},
        {**base, "unique_id": f"ID-{hex_id}-IMG", "new_filename": image.name,
         "creative_type": "native_image", "file_format": "png"},
    ]  # fmt: skip


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        ws = Workspace(root).ensure()
        rows = [row for n in range(PAIRS) for row in make_pair(ws, n + 1)]
        inventory.append(ws.inventory_csv, rows)
        with stopwatch() as cold:
            build_report(ws)
        with stopwatch() as warm:
            build_report(ws)
        report(
            "report rerun, thumbnails cached",
            warm(),
            cold(),
            unit="s",
            target="<= 0.3x",
            note=f"{len(rows)} creatives; baseline = first build",
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
