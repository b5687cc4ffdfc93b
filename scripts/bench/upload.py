"""Uploading 100 creatives end to end: creatives per minute, against the raw file-input cost.

ours = `UploadRun --live` on 100 banners (offline spec checks, cache dedup, journal, per-batch
before/after library reads, proven IDs, records); baseline = the same 100 files set on the hidden
Dropzone input ten at a time, waiting only for every preview to complete and for the platform
to finish processing them, with no checks at all (in the same run, same sandbox). The ratio is
what proving every ID costs.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchlib import report, stopwatch
from PIL import Image
from playwright.sync_api import sync_playwright

from automation.browser import launch_options
from automation.sandbox.server import SandboxServer
from automation.settings import Settings
from automation.uploaders.base import UploadOptions
from automation.uploaders.run import UploadRun
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.uploader import TrafficJunkyUploader
from tracking import inventory
from tracking.schemas import UploadStatus
from tracking.workspace import Workspace

CREATIVES = 100
BATCH = 10


def make_banners(folder: Path, prefix: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(CREATIVES):
        path = folder / f"EN_Cat_MFT_Both_NA_{prefix}{n:03d}_Bench_ID-{n:08X}.png"
        Image.new("RGB", (300, 250), (n * 2 % 256, 90, 160)).save(path)
        paths.append(path)
    return paths


def ours(settings: Settings) -> tuple[float, int]:
    ws = Workspace(settings.workspace)
    files = make_banners(ws.processed, "Ours")
    rows = [
        {"unique_id": f"ID-{n:08X}", "new_filename": p.name, "creative_type": "banner"}
        for n, p in enumerate(files)
    ]
    inventory.append(ws.inventory_csv, rows)
    run = UploadRun(TrafficJunkyUploader(settings), "bench-upload", UploadOptions(live=True))
    with stopwatch() as elapsed:
        result = run.execute()
    return elapsed(), result.count(UploadStatus.SUCCESS)


def baseline(settings: Settings, session: Path, root: Path) -> tuple[float, int]:
    """Set the files on the input, ten at a time; wait for the previews and the processing."""
    files = make_banners(root / "raw", "Raw")
    with sync_playwright() as p, stopwatch() as elapsed:  # both sides include the launch
        browser = p.chromium.launch(**launch_options(settings, p))
        page = browser.new_context(storage_state=str(session)).new_page()
        page.goto(settings.tj_app_url + sel.MEDIA_LIBRARY_PATH)
        page.click(sel.UPLOAD_BUTTON)
        for start in range(0, CREATIVES, BATCH):
            page.locator(sel.DROPZONE_FILE_INPUT).first.set_input_files(
                [str(f) for f in files[start : start + BATCH]]
            )
            done = f"{sel.PREVIEW}.{sel.PREVIEW_COMPLETE_CLASS}"
            page.wait_for_function(
                "([sel, n]) => document.querySelectorAll(sel).length >= n",
                arg=[done, start + BATCH],
                timeout=120_000,
            )
            # The platform processes accepted files before they exist as creatives.
            page.locator(sel.PROCESSING_MESSAGE).first.wait_for(state="hidden", timeout=120_000)
        completed = page.locator(f"{sel.PREVIEW}.{sel.PREVIEW_SUCCESS_CLASS}").count()
        browser.close()
    return elapsed(), completed


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(captcha=False) as server:
        root = Path(tmp)
        session = server.write_session(root)
        settings = Settings(
            workspace=root, tj_app_url=server.app_url, tj_signin_url=server.signin_url
        )
        raw_s, raw_done = baseline(settings, session, root)
        assert raw_done == CREATIVES, f"raw loop uploaded {raw_done}"
        ours_s, uploaded = ours(settings)
        assert uploaded == CREATIVES, f"upload proved {uploaded} of {CREATIVES}"
        report(
            "upload 100 creatives: creatives/min vs raw set-input-files",
            CREATIVES / ours_s * 60,
            CREATIVES / raw_s * 60,
            unit="creatives/min",
            target="> 0.33x",
            better="higher",
            note=f"ours {ours_s:.1f} s with proven IDs; raw {raw_s:.1f} s with no checks",
        )


if __name__ == "__main__":
    main()
