"""Classification against a platform's specs, banner sizes, and folder defaults."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from automation.uploaders.trafficjunky.specs import SPECS
from creatives.classify import CreativeType, aspect_ratio, classify_video
from creatives.pipeline import Outcome, Pipeline
from creatives.plan import ProcessOptions
from creatives.probe import MediaInfo
from creatives.sources import discover
from creatives.spec import Size
from tracking import folder_defaults, inventory
from tracking.folder_defaults import FolderDefaults
from tracking.workspace import Workspace


def video(width: int, height: int, seconds: float) -> MediaInfo:
    return MediaInfo(Path("v.mp4"), True, width, height, duration=seconds)


@pytest.mark.parametrize(
    ("size", "seconds", "kind", "note"),
    [
        ((720, 1280), 10, CreativeType.SHORT_VIDEO, ""),
        ((720, 1280), 25, CreativeType.PREROLL, ""),
        ((1920, 1080), 5, CreativeType.PREROLL, ""),
        ((1920, 1080), 31, CreativeType.PREROLL, ""),
        ((1920, 1080), 40, CreativeType.VIDEO, "not a pre-roll: 40.0 s is outside 5-31 s"),
        ((1920, 1080), 4, CreativeType.VIDEO, "not a pre-roll: 4.0 s is outside 5-31 s"),
        ((640, 480), 10, CreativeType.VIDEO, "not a pre-roll: 4:3 is not 16:9 or 9:16"),
        ((720, 1280), 40, CreativeType.VIDEO, "not a pre-roll: 40.0 s is outside 5-31 s"),
    ],
)
def test_videos_are_classified_and_near_misses_reported(
    size: tuple[int, int], seconds: float, kind: CreativeType, note: str
) -> None:
    result = classify_video(video(*size, seconds), SPECS)
    assert result.creative_type is kind
    assert result.note == note


def test_aspect_ratios_tolerate_odd_pixels() -> None:
    assert aspect_ratio(1918, 1080) == "16:9"
    assert aspect_ratio(1080, 1920) == "9:16"
    assert aspect_ratio(500, 500) == "1:1"
    assert aspect_ratio(1000, 300) == "10:3"


def test_banner_sizes_snap_to_the_nearest_the_platform_takes() -> None:
    assert SPECS.nearest_banner(Size(300, 250)) == Size(300, 250)
    assert SPECS.nearest_banner(Size(310, 240)) == Size(300, 250)
    assert SPECS.nearest_banner(Size(728, 90)) == Size(468, 60)
    assert SPECS.nearest_banner(Size(1280, 720)) == Size(640, 360)


def test_folder_defaults_match_a_folder_or_its_nearest_parent(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    csv = tmp_path / "records" / "folder_defaults.csv"
    folder_defaults.save(csv, FolderDefaults("cosplay", category_name="Cosplay", language="EN"))
    folder_defaults.save(csv, FolderDefaults("inbox/gym/", category_name="Gym"))
    folder_defaults.save(csv, FolderDefaults(str(inbox / "outdoor"), creator_name="Kim"))
    folder_defaults.save(csv, FolderDefaults("cosplay", category_name="Cosplay", language="DE"))
    table = folder_defaults.load(csv, inbox)
    assert set(table) == {"cosplay", "gym", "outdoor"}
    assert table["cosplay"].language == "DE"  # saving again replaces, not duplicates
    found = folder_defaults.lookup(table, "cosplay/2024/march")
    assert found is not None and found.category_name == "Cosplay"
    assert folder_defaults.lookup(table, "elsewhere") is None
    assert csv.read_text().count("cosplay") == 1


def test_limits_come_from_the_specs_passed_in(put: Any, workspace: Path) -> None:
    """A platform with a 150 KB still limit gets stills under it, with no new pipeline code."""
    ws = Workspace(workspace)
    put("noisy.png", "inbox/native/noisy.png")
    put("picture.jpg", "inbox/banner.jpg")
    strict = replace(
        SPECS,
        platform="strict",
        native=replace(SPECS.native, image_max_bytes=150_000),
        max_bytes={"jpg": 20_000},
    )
    options = ProcessOptions(banner=Size(300, 250))
    report = Pipeline(ws, strict, options).run(discover([ws.inbox], ws.inbox))
    assert [item.outcome for item in report.items] == [Outcome.PROCESSED, Outcome.PROCESSED]
    outputs = {r["creative_type"]: ws.processed / r["new_filename"] for r in
               inventory.load(ws.inventory_csv)}  # fmt: skip
    assert outputs.keys() == {"native_image", "banner"}
    assert outputs["native_image"].stat().st_size <= 150_000
    assert outputs["banner"].stat().st_size <= 20_000
