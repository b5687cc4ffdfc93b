"""`creative-flow process` options: types without --native, banners, metadata, dry run, repeats."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.creatives.conftest import ffprobe, sha256, stream
from tracking import inventory

INVENTORY = "records/inventory.csv"


def process_json(cli: Any, workspace: Path, *args: str) -> tuple[Any, dict[str, Any]]:
    result = cli("--workspace", workspace, "process", *args, "--json")
    return result, json.loads(result.stdout)


def by_source(report: dict[str, Any], key: str = "processed") -> dict[str, dict[str, Any]]:
    return {Path(item["source"]).name: item for item in report[key]}


def test_sources_are_classified_and_kept_when_already_in_spec(
    cli: Any, put: Any, workspace: Path, source_library: dict[str, Path]
) -> None:
    for name in ("portrait.mp4", "preroll.mp4", "forty_sec.mp4", "square.mp4", "picture.jpg"):
        put(name)
    put("rotated.mp4")
    result, report = process_json(cli, workspace)
    assert result.exit_code == 0, result.output
    items = by_source(report)
    types = {name: item["creative_types"] for name, item in items.items()}
    assert types == {
        "portrait.mp4": ["short_video"],
        "preroll.mp4": ["preroll"],
        "forty_sec.mp4": ["video"],
        "square.mp4": ["video"],
        "picture.jpg": ["image"],
        "rotated.mp4": ["short_video"],
    }
    assert "not a pre-roll: 40.0 s is outside 5-31 s" in items["forty_sec.mp4"]["notes"]
    assert re.fullmatch(r"UNK_.+_40sec_ID-[0-9A-F]{8}\.mp4", items["forty_sec.mp4"]["outputs"][0])
    assert re.fullmatch(r"UNK_.+_ID-[0-9A-F]{8}\.jpg", items["picture.jpg"]["outputs"][0])
    processed = workspace / "processed"
    # Already MP4 H.264/AAC (or a still the platform takes): the very same bytes.
    for name in ("preroll.mp4", "picture.jpg"):
        output = processed / items[name]["outputs"][0]
        assert sha256(output) == sha256(source_library[name])
    # A phone video tagged as rotated is re-encoded upright.
    upright = stream(ffprobe(processed / items["rotated.mp4"]["outputs"][0]), "video")
    assert upright is not None and (upright["width"], upright["height"]) == (180, 320)
    assert not any("rotation" in s for s in upright.get("side_data_list", []))
    rows = {r["original_filename"]: r for r in inventory.load(workspace / INVENTORY)}
    assert rows["picture.jpg"]["duration_seconds"] == ""
    assert rows["picture.jpg"]["width_px"] == "800" and rows["picture.jpg"]["aspect_ratio"] == "4:3"
    assert rows["forty_sec.mp4"]["native_pair_id"] == ""


def test_pre_roll_near_misses_are_reported_in_the_text_output(
    cli: Any, put: Any, workspace: Path
) -> None:
    put("forty_sec.mp4")
    result = cli("--workspace", workspace, "process")
    assert result.exit_code == 0
    assert "note: inbox/forty_sec.mp4: not a pre-roll: 40.0 s is outside 5-31 s" in result.stdout
    assert re.search(r"video\s*│\s*1", result.stdout)


@pytest.mark.parametrize(("wanted", "size"), [("310x240", (300, 250)), ("auto", (300, 250))])
def test_banner_size_converts_images_to_the_nearest_platform_size(
    cli: Any, put: Any, workspace: Path, wanted: str, size: tuple[int, int]
) -> None:
    put("picture.jpg")
    result, report = process_json(cli, workspace, "--banner-size", wanted)
    assert result.exit_code == 0, result.output
    (item,) = report["processed"]
    assert item["creative_types"] == ["banner"]
    with Image.open(workspace / "processed" / item["outputs"][0]) as image:
        assert image.size == size and image.format == "JPEG"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--banner-size", "big"], "--banner-size 'big': use WxH or auto"),
        (["--platform", "nowhere"], "--platform 'nowhere' is not known; use trafficjunky"),
    ],
)
def test_bad_options_are_usage_errors(
    cli: Any, workspace: Path, args: list[str], message: str
) -> None:
    result = cli("--workspace", workspace, "process", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_metadata_from_name_then_folder_defaults_then_options_then_folder(
    cli: Any, put: Any, workspace: Path
) -> None:
    defaults = workspace / "records/folder_defaults.csv"
    defaults.parent.mkdir(parents=True)
    defaults.write_text(
        "folder_path,category_name,model_sex,style,creator_name,language,content_type,"
        "creative_description,test_id\nCosplay,Cos-Def,,Duo,,,,,\n"
    )
    put("landscape.mp4", "inbox/Cosplay/EN_UNK_F_UNK_UNK_Dance_UNK.mp4")
    put("noaudio.mp4", "inbox/Gym/clip.mp4")
    result, report = process_json(cli, workspace, "--creator", "Opt Name", "--language", "DE")
    assert result.exit_code == 0, result.output
    items = by_source(report)
    named = items["EN_UNK_F_UNK_UNK_Dance_UNK.mp4"]["outputs"][0]
    assert named.startswith("EN_Cos-Def_F_Duo_UNK_Dance_Opt-Name_5sec_ID-")
    assert items["clip.mp4"]["outputs"][0].startswith("DE_Gym_MFT_Both_UNK_Generic_Opt-Name_")
    row = next(r for r in inventory.load(workspace / INVENTORY) if r["category"] == "Gym")
    assert (row["language"], row["creator_name"], row["content_type"]) == ("DE", "Opt-Name", "UNK")
    assert "unknown: rating" in row["notes"]


def test_folder_defaults_apply_when_the_workspace_is_given_relative(
    cli: Any, put: Any, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The default workspace is ./workspace: a relative path must find the folder's row too."""
    defaults = workspace / "records/folder_defaults.csv"
    defaults.parent.mkdir(parents=True)
    defaults.write_text(
        "folder_path,category_name,model_sex,style,creator_name,language,content_type,"
        "creative_description,test_id\nCosplay,Cos-Def,F,Duo,Jane,ES,R18,Red,\n"
    )
    put("noaudio.mp4", "inbox/Cosplay/clip.mp4")
    put("landscape.mp4", "inbox/Yoga/clip.mp4")
    monkeypatch.chdir(workspace.parent)
    monkeypatch.setattr("sys.stdin", io.StringIO("FR\nYoga Flow\nKim\n\n\nSFW\n\n\n"))
    result, report = process_json(cli, Path(workspace.name), "--interactive")
    assert result.exit_code == 0, result.output
    outputs = sorted(item["outputs"][0] for item in report["processed"])
    assert outputs[0].startswith("ES_Cos-Def_F_Duo_R18_Red_Jane_5sec_ID-")
    assert outputs[1].startswith("FR_Yoga-Flow_MFT_Both_SFW_Generic_Kim_5sec_ID-")
    saved = defaults.read_text().splitlines()
    assert saved[1:] == ["Cosplay,Cos-Def,F,Duo,Jane,ES,R18,Red,", "Yoga,Yoga Flow,,,Kim,FR,SFW,,"]


def test_interactive_asks_for_a_folders_defaults_and_saves_them(
    cli: Any, put: Any, workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    put("noaudio.mp4", "inbox/Yoga/clip.mp4")
    monkeypatch.setattr("sys.stdin", io.StringIO("FR\nYoga Flow\nKim\n\n\nSFW\n\n\n"))
    result, report = process_json(cli, workspace, "--interactive")
    assert result.exit_code == 0, result.output
    (item,) = report["processed"]
    assert item["outputs"][0].startswith("FR_Yoga-Flow_MFT_Both_SFW_Generic_Kim_5sec_ID-")
    saved = (workspace / "records/folder_defaults.csv").read_text().splitlines()
    assert saved[1] == "Yoga,Yoga Flow,,,Kim,FR,SFW,,"


def test_dry_run_shows_the_plan_and_writes_nothing(cli: Any, put: Any, workspace: Path) -> None:
    source = put("landscape.mp4", "inbox/native/clip.mp4")
    put("picture.jpg")
    result, report = process_json(cli, workspace, "--dry-run")
    assert result.exit_code == 0
    items = by_source(report, "planned")
    assert items["clip.mp4"]["creative_types"] == ["native_video", "native_image"]
    assert re.fullmatch(r"VID_.+_4sec_ID-[0-9A-F]{8}-VID\.mp4", items["clip.mp4"]["outputs"][0])
    assert not (workspace / INVENTORY).exists()
    assert not any((workspace / "processed").glob("*"))
    assert source.exists() and not any((workspace / "originals").rglob("*.mp4"))


def test_the_same_content_under_two_names_is_one_creative(
    cli: Any, put: Any, workspace: Path
) -> None:
    put("landscape.mp4", "inbox/a.mp4")
    put("landscape.mp4", "inbox/b.mp4")
    result, report = process_json(cli, workspace)
    assert result.exit_code == 0
    assert [i["source"] for i in report["processed"]] == ["inbox/a.mp4"]
    (skipped,) = report["skipped"]
    assert skipped["source"] == "inbox/b.mp4" and "same content as inbox/a.mp4" in skipped["reason"]
    assert len(inventory.load(workspace / INVENTORY)) == 1
    assert (workspace / "inbox/b.mp4").exists()


def test_force_redoes_a_source_and_replaces_its_rows_and_files(
    cli: Any, put: Any, workspace: Path
) -> None:
    put("landscape.mp4", "inbox/native/clip.mp4")
    process_json(cli, workspace)
    first = inventory.load(workspace / INVENTORY)
    put("landscape.mp4", "inbox/native/clip.mp4")
    result, _ = process_json(cli, workspace, "--force", "--native-seconds", "2")
    assert result.exit_code == 0, result.output
    rows = inventory.load(workspace / INVENTORY)
    assert [r["unique_id"] for r in rows] == [r["unique_id"] for r in first]
    names = sorted(p.name for p in (workspace / "processed").iterdir())
    assert names == sorted(r["new_filename"] for r in rows)
    assert any("_2sec_" in n for n in names) and not any("_4sec_" in n for n in names)
    # The second copy of the source sits beside the first in originals/.
    assert len(list((workspace / "originals/native").iterdir())) == 2


def test_force_refuses_a_creative_already_uploaded(cli: Any, put: Any, workspace: Path) -> None:
    put("noaudio.mp4")
    process_json(cli, workspace)
    (row,) = inventory.load(workspace / INVENTORY)
    inventory.set_platform_fields(
        workspace / INVENTORY, "trafficjunky", {row["unique_id"]: {"creative_id": "1000000001"}}
    )
    put("noaudio.mp4")
    result, report = process_json(cli, workspace, "--force")
    assert result.exit_code == 7
    assert "already uploaded" in report["failed"][0]["reason"]
    (after,) = inventory.load(workspace / INVENTORY)
    assert after["tj_creative_id"] == "1000000001"


def test_an_id_taken_by_other_content_moves_to_the_next_eight_digits(
    cli: Any, put: Any, workspace: Path
) -> None:
    source = put("noaudio.mp4")
    digest = sha256(source).upper()
    inventory.append(
        workspace / INVENTORY,
        [{"unique_id": f"ID-{digest[:8]}", "new_filename": "x.mp4", "content_sha256": "F" * 64}],
    )
    result, report = process_json(cli, workspace)
    assert result.exit_code == 0
    assert report["processed"][0]["unique_ids"] == [f"ID-{digest[8:16]}"]
