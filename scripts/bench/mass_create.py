"""Mass create of one campaign with 50 ads, against the platform's own time for it.

ours = `MassCreate --live` on one campaign and a 50-ad native CSV: offline validation, the ads
table read (100 rows, every name), the CSV set and checked, preview, journal, confirm, then the
ads table counted afresh to prove exactly 50 ads were added. floor = the platform's own steps
and nothing else, driven raw: load the page until its ads table is ready, choose "Mass create
with CSV", set the file and wait for its check, preview, confirm and wait for the creating
request to answer. Both run on the default sandbox with the ad settings page's realistic
delays on (ad_settings_timing "real": table 2.5 s, CSV check 2 s, preview 2.5 s, create 4 s),
in interleaved rounds, each on a new campaign; the figures are medians.

Usage: python scripts/bench/mass_create.py [--rounds N]
"""

from __future__ import annotations

import csv
import tempfile
from itertools import count
from pathlib import Path

from benchlib import interleaved, report, round_ratios, rounds_from_argv, stopwatch
from playwright.sync_api import sync_playwright

from automation.browser import launch_options
from automation.sandbox.server import SandboxServer
from automation.sandbox.tj_campaigns import TIMINGS
from automation.settings import Settings
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.mass_create import MassCreate
from automation.uploaders.trafficjunky.mass_create_jobs import CampaignJob, JobStatus

ADS = 50
FIRST_CAMPAIGN = 2_000_001
TIMEOUT_MS = 60_000
HEADER = '"Ad Name","Target URL","Video Creative ID","Thumbnail Creative ID",Headline,"Brand Name"'


def write_csv(path: Path, pairs: list[tuple[int, int]]) -> Path:
    """A native mass-create CSV of one ad per (video, thumbnail) pair, as the template has it."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write(HEADER + "\r\n")
        writer = csv.writer(handle)
        for n, (video, image) in enumerate(pairs):
            writer.writerow([
                f"EN_Cat_Bench{n:03d}_ID-{n:08X}-VID", "https://example.com/?c={CampaignID}",
                video, image, f"Headline {n}", "Acme",
            ])  # fmt: skip
    return path


class Bench:
    """Both sides over one sandbox, each run on a campaign of its own."""

    def __init__(self, server: SandboxServer, root: Path) -> None:
        self.server = server
        self.root = root
        state = server.state
        made = state.seed_creatives(
            2 * ADS, ["native_rollover", "native_static"], status="approved"
        )
        pairs = [(made[i].id, made[i + 1].id) for i in range(0, len(made), 2)]
        self.csv = write_csv(root / "native_ads.csv", pairs)
        self.campaigns = count(FIRST_CAMPAIGN)
        self.runs = count(1)

    def _campaign(self) -> tuple[str, Settings]:
        """A new native campaign, and a new workspace with a live session."""
        campaign = next(self.campaigns)
        self.server.state.seed_campaign(
            f"Bench {campaign}", campaign_id=campaign, ad_format="native"
        )
        root = self.root / f"run{next(self.runs)}"
        self.server.write_session(root)
        settings = Settings(
            workspace=root, tj_app_url=self.server.app_url, tj_signin_url=self.server.signin_url
        )
        return str(campaign), settings

    def _ads(self, campaign: str) -> int:
        return len(self.server.state.ads(int(campaign)))

    def ours(self) -> float:
        campaign, settings = self._campaign()
        run = MassCreate(settings, "bench-mass-create", live=True)
        with stopwatch() as elapsed:
            [result] = run.run([CampaignJob(campaign, self.csv)])
        assert result.status is JobStatus.SUCCESS, (result.status, result.error)
        assert self._ads(campaign) == ADS == result.ads_created
        return elapsed()

    def floor(self) -> float:
        campaign, settings = self._campaign()
        session = settings.workspace / "sessions" / "trafficjunky.json"
        url = settings.tj_app_url + sel.AD_SETTINGS_PATH.format(campaign_id=campaign)
        with sync_playwright() as p, stopwatch() as elapsed:  # both sides include the launch
            browser = p.chromium.launch(**launch_options(settings, p))
            page = browser.new_context(storage_state=str(session)).new_page()
            page.goto(url)
            page.locator(sel.ADS_TABLE_INFO).filter(has_text="entries").wait_for()
            page.get_by_text(sel.MODE_CSV_LABEL).first.click()
            page.locator(sel.MASS_CSV_INPUT).set_input_files(str(self.csv))
            preview = page.get_by_role("button", name=sel.CSV_PREVIEW_BUTTON_TEXT, disabled=False)
            preview.click(timeout=TIMEOUT_MS)
            confirm = page.locator(sel.CSV_CONFIRM_BUTTON).locator("visible=true").first
            confirm.wait_for(timeout=TIMEOUT_MS)
            with page.expect_response(lambda r: r.request.method == "POST", timeout=TIMEOUT_MS):
                confirm.click()
            browser.close()
        assert self._ads(campaign) == ADS
        return elapsed()


def main() -> None:
    rounds = rounds_from_argv(__doc__ or "")
    with tempfile.TemporaryDirectory() as tmp, SandboxServer(captcha=False) as server:
        # The floor does not close the product tour or the cookie banner as the tool's page
        # objects do; both sides get pages without them.
        server.state.set_switches(
            ad_settings_timing="real", tour_overlay="off", cookie_banner=False
        )
        bench = Bench(server, Path(tmp))
        seconds = interleaved(rounds, {"floor": bench.floor, "ours": bench.ours})
    mine, base = seconds["ours"], seconds["floor"]
    modelled = sum(TIMINGS["real"][step] for step in ("page", "csv", "preview", "create"))
    ours_s, floor_s = sorted(mine)[len(mine) // 2], sorted(base)[len(base) // 2]
    report(
        "mass-create 1 campaign, 50 ads: seconds vs the platform's own steps",
        ours_s,
        floor_s,
        unit="s",
        target="<= 1.2x",
        better="lower",
        note=f"delays modelled {modelled:g} s; median of {rounds}; "
        + round_ratios(mine, base, rates=False),
    )


if __name__ == "__main__":
    main()
