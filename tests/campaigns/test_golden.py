"""Each template's bytes exactly as TrafficJunky's mass create takes them, for one inventory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.campaigns.builders import native_pair, single, write_inventory
from tests.campaigns.conftest import BATCH_FILE, URL, campaign_files

GOLDEN = Path(__file__).parent / "golden"


def fixed_inventory(workspace: Path) -> None:
    rows = [
        *native_pair("1A2B3C4D", "Teen", "1000000101", "1000000102"),
        *native_pair("5E6F7A8B", "BigTits", "1000000103", "1000000104",
                     description="Sunset-Beach-Volleyball-Extended-Cut"),
        single("0C0C0C0C", "Teen", "preroll", "1000000201"),
        single("0D0D0D0D", "Milf", "preroll", "1000000202"),
        single("0E0E0E0E", "Teen", "video", "1000000301"),
        single("0F0F0F0F", "Teen", "banner", "1000000302", file_format="mp4"),
        single("0A0A0A0A", "Teen", "banner", "1000000303", file_format="png"),
    ]  # fmt: skip
    write_inventory(workspace, rows)


@pytest.mark.parametrize(
    ("args", "golden"),
    [
        (["--format", "native", "--brand", "Acme"], "native.csv"),
        (["--format", "preroll", "--cta-text", "Watch now, free"], "preroll.csv"),
        (["--format", "video-banner"], "video_banner.csv"),
    ],
)
def test_each_format_matches_its_template_byte_for_byte(
    cli, workspace: Path, args: list[str], golden: str
) -> None:
    fixed_inventory(workspace)
    result = cli("--workspace", workspace, "campaign-csv", "--target-url", URL, *args)
    assert result.exit_code == 0, result.output
    [written] = campaign_files(workspace)
    assert written.read_bytes() == (GOLDEN / golden).read_bytes()
    assert BATCH_FILE.match(written.name), written.name


def test_native_header_is_fully_quoted_and_preroll_header_is_not(cli, workspace: Path) -> None:
    fixed_inventory(workspace)
    cli("--workspace", workspace, "campaign-csv", "--target-url", URL, "--brand", "Acme")
    cli("--workspace", workspace, "campaign-csv", "--target-url", URL, "--format", "preroll")
    native, preroll = campaign_files(workspace)
    assert native.read_text().splitlines()[0] == (
        '"Ad Name","Target URL","Video Creative ID","Thumbnail Creative ID","Headline","Brand Name"'
    )
    assert preroll.read_text().splitlines()[0] == (
        "Ad Name,Target URL,Creative ID,Custom CTA Text,Custom CTA URL,Banner CTA Creative ID,"
        "Banner CTA Title,Banner CTA Subtitle,Banner CTA URL,Tracking Pixel"
    )
