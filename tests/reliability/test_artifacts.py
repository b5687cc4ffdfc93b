"""No session in any artifact: traced login, upload and mass-create leave private, clean files."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest

from automation.sandbox.state import SESSION_COOKIE
from tests.campaigns.test_mass_create import (
    add_campaign,
    mass_create,
    prepare,
    seed_pairs,
    write_csv,
)
from tests.upload.workspace import TJWorkspace

pytestmark = pytest.mark.browser


def _blobs(folder: Path) -> list[tuple[str, bytes]]:
    """Every artifact file, and every member of every zip among them."""
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        found.append((str(path), path.read_bytes()))
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                found += [(f"{path}:{n}", archive.read(n)) for n in archive.namelist()]
    return found


def _session_cookie(tj: TJWorkspace) -> bytes:
    """The value of the saved session's sign-in cookie (alone, a signed-in session)."""
    cookies = json.loads(tj.ws.session_file("trafficjunky").read_text())["cookies"]
    [value] = [c["value"] for c in cookies if c["name"] == SESSION_COOKIE]
    return str(value).encode()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_traced_runs_keep_no_session_and_only_the_user_can_read_them(cli, tj: TJWorkspace) -> None:
    sandbox = tj.sandbox
    tj.ws.session_file("trafficjunky").unlink()
    sandbox.switches(captcha=False)
    login = cli("--workspace", tj.root, "login", "trafficjunky", "--headless", "--trace")
    assert login.exit_code == 0, login.output
    assert _mode(tj.ws.sessions_dir) == 0o700
    assert _mode(tj.ws.session_file("trafficjunky")) == 0o600
    secrets = {_session_cookie(tj), sandbox.password.encode()}

    tj.banners(2)
    upload = cli("--workspace", tj.root, "upload", "--live", "--trace")
    assert upload.exit_code == 0, upload.output
    prepare(sandbox, tj.root, seed_pairs(sandbox, 2))
    tj.ws.session_file("trafficjunky").unlink()  # prepare saved another session: use login's
    login = cli("--workspace", tj.root, "login", "trafficjunky", "--headless", "--trace")
    secrets.add(_session_cookie(tj))
    add_campaign(sandbox)
    [path] = write_csv(cli, tj.root)
    made = mass_create(cli, sandbox, tj.root, "--campaign", "1000001", "--csv", path, "--live",
                       "--trace")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "playwright show-trace" in made.stdout

    artifacts = tj.root / "artifacts"
    traces = list(artifacts.rglob("trace-*.zip"))
    assert len(traces) == 4, traces  # two logins, one upload, one mass-create
    for name, blob in _blobs(artifacts):
        for secret in secrets:
            assert secret not in blob, f"{name} holds a session secret"
    for path in [artifacts, *artifacts.rglob("*")]:
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
