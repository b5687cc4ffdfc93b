"""`site-check exoclick`: every field the tool reads, found with its type, read-only."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from automation.sandbox.exo_api import DEMO_API_TOKEN
from tests.exoclick.conftest import ExoSandbox
from tests.fixtures.media import make_image


def account_in_use(exo: ExoSandbox, tmp_path: Path) -> int:
    """Library files, a campaign and one ad in it, made through the API itself; the campaign."""
    exo.control("files", {"count": 3, "type": "image"})
    campaign = exo.campaign("Display", "display")
    api = httpx.Client(base_url=exo.api_url, trust_env=False, timeout=30)
    token = api.post("/login", json={"api_token": DEMO_API_TOKEN}).json()["token"]
    api.headers["Authorization"] = f"Bearer {token}"
    url_id = api.post("/library/url", json={"url": "https://acme.example/"}).json()["id"]
    banner = make_image(tmp_path / "EN_Banner_300x250_ID-5EEDF11E.png", width=300, height=250)
    form = {"idcampaign": str(campaign), "name": "EN_Banner", "id_library_url": str(url_id)}
    with banner.open("rb") as handle:
        made = api.post(f"/campaigns/{campaign}/variation", data=form,
                        files={"file": (banner.name, handle)})  # fmt: skip
    assert made.status_code == 201, made.text
    api.close()
    return campaign


def site_check(exo: ExoSandbox, cli, workspace: Path, *args: str):  # type: ignore[no-untyped-def]
    return cli("--workspace", workspace, "--env-file", exo.env_file(workspace),
               "site-check", "exoclick", *args)  # fmt: skip


def test_every_field_is_found_on_the_sandbox_and_nothing_is_written(
    exo_variant: ExoSandbox, cli, workspace: Path, tmp_path: Path
):
    exo = exo_variant
    account_in_use(exo, tmp_path)
    before = len(exo.requests())

    result = site_check(exo, cli, workspace, "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] and report["missing"] == 0
    found = {p["name"]: p["detail"] for p in report["probes"] if p["status"] == "found"}
    assert found["library_file.file_name"] == "string"
    assert found["library_file.status"].startswith("integer; values seen: 0")
    assert found["campaigns.campaign_type"] == "object"
    assert found["variation.idvariations_file"] == "integer"
    not_tried = {p["name"] for p in report["probes"] if p["status"] == "not tried"}
    assert "POST /campaigns/{id}/variation" in not_tried
    calls = exo.requests()[before:]
    assert {r["method"] for r in calls if r["path"] != "/exo/v2/login"} == {"GET"}
    snapshot = Path(report["artifacts"][0]).read_text()
    assert "file_name" in snapshot and DEMO_API_TOKEN not in snapshot
    assert "EN_Banner" not in snapshot, "the snapshot holds field names and types, no values"


@pytest.mark.parametrize(
    ("renamed", "probe"),
    [
        ({"file_name": "filename"}, "library_file.file_name"),
        ({"idvariation": "id"}, "variation.idvariation"),
    ],
)
def test_a_renamed_field_is_named_and_fails_the_check(
    exo: ExoSandbox, cli, workspace: Path, tmp_path: Path, renamed: dict[str, str], probe: str
):
    account_in_use(exo, tmp_path)
    exo.exo_switches(rename_fields=renamed)

    result = site_check(exo, cli, workspace, "--json")

    assert result.exit_code != 0
    report = json.loads(result.stdout)
    [missing] = [p for p in report["probes"] if p["status"] == "missing"]
    assert missing["name"] == probe
    new_name = next(iter(renamed.values()))
    assert new_name in missing["detail"], "it says which field is there instead"
    assert probe in result.stderr


def test_a_campaign_id_that_is_not_a_number_is_one_line(exo: ExoSandbox, cli, workspace: Path):
    result = site_check(exo, cli, workspace, "--campaign", "abc")
    assert result.exit_code == 2
    assert "--campaign 'abc' must be a campaign ID" in result.stderr
    assert exo.requests() == []
