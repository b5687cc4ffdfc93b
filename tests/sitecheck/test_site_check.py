"""`creative-flow site-check trafficjunky`: every selector where the tool looks for it, read-only,
however the platform resolves what the evidence leaves open; a changed page is named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page

from automation.errors import ExitCode
from automation.sandbox.variants import VARIANT_SWITCHES
from automation.uploaders.trafficjunky import selectors as sel
from tests.fixtures.sandbox import Sandbox
from tests.sitecheck.conftest import CAMPAIGN_NAME, SiteCheckWorkspace, probes_of

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSING = {"found", "absent (optional)", "not tried"}
# How a signed-out app page shows: every form the evidence leaves open.
SIGNED_OUT_FORMS = [
    value
    for switch in VARIANT_SWITCHES
    if switch.name == "signed_out"
    for value in (switch.default, *switch.others)
]


def test_every_selector_is_found_read_only_on_every_variant(
    cli, site: SiteCheckWorkspace, sandbox_variant: Sandbox
):
    before = site.truth()

    result = cli(
        "--workspace", site.root, "site-check", "trafficjunky", "--campaign", site.campaign_id,
        "--json",
    )  # fmt: skip

    assert result.exit_code == ExitCode.OK, result.output
    answer = json.loads(result.stdout)
    probes = answer["probes"]
    assert answer["ok"] is True and answer["missing"] == 0
    wrong = [p for p in probes if p["status"] not in PASSING]
    assert not wrong, wrong
    found_where = {p["where"] for p in probes if p["status"] == "found"}
    # Every kind of page was reached: sign-in, tabs, a page 2, both sub-types, upload, campaign.
    assert "sign-in page" in found_where
    assert {"library native_static", "library native_rollover"} <= found_where
    assert any(w.endswith("page 2") for w in found_where)
    assert "upload area" in found_where
    assert any("(CSV mode)" in w for w in found_where)
    tried = {p["name"] for p in probes if p["status"] != "not tried"}
    for name in sel.SEEN_ON:
        if name not in sel.OPTIONAL:
            assert any(t == name or t.startswith(f"{name}[") for t in tried), name
    assert site.truth() == before, "a site check changed the platform"


def test_a_changed_selector_is_named_with_what_is_there_instead(
    cli, site: SiteCheckWorkspace, sandbox: Sandbox
):
    sandbox.switches(markup_drift={"creativeName": "creativeTitle"})  # the card name's class

    table = cli("--workspace", site.root, "site-check", "trafficjunky")
    as_json = cli("--workspace", site.root, "site-check", "trafficjunky", "--json")

    assert table.exit_code == ExitCode.PLATFORM
    assert "CARD_NAME" in table.stdout
    assert "CARD_NAME" in table.stderr and "problem" in table.stderr
    assert as_json.exit_code == ExitCode.PLATFORM
    missing = [p for p in probes_of(as_json.stdout) if p["status"] == "missing"]
    assert missing and {p["name"] for p in missing} == {"CARD_NAME"}
    assert all("creativeTitle" in p["detail"] for p in missing), missing


def test_without_a_session_it_asks_for_a_login(cli, site: SiteCheckWorkspace):
    (site.root / "sessions" / "trafficjunky.json").unlink()

    result = cli("--workspace", site.root, "site-check", "trafficjunky")

    assert result.exit_code == ExitCode.AUTH_REQUIRED
    assert "creative-flow login trafficjunky" in result.stderr


@pytest.mark.parametrize("signed_out", SIGNED_OUT_FORMS)
def test_an_expired_session_asks_for_a_login(
    cli, site: SiteCheckWorkspace, sandbox: Sandbox, signed_out: str
):
    sandbox.switches(signed_out=signed_out, expire_sessions_now=True)

    result = cli("--workspace", site.root, "site-check", "trafficjunky")

    assert result.exit_code == ExitCode.AUTH_REQUIRED
    assert "creative-flow login trafficjunky" in result.stderr


def test_an_unknown_campaign_is_named(cli, site: SiteCheckWorkspace):
    result = cli("--workspace", site.root, "site-check", "trafficjunky", "--campaign", "999")

    assert result.exit_code == ExitCode.PLATFORM
    assert "campaign 999" in result.stderr and "HTTP 404" in result.stderr


def test_a_campaign_id_that_is_not_a_number_is_one_line(cli, site: SiteCheckWorkspace):
    result = cli("--workspace", site.root, "site-check", "trafficjunky", "--campaign", "abc")

    assert result.exit_code == ExitCode.USAGE
    assert "--campaign 'abc' must be a campaign ID" in result.stderr


def test_snapshots_keep_the_structure_and_none_of_the_users_data(
    cli, site: SiteCheckWorkspace, page: Page
):
    truth = site.sandbox.truth()

    result = cli(
        "--workspace", site.root, "site-check", "trafficjunky", "--campaign", site.campaign_id,
        "--json",
    )  # fmt: skip

    assert result.exit_code == ExitCode.OK, result.output
    snapshots = [p for p in json.loads(result.stdout)["artifacts"] if p.endswith(".html")]
    assert len(snapshots) >= 8
    assert {Path(s).parent.parent for s in snapshots} == {site.run_folder()}
    private = [site.sandbox.username, CAMPAIGN_NAME, site.campaign_id]
    for creative in truth["creatives"]:
        private += [creative["name"], str(creative["id"])]
    for campaign in truth["campaigns"]:
        private.append(campaign["name"])
    for path in snapshots:
        text = Path(path).read_text(encoding="utf-8")
        leaked = [p for p in private if p.lower() in text.lower()]
        assert not leaked, f"{path}: {leaked}"
    # The tool's own selectors still find the cards in a snapshot: the structure stayed.
    first_tab = next(s for s in snapshots if "library-static-banner" in s and "page-2" not in s)
    page.set_content(Path(first_tab).read_text(encoding="utf-8"))
    assert page.locator(sel.CARD).count() == 12
    assert page.locator(sel.CARD_NAME).count() == 12
    assert page.locator(sel.TAB_LINKS["native"]).count() == 1
