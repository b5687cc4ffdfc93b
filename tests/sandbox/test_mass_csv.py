"""The server's check of mass-create CSV files: templates, limits, creatives and categories."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fixtures.sandbox import Sandbox

PREROLL = ["Ad Name", "Target URL", "Creative ID", "Custom CTA Text", "Custom CTA URL",
           "Banner CTA Creative ID", "Banner CTA Title", "Banner CTA Subtitle", "Banner CTA URL",
           "Tracking Pixel"]  # fmt: skip
VIDEO_BANNER = ["Ad Name", "Target URL", "Creative Video ID", "Creative Overlay ID"]
NATIVE = ["Ad Name", "Target URL", "Video Creative ID", "Thumbnail Creative ID", "Headline",
          "Brand Name"]  # fmt: skip


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    cookie = sandbox.session_cookie()
    with httpx.Client(base_url=sandbox.url, trust_env=False) as http:
        http.cookies.set(cookie["name"], cookie["value"])
        yield http


def check(client: httpx.Client, campaign_id: int, data: bytes) -> dict[str, Any]:
    url = f"/campaign/{campaign_id}/ad-settings/csv"
    answer = client.post(url, files={"file": ("ads.csv", data, "text/csv")})
    assert answer.status_code == 200
    return dict(answer.json())


def messages(result: dict[str, Any]) -> str:
    return "\n".join(i["message"] for i in result["issues"])


def test_preroll_and_video_banner_templates_are_accepted(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    (pre,) = sandbox.seed(1, tabs=["in_stream_video"])["creatives"]
    (vid,) = sandbox.seed(1, tabs=["video_banner"])["creatives"]
    camp = sandbox.seed(campaigns=[{"name": "Any", "content_category": "straight"}])["campaigns"][0]
    preroll = csv_bytes(
        PREROLL, [["Pre 1", "https://a.test/", pre["id"], "", "", "", "", "", "", ""]]
    )
    banner = csv_bytes(VIDEO_BANNER, [["Vid 1", "https://a.test/", vid["id"], ""]])
    for data, kind in ((preroll, "preroll"), (banner, "video_banner")):
        result = check(client, camp["id"], data)
        assert result["ok"], messages(result)
        assert result["kind"] == kind
        assert result["token"]


def test_missing_columns_are_named(sandbox: Sandbox, client: httpx.Client) -> None:
    camp = sandbox.seed(campaigns=[{"name": "C", "content_category": "straight"}])["campaigns"][0]
    result = check(client, camp["id"], csv_bytes(NATIVE[:4], [["a", "https://a.test/", 1, 2]]))
    assert not result["ok"]
    assert "Missing column(s) of the Native template: Headline, Brand Name" in messages(result)


def test_more_than_50_ads_and_more_than_500_kb_are_refused(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    (pre,) = sandbox.seed(1, tabs=["in_stream_video"])["creatives"]
    camp = sandbox.seed(campaigns=[{"name": "C", "content_category": "straight"}])["campaigns"][0]
    row = ["Ad", "https://a.test/", pre["id"], "", "", "", "", "", "", ""]
    result = check(client, camp["id"], csv_bytes(PREROLL, [row] * 51))
    assert "51 ads; at most 50" in messages(result)
    assert check(client, camp["id"], csv_bytes(PREROLL, [row] * 50))["ok"]
    # 500 KB are 512,000 bytes: a file just under passes the size check, one just over does not.
    under = csv_bytes(PREROLL, [[*row[:-1], "https://a.test/" + "x" * 11000]] * 46)
    over = csv_bytes(PREROLL, [[*row[:-1], "https://a.test/" + "x" * 11200]] * 46)
    assert 500_000 < len(under) <= 512_000 < len(over)
    assert "500 KB" not in messages(check(client, camp["id"], under))
    assert "at most 500 KB" in messages(check(client, camp["id"], over))


def test_creatives_from_the_wrong_tab_or_a_rejected_review_are_listed(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    (video,) = sandbox.seed(1, tabs=["native_rollover"])["creatives"]
    (thumb,) = sandbox.seed(1, tabs=["native_static"])["creatives"]
    (stray,) = sandbox.seed(1, tabs=["static_banner"])["creatives"]
    sandbox.review([video["id"]], "rejected")
    camp = sandbox.seed(campaigns=[{"name": "C", "content_category": "straight"}])["campaigns"][0]
    rows = [["A", "https://a.test/", video["id"], thumb["id"], "H", "B"],
            ["B", "https://a.test/", stray["id"], thumb["id"], "H", "B"]]  # fmt: skip
    result = check(client, camp["id"], csv_bytes(NATIVE, rows))
    by_id = {tuple(i["creative_ids"]): i["message"] for i in result["issues"]}
    assert set(by_id) == {(str(video["id"]),), (str(stray["id"]),)}
    assert by_id[(str(video["id"]),)] == (
        f"The following creatives were rejected in review and cannot be used: {video['id']}"
    )
    assert "are not Native Rollover creatives (Video Creative ID)" in by_id[(str(stray["id"]),)]


def test_creatives_of_another_category_share_one_sentence_in_the_real_wording(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    videos = sandbox.seed(3, tabs=["native_rollover"])["creatives"]
    thumbs = sandbox.seed(3, tabs=["native_static"])["creatives"]
    wrong = [videos[0]["id"], thumbs[2]["id"]]
    sandbox.control("creative_category", {"ids": wrong, "content_category": "gay"})
    camp = sandbox.seed(campaigns=[{"name": "C", "content_category": "straight"}])["campaigns"][0]
    rows = [[f"Ad {n}", "https://a.test/", v["id"], t["id"], "H", "B"]
            for n, (v, t) in enumerate(zip(videos, thumbs, strict=True))]  # fmt: skip
    [issue] = check(client, camp["id"], csv_bytes(NATIVE, rows))["issues"]
    assert issue["message"] == (
        "You can only use creatives that match with the campaign content category you "
        f"selected. The following creatives are not valid: {wrong[0]}, {wrong[1]}"
    )


def test_field_limits_urls_and_the_campaign_format_are_checked(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    (video,) = sandbox.seed(1, tabs=["native_rollover"])["creatives"]
    (thumb,) = sandbox.seed(1, tabs=["native_static"])["creatives"]
    camp = sandbox.seed(
        campaigns=[{"name": "Pre", "content_category": "straight", "ad_format": "preroll"}]
    )["campaigns"][0]
    rows = [["A", "ftp://a.test/", video["id"], thumb["id"], "H" * 88, "B" * 26]]
    text = messages(check(client, camp["id"], csv_bytes(NATIVE, rows)))
    assert "takes Pre-roll ads; the file is a Native CSV" in text
    assert "Headline is longer than 87" in text
    assert "Brand Name is longer than 25" in text
    assert "Target URL must start with http" in text


def test_the_check_needs_a_session(sandbox: Sandbox) -> None:
    camp = sandbox.seed(campaigns=[{"name": "C", "content_category": "straight"}])["campaigns"][0]
    with httpx.Client(base_url=sandbox.url, trust_env=False) as anonymous:
        answer = anonymous.post(
            f"/campaign/{camp['id']}/ad-settings/csv",
            files={"file": ("a.csv", csv_bytes(NATIVE, []), "text/csv")},
        )
    assert answer.status_code == 401
