"""Uploading 100 creatives (ten batches over three tabs) end to end, against the raw floor.

ours = `UploadRun --live` on 40 banners (Static Banner), 30 native images (Native Static Banner)
and 30 video banners (Video Banners): offline spec checks, cache dedup, journal, the tab's
first page read before each batch, every ID proven from the cards that appear, records.
floor = the same files in the same batches and order, set on the hidden Dropzone input of the
right tab, waiting only for every preview to complete and the platform to finish processing
them, with no checks at all. Both run on the default sandbox (its realistic processing delay),
in interleaved rounds, each on an emptied library; the figures are medians.

Usage: python scripts/bench/upload.py [--rounds N]
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from benchlib import interleaved, median_rates, report, round_ratios, rounds_from_argv, stopwatch
from PIL import Image
from playwright.sync_api import Page, sync_playwright

from automation.browser import launch_options
from automation.sandbox.server import SandboxServer
from automation.settings import Settings
from automation.uploaders.base import UploadOptions
from automation.uploaders.plan import Batch
from automation.uploaders.run import UploadRun
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.pages import NATIVE_TARGETS
from automation.uploaders.trafficjunky.uploader import TrafficJunkyUploader
from tracking import inventory
from tracking.schemas import UploadStatus
from tracking.workspace import Workspace

# (inventory creative type, how many): 4 + 3 + 3 batches of ten over three tabs.
MIX = (("banner", 40), ("native_image", 30), ("video", 30))
CREATIVES = sum(n for _, n in MIX)
TIMEOUT_MS = 120_000


def _video(path: Path) -> None:
    """A 2-second 300x250 H.264 clip (one is made; the others are copies under their names)."""
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi",
         "-i", "testsrc2=size=300x250:rate=25:duration=2", "-c:v", "libx264",
         "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )  # fmt: skip


def make_media(folder: Path) -> list[tuple[Path, str]]:
    """The 100 files and their creative types, named by the naming convention."""
    folder.mkdir(parents=True, exist_ok=True)
    clip = folder / ".clip.mp4"
    _video(clip)
    made: list[tuple[Path, str]] = []
    for kind, count in MIX:
        for n in range(count):
            number = len(made)
            stem = f"EN_Cat_MFT_Both_NA_{kind.replace('_', '')}{n:03d}_Bench_ID-{number:08X}"
            if kind == "video":
                path = folder / f"{stem}.mp4"
                shutil.copyfile(clip, path)
            else:
                size = (640, 360) if kind == "native_image" else (300, 250)
                path = folder / f"{stem}.png"
                Image.new("RGB", size, (number * 2 % 256, 90, 160)).save(path)
            made.append((path, kind))
    clip.unlink()
    return made


def workspace_with(root: Path, media: list[tuple[Path, str]]) -> Workspace:
    """A fresh workspace whose processed folder and inventory hold the files."""
    ws = Workspace(root)
    ws.processed.mkdir(parents=True, exist_ok=True)
    rows = []
    for n, (path, kind) in enumerate(media):
        shutil.copyfile(path, ws.processed / path.name)
        rows.append({"unique_id": f"ID-{n:08X}", "new_filename": path.name, "creative_type": kind})
    inventory.append(ws.inventory_csv, rows)
    return ws


class Bench:
    """Both sides over one sandbox; every run starts on an emptied library."""

    def __init__(self, server: SandboxServer, root: Path) -> None:
        self.server = server
        self.root = root
        self.media = make_media(root / "media")
        self.runs = 0

    def _settings(self) -> Settings:
        """A new workspace with a live session, on an emptied library."""
        self.runs += 1
        self.server.state.reset()
        root = self.root / f"run{self.runs}"
        workspace_with(root, self.media)
        self.server.write_session(root)
        return Settings(
            workspace=root, tj_app_url=self.server.app_url, tj_signin_url=self.server.signin_url
        )

    def ours(self) -> float:
        settings = self._settings()
        run = UploadRun(TrafficJunkyUploader(settings), "bench-upload", UploadOptions(live=True))
        with stopwatch() as elapsed:
            result = run.execute()
        proven = result.count(UploadStatus.SUCCESS)
        assert proven == CREATIVES, f"upload proved {proven} of {CREATIVES}"
        self._check_truth(result.results)
        return elapsed()

    def _check_truth(self, results: list) -> None:
        """Every recorded ID is the sandbox's creative of that name (a wrong ID fails the run)."""
        truth = {c["name"]: c["id"] for c in self.server.state.truth()["creatives"]}
        for r in results:
            assert str(truth[r.item.name]) == r.proven_id, f"{r.item.name}: wrong ID"

    def batches(self) -> list[Batch]:
        """The tool's own plan: the floor uploads the same batches in the same order."""
        settings = self._settings()
        run = UploadRun(TrafficJunkyUploader(settings), "bench-plan", UploadOptions())
        return run.plan().batches

    def floor(self, batches: list[Batch]) -> float:
        """Select each batch's tab, set its files, wait for the previews and the processing."""
        settings = self._settings()
        session = settings.workspace / "sessions" / "trafficjunky.json"
        with sync_playwright() as p, stopwatch() as elapsed:  # both sides include the launch
            browser = p.chromium.launch(**launch_options(settings, p))
            page = browser.new_context(storage_state=str(session)).new_page()
            page.goto(settings.tj_app_url + sel.MEDIA_LIBRARY_PATH)
            page.click(sel.UPLOAD_BUTTON)
            done = f"{sel.PREVIEW}.{sel.PREVIEW_COMPLETE_CLASS}"
            sent = 0
            for batch in batches:
                _select(page, batch.target)
                page.locator(sel.DROPZONE_FILE_INPUT).first.set_input_files(
                    [str(i.path) for i in batch.items]
                )
                sent += len(batch.items)
                page.wait_for_function(
                    "([sel, n]) => document.querySelectorAll(sel).length >= n",
                    arg=[done, sent],
                    timeout=TIMEOUT_MS,
                )
                page.locator(sel.PROCESSING_MESSAGE).first.wait_for(
                    state="hidden", timeout=TIMEOUT_MS
                )
            completed = page.locator(f"{sel.PREVIEW}.{sel.PREVIEW_SUCCESS_CLASS}").count()
            browser.close()
        assert completed == CREATIVES, f"the floor uploaded {completed} of {CREATIVES}"
        return elapsed()


def _select(page: Page, target: str) -> None:
    """Click the target's tab (and sub-type) unless shown; the upload goes where the page is."""
    tab = "native" if target in NATIVE_TARGETS else target
    link = page.locator(sel.TAB_LINKS[tab]).first
    if sel.ACTIVE_TAB_CLASS not in (link.get_attribute("class") or "").split():
        link.click()
    if target not in NATIVE_TARGETS:
        return
    if not page.locator(sel.NATIVE_SUBTYPE_INPUTS[target]).first.is_checked():
        page.locator(sel.NATIVE_SUBTYPE_LABELS[target]).first.click()


def main() -> None:
    rounds = rounds_from_argv(__doc__ or "")
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(captcha=False) as server:
        bench = Bench(server, Path(tmp))
        batches = bench.batches()
        assert len(batches) == 10 and len({b.target for b in batches}) == 3, batches
        seconds = interleaved(rounds, {"floor": lambda: bench.floor(batches), "ours": bench.ours})
    ours, floor = seconds["ours"], seconds["floor"]
    report(
        "upload 100 creatives (10 batches, 3 tabs): creatives/min vs the floor",
        median_rates(CREATIVES, ours) * 60,
        median_rates(CREATIVES, floor) * 60,
        unit="creatives/min",
        target=">= 0.8x",
        better="higher",
        note=f"every ID proven; median of {rounds}; {round_ratios(ours, floor)}",
    )


if __name__ == "__main__":
    main()
