"""Each template's bytes as TrafficJunky's mass create takes them: the header exactly as the
platform's own template file has it, and rows quoted as its example rows are."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.campaigns.builders import native_pair, single, write_inventory
from tests.campaigns.conftest import BATCH_FILE, URL, campaign_files

# The first line of each template file the platform offers for download, typed in from those
# files (not from our output). Native quotes every column name except Headline.
TEMPLATE_HEADERS = {
    "native": b'"Ad Name","Target URL","Video Creative ID","Thumbnail Creative ID",Headline,'
    b'"Brand Name"\n',
    "preroll": b"Ad Name,Target URL,Creative ID,Custom CTA Text,Custom CTA URL,"
    b"Banner CTA Creative ID,Banner CTA Title,Banner CTA Subtitle,Banner CTA URL,Tracking Pixel\n",
    "video-banner": b"Ad Name,Target URL,Creative Video ID,Creative Overlay ID\n",
    "static-banner": b"Ad Name,Target URL\n",
}
LANDING = "https://acme.example/landing?c={CampaignID}&s={SpotID}&cat="


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


# Every ad row as its fields, typed in: what each template must carry for fixed_inventory().
EXPECTED_ROWS = {
    "native": [
        ["VID_EN_Teen_MFT_Both_NA_Generic_Bob_4sec_ID-1A2B3C4D-VID", LANDING + "Teen",
         "1000000101", "1000000102", "Teen", "Acme"],
        # Too long: no filler token to drop, so the duration goes, then whole words from the end.
        ["VID_EN_BigTits_MFT_Both_NA_Sunset-Beach_ID-5E6F7A8B-VID",
         LANDING + "BigTits", "1000000103", "1000000104", "BigTits", "Acme"],
    ],
    "preroll": [
        ["EN_Teen_MFT_Both_NA_Generic_Bob_12sec_ID-0C0C0C0C", LANDING + "Teen", "1000000201",
         "Watch now, free", LANDING + "Teen", "", "", "", "", ""],
        ["EN_Milf_MFT_Both_NA_Generic_Bob_12sec_ID-0D0D0D0D", LANDING + "Milf", "1000000202",
         "Watch now, free", LANDING + "Milf", "", "", "", "", ""],
    ],
    "video-banner": [
        ["EN_Teen_MFT_Both_NA_Generic_Bob_12sec_ID-0E0E0E0E", LANDING + "Teen", "1000000301", ""],
        ["EN_Teen_MFT_Both_NA_Generic_Bob_12sec_ID-0F0F0F0F", LANDING + "Teen", "1000000302", ""],
    ],
    "static-banner": [["EN_Teen_MFT_Both_NA_Generic_Bob_12sec_ID-0A0A0A0A", LANDING + "Teen"]],
}  # fmt: skip
EXTRA_ARGS = {
    "native": ["--brand", "Acme"],
    "preroll": ["--cta-text", "Watch now, free"],
    "video-banner": [],
    "static-banner": [],
}


def _write(cli, workspace: Path, fmt: str) -> Path:
    fixed_inventory(workspace)
    result = cli(
        "--workspace", workspace, "campaign-csv", "--target-url", URL, "--format", fmt,
        *EXTRA_ARGS[fmt],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [written] = campaign_files(workspace)
    assert BATCH_FILE.match(written.name), written.name
    return written


@pytest.mark.parametrize("fmt", list(TEMPLATE_HEADERS))
def test_each_header_is_byte_equal_to_the_platforms_template(cli, workspace: Path, fmt: str):
    data = _write(cli, workspace, fmt).read_bytes()
    assert data.startswith(TEMPLATE_HEADERS[fmt])
    assert b"\r" not in data  # the templates end lines with LF alone


@pytest.mark.parametrize("fmt", list(TEMPLATE_HEADERS))
def test_each_format_carries_the_expected_ads(cli, workspace: Path, fmt: str) -> None:
    lines = _write(cli, workspace, fmt).read_text().splitlines()[1:]
    assert [next(csv.reader([line])) for line in lines] == EXPECTED_ROWS[fmt]


def test_native_rows_quote_every_field_as_the_templates_example_does(cli, workspace: Path):
    first_ad = _write(cli, workspace, "native").read_text().splitlines()[1]
    fields = EXPECTED_ROWS["native"][0]
    assert first_ad == ",".join(f'"{f}"' for f in fields)


def test_preroll_rows_quote_only_fields_that_need_it(cli, workspace: Path) -> None:
    first_ad = _write(cli, workspace, "preroll").read_text().splitlines()[1]
    assert first_ad.startswith("EN_Teen_MFT_Both_NA_Generic_Bob_12sec_ID-0C0C0C0C,https://")
    assert ',"Watch now, free",' in first_ad
