"""`creative-flow sandbox serve`: prints where it runs and serves until interrupted."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.fixtures.env import default_sigint

ENTRY = [sys.executable, "-c", "from automation.cli import run; run()"]
ROOT = Path(__file__).resolve().parents[2]  # the code under test, whatever the venv installed


def test_serve_prints_the_urls_and_the_account_then_stops_on_ctrl_c(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [*ENTRY, "sandbox", "serve", "--port", "0", "--seed", "7", "--no-captcha"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT)},
        preexec_fn=default_sigint,
    )
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:  # the banner ends with the Ctrl-C hint, once the server listens
        lines.append(line.rstrip())
        if line.startswith("Press Ctrl-C"):
            break
    banner = "\n".join(lines)
    app_url = next(line.split("=", 1)[1] for line in lines if "TJ_APP_URL=" in line)
    signin_url = next(line.split("=", 1)[1] for line in lines if "TJ_SIGNIN_URL=" in line)
    assert signin_url.startswith("http://127.0.0.1:") and signin_url.endswith("/sign-in")
    assert not signin_url.startswith(app_url + "/")  # the sign-in site has a port of its own
    assert "Demo account: demo / demo-pass-123" in banner
    try:
        truth = httpx.get(f"{app_url}/__sandbox__/truth", trust_env=False).json()
        assert len(truth["creatives"]) == 7
        assert truth["switches"]["captcha"] is False
        signin = httpx.get(signin_url, trust_env=False).text
        assert "submitBtn" in signin and "captchaCheckbox" not in signin
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "sandbox stopped" in out


def test_the_sign_in_site_listens_on_the_port_after_the_apps(cli: Any) -> None:
    with socket.socket() as probe:  # a free pair of ports, most likely
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    from automation.sandbox.server import SandboxServer

    with SandboxServer(port=port) as server:
        assert server.url == f"http://127.0.0.1:{port}"
        assert server.signin_url == f"http://127.0.0.1:{port + 1}/sign-in"


def test_a_port_in_use_is_one_clear_error(cli: Any) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("sandbox", "serve", "--port", str(port))
    assert result.exit_code != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "choose another --port" in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_variant_is_one_line_naming_the_known_ones(cli: Any) -> None:
    result = cli("sandbox", "serve", "--port", "0", "--variant", "tabs-by-magic")
    assert result.exit_code == 2
    assert "unknown --variant 'tabs-by-magic'" in result.stderr
    assert "tab-navigation-full-load" in result.stderr and "exo-token-expiry-401" in result.stderr


@pytest.mark.parametrize(
    ("variant", "switch", "value"),
    [("tab-navigation-full-load", "tab_navigation", "full_load"),
     ("exo-token-expiry-401", "token_expiry", "401")],
)  # fmt: skip
def test_serve_starts_the_variant_it_is_given(
    monkeypatch: pytest.MonkeyPatch, variant: str, switch: str, value: str
) -> None:
    from automation.commands import sandbox as command
    from automation.sandbox.exo_api import store_for
    from automation.sandbox.server import SandboxServer

    seen: list[Any] = []

    class Recorded(SandboxServer):
        def start(self) -> SandboxServer:
            # What the server would serve, read just before it would listen.
            exo = store_for(self.state)
            seen.append(self.state.switches().get(switch, exo.switch(switch, None)))
            raise OSError(98, "stop here")

    monkeypatch.setattr("automation.sandbox.server.SandboxServer", Recorded)
    with pytest.raises(Exception, match="cannot listen"):
        command.serve(port=0, seed=0, captcha=True, db=None, log_requests=False, variant=variant)
    assert seen == [value]
