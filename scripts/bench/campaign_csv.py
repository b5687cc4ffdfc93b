"""campaign-csv for 20,000 inventory rows: time and peak memory against a plain csv writer.

ours = the product path (inventory read, selection, native pairing, validation, by-category
files split at 50 ads / 500 KB, batch numbers) on 10,000 native pairs (20,000 rows);
baseline = a plain csv-module script doing the same read, pairing and 50-row file split
without validation, in the same run. Time is measured first, then peak memory (tracemalloc)
in separate calls so tracing does not weigh on the timings.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from benchlib import report, stopwatch

from tracking import inventory
from tracking.campaign_csv import AdText, generate
from tracking.campaign_formats import FORMATS, CampaignFormat
from tracking.campaign_select import Selection, inventory_frame
from tracking.workspace import Workspace

PAIRS = 10_000
CATEGORIES = ("Teen", "Milf", "Ebony", "Amateur", "Asian")
URL = "https://acme.example/landing?c={CampaignID}&s={SpotID}&cat={category}"


def inventory_rows() -> list[dict[str, str]]:
    rows = []
    for n in range(PAIRS):
        hex_id, cat = f"{n:08X}", CATEGORIES[n % len(CATEGORIES)]
        base = {"native_pair_id": f"ID-{hex_id}", "category": cat, "date_processed":
                "2026-03-02 10:00:00", "tj_review_status": "approved"}  # fmt: skip
        fields = f"EN_{cat}_MFT_Both_NA_Generic-Description_Creator"
        rows.append({**base, "unique_id": f"ID-{hex_id}-VID", "creative_type": "native_video",
                     "new_filename": f"VID_{fields}_4sec_ID-{hex_id}-VID.mp4",
                     "tj_creative_id": str(1_000_000_000 + 2 * n)})  # fmt: skip
        rows.append({**base, "unique_id": f"ID-{hex_id}-IMG", "creative_type": "native_image",
                     "new_filename": f"IMG_{fields}_ID-{hex_id}-IMG.png",
                     "tj_creative_id": str(1_000_000_001 + 2 * n)})  # fmt: skip
    return rows


def ours(ws: Workspace) -> int:
    result = generate(inventory_frame(ws.inventory_csv), CampaignFormat.NATIVE,
                      AdText(URL, brand="Acme"), ws.campaigns_dir, selection=Selection(),
                      by_category=True)  # fmt: skip
    return result.ads


def baseline(ws: Workspace) -> int:
    """The same files with the csv module alone (no validation, no batch lock)."""
    with ws.inventory_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    videos = {r["native_pair_id"]: r for r in rows if r["creative_type"] == "native_video"}
    images = {r["native_pair_id"]: r for r in rows if r["creative_type"] == "native_image"}
    by_cat: dict[str, list[list[str]]] = {}
    for pair, vid in videos.items():
        img = images.get(pair)
        if img and vid["tj_creative_id"] and img["tj_creative_id"]:
            url = URL.replace("{category}", vid["category"])
            by_cat.setdefault(vid["category"], []).append([
                vid["new_filename"].rsplit(".", 1)[0][:64], url, vid["tj_creative_id"],
                img["tj_creative_id"], vid["category"], "Acme"])  # fmt: skip
    folder = ws.root / "baseline"
    folder.mkdir(exist_ok=True)
    header = FORMATS[CampaignFormat.NATIVE].columns
    for number, (cat, ads) in enumerate(sorted(by_cat.items()), start=1):
        for part in range(0, len(ads), 50):
            path = folder / f"Batch{number:03d}_Native_{cat}_part{part // 50 + 1}.csv"
            with path.open("w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
                writer.writerow(header)
                writer.writerows(ads[part : part + 50])
    return sum(len(a) for a in by_cat.values())


def timed(fn: Callable[[Workspace], int], ws: Workspace) -> tuple[float, int]:
    """(seconds, ads) of one call, without tracemalloc's overhead."""
    with stopwatch() as elapsed:
        ads = fn(ws)
    return elapsed(), ads


def peak_mib(fn: Callable[[Workspace], int], ws: Workspace) -> float:
    """Peak traced memory (MiB) of one call."""
    tracemalloc.start()
    fn(ws)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="bench-campaign-"))
    try:
        ws = Workspace(root).ensure()
        inventory.append(ws.inventory_csv, inventory_rows())
        base_s, base_ads = timed(baseline, ws)
        our_s, our_ads = timed(ours, ws)
        base_mib, our_mib = peak_mib(baseline, ws), peak_mib(ours, ws)
        assert our_ads == base_ads == PAIRS, (our_ads, base_ads)
        note = f"{2 * PAIRS} inventory rows -> {our_ads} native ads, by category"
        report("campaign-csv 20k rows, time", our_s, base_s, unit="s", target="<= 4x",
               note=note + "; baseline = csv-module writer")  # fmt: skip
        report("campaign-csv 20k rows, peak memory", our_mib, base_mib, unit="MiB",
               target="<= 4x", note=note + "; tracemalloc peak")  # fmt: skip
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
