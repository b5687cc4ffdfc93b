"""`creative-flow login trafficjunky`, and keeping the password out of every artifact."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from automation.errors import ExitCode
from tests.campaigns import test_mass_create as mc
from tests.fixtures.sandbox import Sandbox
from tests.upload.workspace import TJWorkspace

pytestmark = pytest.mark.browser


def test_login_without_captcha_saves_a_private_session_that_uploads_use(cli, tj: TJWorkspace):
    session = tj.ws.session_file("trafficjunky")
    session.unlink()
    tj.sandbox.switches(captcha=False)

    result = cli("--workspace", tj.root, "login", "trafficjunky", "--headless", "--timeout", "5")

    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    assert tj.sandbox.password not in session.read_text()
    tj.banners(1)
    assert cli("--workspace", tj.root, "upload", "--live").exit_code == 0
    assert tj.recorded_ids() == tj.expected_ids()


def test_login_on_every_variant_saves_a_session_for_the_app_site(
    cli, tj: TJWorkspace, sandbox_variant: Sandbox, browser: Browser
):
    session = tj.ws.session_file("trafficjunky")
    session.unlink()
    sandbox_variant.switches(captcha=False)

    result = cli("--workspace", tj.root, "login", "trafficjunky", "--headless", "--timeout", "5")

    assert result.exit_code == 0, result.output
    context = browser.new_context(storage_state=str(session))  # a later headless run
    try:
        page = context.new_page()
        page.goto(f"{sandbox_variant.app_url}/media-library")
        assert page.url.startswith(sandbox_variant.app_url)
        expect(page.get_by_text("Account Balance")).to_be_visible()
        expect(page.locator("button#newImage")).to_be_visible()
        expect(page.get_by_role("heading", name="We missed you")).to_have_count(0)
    finally:
        context.close()


@pytest.mark.parametrize("form", ["shell", "redirect"])
def test_an_expired_session_stops_an_upload_with_the_login_hint(cli, tj: TJWorkspace, form: str):
    tj.banners(2)
    tj.sandbox.switches(signed_out=form, expire_sessions_now=True)

    result = cli("--workspace", tj.root, "upload", "--live")

    assert result.exit_code == ExitCode.AUTH_REQUIRED, result.output
    assert "creative-flow login trafficjunky" in result.stderr
    assert set(tj.recorded_ids().values()) == {""}
    assert tj.truth() == []


@pytest.mark.parametrize("form", ["shell", "redirect"])
def test_an_expired_session_stops_mass_create_with_the_login_hint(
    cli, sandbox: Sandbox, workspace: Path, form: str
):
    mc.prepare(sandbox, workspace, mc.seed_pairs(sandbox, 1))
    mc.add_campaign(sandbox)
    [path] = mc.write_csv(cli, workspace)
    sandbox.switches(signed_out=form, expire_sessions_now=True)

    result = mc.mass_create(cli, sandbox, workspace, "--campaign", str(mc.CAMPAIGN), "--csv",
                            path, "--live")  # fmt: skip

    assert result.exit_code == ExitCode.AUTH_REQUIRED, result.output
    assert "creative-flow login trafficjunky" in result.output
    assert mc.ads_on_platform(sandbox) == []


def test_wrong_credentials_are_reported(cli, tj: TJWorkspace, monkeypatch: pytest.MonkeyPatch):
    tj.ws.session_file("trafficjunky").unlink()
    tj.sandbox.switches(captcha=False)
    monkeypatch.setenv("TJ_PASSWORD", "not-the-password")

    result = cli("--workspace", tj.root, "login", "trafficjunky", "--headless", "--timeout", "5")

    assert result.exit_code == ExitCode.AUTH_REQUIRED
    assert "does not recognise these credentials" in result.stderr
    assert "not-the-password" not in result.output
    assert not tj.ws.session_file("trafficjunky").exists()


def test_unsolved_captcha_times_out_in_a_headed_window(cli, tj: TJWorkspace, virtual_display: str):
    tj.ws.session_file("trafficjunky").unlink()

    result = cli("--workspace", tj.root, "login", "trafficjunky", "--timeout", "2")

    assert result.exit_code == ExitCode.AUTH_REQUIRED
    assert "captcha was not solved within 2 s" in result.stderr
    assert not tj.ws.session_file("trafficjunky").exists()
    for artifact in (tj.root / "artifacts").rglob("*"):
        if artifact.is_file():
            assert tj.sandbox.password.encode() not in artifact.read_bytes()


def _all_bytes(root: Path) -> list[bytes]:
    blobs = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs.extend(archive.read(name) for name in archive.namelist())
        blobs.append(path.read_bytes())
    return blobs


def test_traced_upload_prints_the_trace_command_and_keeps_the_password_out(cli, tj: TJWorkspace):
    tj.banners(2)

    result = cli("--workspace", tj.root, "upload", "--live", "--trace")

    assert result.exit_code == 0, result.output
    assert "playwright show-trace" in result.stdout
    traces = list((tj.root / "artifacts").rglob("trace-*.zip"))
    assert traces
    secret = tj.sandbox.password.encode()
    assert all(secret not in blob for blob in _all_bytes(tj.root / "artifacts"))
    assert all(secret not in blob for blob in _all_bytes(tj.root / "records"))
    json_run = cli("--workspace", tj.root, "upload", "--live", "--json", "--trace")
    assert json.loads(json_run.stdout)[0]["counts"]["success"] == 0


def test_traced_login_records_after_sign_in_and_never_the_password(cli, tj: TJWorkspace):
    tj.ws.session_file("trafficjunky").unlink()
    tj.sandbox.switches(captcha=False)

    result = cli(
        "--workspace", tj.root, "login", "trafficjunky", "--headless", "--timeout", "5", "--trace"
    )

    assert result.exit_code == 0, result.output
    traces = list((tj.root / "artifacts").rglob("trace-trafficjunky.zip"))
    assert len(traces) == 1 and "playwright show-trace" in result.stdout
    with zipfile.ZipFile(traces[0]) as trace:
        names = trace.namelist()
        assert any(n.endswith(".trace") for n in names)
        content = b"".join(trace.read(n) for n in names)
    assert b"media-library" in content  # the session check after sign-in is in the trace
    assert tj.sandbox.password.encode() not in content
