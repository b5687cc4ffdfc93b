"""`creative-flow campaign-csv`: pairing, splitting, limits, selection, macros, summary."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.campaigns.builders import (
    many_pairs,
    native_pair,
    single,
    write_inventory,
    write_library,
    write_upload_run,
)
from tests.campaigns.conftest import BATCH_FILE, URL, campaign_files
from tracking.campaign_formats import MAX_BYTES


def ads_of(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def native(cli, workspace: Path, *args: str):
    return cli("--workspace", workspace, "campaign-csv", "--target-url", URL, "--brand", "Acme",
               *args)  # fmt: skip


def test_a_video_without_its_thumbnail_and_the_reverse_are_reported_not_written(
    cli, workspace: Path
) -> None:
    write_inventory(workspace, [
        *native_pair("11111111", "Teen", "1000000001", "1000000002"),
        *native_pair("22222222", "Teen", "1000000003", None),   # image never uploaded
        native_pair("33333333", "Teen", "1000000005", "1000000006")[1],  # image only
    ])  # fmt: skip
    result = native(cli, workspace)
    assert result.exit_code == 0, result.output  # creatives left out are no error while ads remain
    [written] = campaign_files(workspace)
    [ad] = ads_of(written)
    assert (ad["Video Creative ID"], ad["Thumbnail Creative ID"]) == ("1000000001", "1000000002")
    assert (
        "left out ID-22222222-VID: its thumbnail is missing (ID-22222222-IMG is left out: "
        "never uploaded to TrafficJunky" in result.output
    )
    assert (
        "left out ID-33333333-IMG: its video is missing (no ID-33333333-VID in the inventory)"
        in (result.output)
    )
    assert "1000000003" not in written.read_text() and "1000000006" not in written.read_text()


def test_pairs_join_on_their_own_pair_id_whatever_the_row_order(cli, workspace: Path) -> None:
    a_vid, a_img = native_pair("AAAAAAAA", "Teen", "1000000011", "1000000012")
    b_vid, b_img = native_pair("BBBBBBBB", "Teen", "1000000021", "1000000022")
    write_inventory(workspace, [a_vid, b_img, b_vid, a_img])
    assert native(cli, workspace).exit_code == 0
    pairs = {(a["Video Creative ID"], a["Thumbnail Creative ID"])
             for a in ads_of(campaign_files(workspace)[0])}  # fmt: skip
    assert pairs == {("1000000011", "1000000012"), ("1000000021", "1000000022")}


def test_more_than_fifty_ads_are_split_into_numbered_parts(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(120))
    result = native(cli, workspace, "--json")
    assert result.exit_code == 0, result.output
    files = campaign_files(workspace)
    assert [f.name.rsplit("_", 1)[-1] for f in files] == ["part1.csv", "part2.csv", "part3.csv"]
    assert [len(ads_of(f)) for f in files] == [50, 50, 20]
    assert len({BATCH_FILE.match(f.name)["batch"] for f in files}) == 1  # type: ignore[index]
    ids = [a["Video Creative ID"] for f in files for a in ads_of(f)]
    assert len(ids) == len(set(ids)) == 120
    summary = json.loads(result.stdout)
    assert [(f["part"], f["parts"], f["ads"]) for f in summary["files"]] == [
        (1, 3, 50), (2, 3, 50), (3, 3, 20)]  # fmt: skip


def test_files_over_500_kb_are_split_by_size(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(40))
    long_url = "https://acme.example/?c={CampaignID}&pad=" + "x" * 20_000
    result = cli("--workspace", workspace, "campaign-csv", "--target-url", long_url,
                 "--brand", "Acme")  # fmt: skip
    assert result.exit_code == 0, result.output
    files = campaign_files(workspace)
    assert len(files) == 2  # 40 ads of ~20 KB each: 24 fit in 500,000 bytes
    assert all(f.stat().st_size <= MAX_BYTES for f in files)
    assert sum(len(ads_of(f)) for f in files) == 40


def test_ad_names_are_shortened_to_64_characters_keeping_the_id(cli, workspace: Path) -> None:
    long = "Sunset-Beach-Volleyball-Tournament-Final-Extended-Directors-Cut"
    write_inventory(workspace, native_pair("ABCDEF12", "Teen", "1000000001", "1000000002",
                                           description=long))  # fmt: skip
    assert native(cli, workspace).exit_code == 0
    [ad] = ads_of(campaign_files(workspace)[0])
    assert 60 <= len(ad["Ad Name"]) <= 64  # cut at a field edge, never past the limit
    assert ad["Ad Name"].startswith("VID_EN_Teen_")
    assert ad["Ad Name"].endswith("_ID-ABCDEF12-VID")


def test_over_long_text_fields_are_an_error_listing_every_ad(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(3))
    result = native(cli, workspace, "--brand", "A brand name far over the limit")
    assert result.exit_code == 2
    assert result.output.count("Brand Name is 31 characters, the limit is 25") == 3
    assert "--truncate" in result.output
    assert campaign_files(workspace) == []


def test_a_long_category_headline_names_only_its_own_ads(cli, workspace: Path) -> None:
    category = "Category" + "x" * 90
    write_inventory(
        workspace,
        [
            *native_pair("11111111", "Teen", "1000000001", "1000000002"),
            *native_pair("22222222", category, "1000000003", "1000000004"),
        ],
    )
    result = native(cli, workspace)
    assert result.exit_code == 2
    assert "ad 2: Headline is 98 characters" in result.output
    assert "ad 1:" not in result.output


def test_truncate_cuts_text_fields_to_the_limits(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(2))
    result = native(cli, workspace, "--brand", "B" * 40, "--headline", "H" * 100, "--truncate")
    assert result.exit_code == 0, result.output
    for ad in ads_of(campaign_files(workspace)[0]):
        assert (ad["Brand Name"], ad["Headline"]) == ("B" * 25, "H" * 87)


def test_by_category_writes_one_numbered_file_per_category(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(6, categories=("Teen", "Milf", "Big Tits")))
    assert native(cli, workspace, "--by-category").exit_code == 0
    names = [BATCH_FILE.match(f.name) for f in campaign_files(workspace)]
    assert sorted(m["category"] for m in names) == ["BigTits", "Milf", "Teen"]  # type: ignore[index]
    assert sorted(int(m["batch"]) for m in names) == [1, 2, 3]  # type: ignore[index]
    for f in campaign_files(workspace):
        assert len(ads_of(f)) == 2


def test_unknown_macro_in_target_url_is_an_error_naming_it(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(1))
    result = cli("--workspace", workspace, "campaign-csv", "--brand", "Acme",
                 "--target-url", "https://acme.example/?c={CampaignID}&x={ClickID}")  # fmt: skip
    assert result.exit_code == 2
    assert "{ClickID}" in result.output and "{CampaignID}" not in result.output.split(";")[0]
    assert campaign_files(workspace) == []


def test_known_macros_pass_through_and_template_fields_are_filled(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(1))
    template = (
        "https://acme.example/?a={ACLID}&b={BidValue}&k={Keywords}&p={pair_id}&id={creative_id}"
    )
    assert cli("--workspace", workspace, "campaign-csv", "--brand", "Acme",
               "--target-url", template).exit_code == 0  # fmt: skip
    [ad] = ads_of(campaign_files(workspace)[0])
    assert ad["Target URL"] == (
        "https://acme.example/?a={ACLID}&b={BidValue}&k={Keywords}&p=ID-00000000&id=1000000000"
    )


def test_native_without_brand_is_refused(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(1))
    result = cli("--workspace", workspace, "campaign-csv", "--target-url", URL)
    assert result.exit_code == 2 and "--brand" in result.output


def test_only_creatives_with_proven_ids_are_written(cli, workspace: Path) -> None:
    write_inventory(
        workspace,
        [
            single("0C0C0C0C", "Teen", "preroll", "1000000201"),
            single("0D0D0D0D", "Teen", "preroll", None),
        ],
    )
    result = cli("--workspace", workspace, "campaign-csv", "--format", "preroll",
                 "--target-url", URL)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [a["Creative ID"] for a in ads_of(campaign_files(workspace)[0])] == ["1000000201"]
    assert "left out ID-0D0D0D0D: never uploaded to TrafficJunky" in result.output


def test_nothing_to_write_exits_non_zero(cli, workspace: Path) -> None:
    write_inventory(workspace, [single("0D0D0D0D", "Teen", "preroll", None)])
    result = cli("--workspace", workspace, "campaign-csv", "--format", "preroll",
                 "--target-url", URL)  # fmt: skip
    assert result.exit_code == 2 and "no preroll ads to write" in result.output


def test_status_approved_keeps_only_approved_creatives(cli, workspace: Path) -> None:
    rows = [
        *native_pair("11111111", "Teen", "1000000001", "1000000002"),
        *native_pair("22222222", "Teen", "1000000003", "1000000004", status="pending"),
    ]
    write_inventory(workspace, rows)
    result = native(cli, workspace, "--status", "approved")
    assert result.exit_code == 0, result.output
    assert [a["Video Creative ID"] for a in ads_of(campaign_files(workspace)[0])] == ["1000000001"]
    assert "ID-22222222-VID: pending review on TrafficJunky, not approved yet" in result.output


def test_approval_and_presence_are_checked_against_the_library_cache(cli, workspace: Path) -> None:
    rows = many_pairs(3)
    cached = [r for r in rows if r["unique_id"] != "ID-00000002-IMG"]
    cached = [{**r, "tj_review_status": "rejected"} if r["unique_id"] == "ID-00000001-VID" else r
              for r in cached]  # fmt: skip
    write_library(workspace, cached)
    # The inventory does not know the review statuses yet: the cache's are used.
    write_inventory(workspace, [{**r, "tj_review_status": ""} for r in rows])
    result = native(cli, workspace, "--status", "approved")
    assert result.exit_code == 0, result.output
    assert [a["Video Creative ID"] for a in ads_of(campaign_files(workspace)[0])] == ["1000000000"]
    assert "ID-00000001-VID: rejected by TrafficJunky" in result.output
    assert "ID-00000002-IMG: review status unknown on TrafficJunky, not approved" in result.output


def test_an_id_missing_from_the_library_cache_is_left_out(cli, workspace: Path) -> None:
    rows = many_pairs(2)
    write_inventory(workspace, rows)
    write_library(workspace, [r for r in rows if r["unique_id"] != "ID-00000001-IMG"])
    result = native(cli, workspace)
    assert result.exit_code == 0, result.output
    assert [a["Video Creative ID"] for a in ads_of(campaign_files(workspace)[0])] == ["1000000000"]
    assert "1000000003 is not in the library cache" in result.output


def test_since_run_and_ids_choose_creatives(cli, workspace: Path) -> None:
    old = native_pair("11111111", "Teen", "1000000001", "1000000002", date="2026-01-01 09:00:00")
    new = native_pair("22222222", "Teen", "1000000003", "1000000004", date="2026-02-01 09:00:00")
    other = native_pair("33333333", "Teen", "1000000005", "1000000006", date="2026-02-02 09:00:00")
    write_inventory(workspace, [*old, *new, *other])
    write_upload_run(workspace, "20260201-090000-abcd", [
        {"unique_id": "ID-33333333-VID", "file_name": other[0]["new_filename"],
         "status": "success", "tj_creative_id": "1000000005"},
        {"unique_id": "ID-11111111-VID", "file_name": old[0]["new_filename"],
         "status": "failed"},
    ])  # fmt: skip

    def chosen(*args: str) -> list[str]:
        for f in campaign_files(workspace):
            f.unlink()
        assert native(cli, workspace, *args).exit_code == 0
        return [a["Video Creative ID"] for a in ads_of(campaign_files(workspace)[0])]

    assert chosen("--since", "2026-02-01") == ["1000000003", "1000000005"]
    assert chosen("--run", "20260201-090000-abcd") == ["1000000005"]
    assert chosen("--ids", "ID-11111111,ID-22222222-IMG") == ["1000000001", "1000000003"]


def test_unknown_run_is_an_error_naming_the_file(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(1))
    result = native(cli, workspace, "--run", "nope")
    assert result.exit_code == 6 and "nope.csv" in result.output


def test_json_summary_lists_files_rows_and_left_out(cli, workspace: Path) -> None:
    write_inventory(
        workspace, [*many_pairs(2), *native_pair("99999999", "Teen", "1000000099", None)]
    )
    result = native(cli, workspace, "--json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    [written] = summary["files"]
    assert Path(written["path"]).exists() and written["ads"] == 2 == summary["ads"]
    assert {s["unique_id"] for s in summary["skipped"]} == {"ID-99999999-IMG", "ID-99999999-VID"}
    assert summary["left_out"] == {"never uploaded": 1, "half of a pair missing": 1}


@pytest.mark.parametrize("bad", ["ftp://x.example/", "acme.example/landing"])
def test_target_url_must_be_http(cli, workspace: Path, bad: str) -> None:
    write_inventory(workspace, many_pairs(1))
    result = cli("--workspace", workspace, "campaign-csv", "--brand", "A", "--target-url", bad)
    assert result.exit_code == 2 and "http" in result.output


def test_an_empty_selection_says_what_to_do(cli, workspace: Path) -> None:
    result = native(cli, workspace)
    assert result.exit_code == 2 and "match the selection" in result.output


def test_by_default_rejected_creatives_are_left_out_and_pending_ones_go_in(
    cli, workspace: Path
) -> None:
    write_inventory(workspace, [
        *native_pair("11111111", "Teen", "1000000001", "1000000002"),
        *native_pair("22222222", "Teen", "1000000003", "1000000004", status="pending"),
        *native_pair("33333333", "Teen", "1000000005", "1000000006", status="rejected"),
    ])  # fmt: skip
    result = native(cli, workspace)
    assert result.exit_code == 0, result.output
    ids = [a["Video Creative ID"] for a in ads_of(campaign_files(workspace)[0])]
    assert ids == ["1000000001", "1000000003"]
    assert "left out ID-33333333-VID: rejected by TrafficJunky" in result.output
    assert "left out 2 creatives: 2 rejected" in result.output


def test_a_lone_half_says_why_its_other_half_is_missing(cli, workspace: Path) -> None:
    video, image = native_pair("44444444", "Teen", "1000000007", "1000000008")
    write_inventory(workspace, [
        *native_pair("11111111", "Teen", "1000000001", "1000000002"),
        video, {**image, "tj_review_status": "rejected"},
    ])  # fmt: skip
    result = native(cli, workspace)
    assert result.exit_code == 0, result.output
    assert "left out ID-44444444-IMG: rejected by TrafficJunky" in result.output
    assert (
        "left out ID-44444444-VID: its thumbnail is missing (ID-44444444-IMG is left out: "
        "rejected by TrafficJunky)" in result.output
    )
    assert "no ID" not in result.output


def test_a_creative_uploaded_elsewhere_has_no_id_on_this_platform(cli, workspace: Path) -> None:
    write_inventory(workspace, [
        single("0C0C0C0C", "Teen", "preroll", "1000000201"),
        {**single("0D0D0D0D", "Teen", "preroll", None), "exo_creative_id": "555"},
    ])  # fmt: skip
    result = cli("--workspace", workspace, "campaign-csv", "--format", "preroll",
                 "--target-url", URL)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "left out ID-0D0D0D0D: no TrafficJunky creative ID (uploaded to ExoClick only)" in (
        result.output
    )
    assert "1 no ID on this platform" in result.output


@pytest.mark.parametrize(
    ("status", "expected"),
    [("pending", ["1000000003"]), ("any", ["1000000001", "1000000003", "1000000005"]),
     ("approved", ["1000000001"])],
)  # fmt: skip
def test_status_chooses_which_review_statuses_go_in(
    cli, workspace: Path, status: str, expected: list[str]
) -> None:
    write_inventory(workspace, [
        *native_pair("11111111", "Teen", "1000000001", "1000000002"),
        *native_pair("22222222", "Teen", "1000000003", "1000000004", status="pending"),
        *native_pair("33333333", "Teen", "1000000005", "1000000006", status="rejected"),
    ])  # fmt: skip
    result = native(cli, workspace, "--status", status)
    assert result.exit_code == 0, result.output
    assert [a["Video Creative ID"] for a in ads_of(campaign_files(workspace)[0])] == expected


def test_an_unknown_status_is_one_line_naming_the_choices(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(1))
    result = native(cli, workspace, "--status", "aproved")
    assert result.exit_code == 2
    assert "--status 'aproved': choose approved, pending or any" in result.output
    assert campaign_files(workspace) == []


def test_every_macro_of_real_tracking_links_passes_through(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(1))
    template = (
        "https://clk.example/abc?ref=tj&sub1={CampaignID}&sub2={BLPID}&sub3={BLPName}"
        "&SiteName={SiteName}&SpotName={SpotName}&Location={Location}&sub7={BanID}"
        "&sub8={BanName}&sub9={AdID}&sub10={SpotID}&sub11={CampaignName}&Keywords={Keywords}"
        "&ref_id={ACLID}&cost={BidValue}"
    )
    result = cli("--workspace", workspace, "campaign-csv", "--brand", "Acme",
                 "--target-url", template)  # fmt: skip
    assert result.exit_code == 0, result.output
    [ad] = ads_of(campaign_files(workspace)[0])
    assert ad["Target URL"] == template


def test_an_unknown_macro_line_lists_the_known_ones(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(1))
    result = cli("--workspace", workspace, "campaign-csv", "--brand", "Acme",
                 "--target-url", "https://acme.example/?c={campaignid}")  # fmt: skip
    assert result.exit_code == 2
    [line] = [line for line in result.output.splitlines() if "{campaignid}" in line]
    assert "{CampaignID}" in line and "{BLPName}" in line and "{SiteName}" in line


def test_dry_run_shows_the_files_and_ads_and_writes_nothing(cli, workspace: Path) -> None:
    write_inventory(workspace, many_pairs(60))
    assert native(cli, workspace).exit_code == 0  # batch 1 taken by a real run
    before = sorted(p.name for p in (workspace / "records" / "campaigns").iterdir())
    counter = (workspace / "records" / "campaigns" / ".batch_counter").read_text()

    result = native(cli, workspace, "--dry-run", "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["dry_run"] is True
    assert report["ads"] == 60
    names = [Path(f["path"]).name for f in report["files"]]
    assert len(names) == 2 and all(n.startswith("Batch002_") for n in names)
    assert sorted(p.name for p in (workspace / "records" / "campaigns").iterdir()) == before
    shown = native(cli, workspace, "--dry-run")
    assert "nothing was written" in shown.stdout
    assert sorted(p.name for p in (workspace / "records" / "campaigns").iterdir()) == before
    assert (workspace / "records" / "campaigns" / ".batch_counter").read_text() == counter


def test_counts_agree_with_their_nouns(cli, workspace: Path) -> None:
    write_inventory(workspace, native_pair("11111111", "Teen", "1000000001", "1000000002"))
    result = native(cli, workspace)
    assert result.exit_code == 0, result.output
    assert "1 ad in 1 file in" in result.stdout
