"""The control API and failure switches: what tests and benchmarks rely on."""

from __future__ import annotations

import ast
import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from automation.sandbox.server import SandboxServer
from tests.fixtures.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, trust_env=False) as http:
        yield http


def statuses(client: httpx.Client, path: str, n: int) -> list[int]:
    return [client.get(path).status_code for _ in range(n)]


def test_the_error_rate_is_repeatable_for_a_seed_and_spares_other_routes(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    sandbox.switches(error_rate=0.5, error_seed=7, error_routes=["/media-library"])
    first = statuses(client, "/media-library", 20)
    assert set(first) == {200, 500}
    sandbox.switches(error_seed=7)
    assert statuses(client, "/media-library", 20) == first
    assert statuses(client, "/campaigns", 5) == [200] * 5
    assert client.get("/__sandbox__/truth").status_code == 200


def test_without_chosen_routes_errors_hit_pages_but_not_static_assets(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    sandbox.switches(error_rate=1.0)
    assert client.get("/campaigns").status_code == 500
    assert httpx.get(sandbox.signin_url, trust_env=False).status_code == 500
    assert client.get("/assets/sandbox.css").status_code == 200
    sandbox.switches(error_routes=["/assets/"])
    assert client.get("/assets/sandbox.css").status_code == 500


def test_latency_slows_pages_but_not_the_control_api(
    sandbox: Sandbox, client: httpx.Client
) -> None:
    sandbox.switches(latency_ms=300)
    started = time.monotonic()
    client.get("/__sandbox__/truth")
    control_s = time.monotonic() - started
    started = time.monotonic()
    client.get("/campaigns")
    page_s = time.monotonic() - started
    assert page_s >= 0.3 > control_s


def test_seeded_ids_have_ten_digits_and_grow_by_ten(sandbox: Sandbox) -> None:
    made = sandbox.seed(5, tabs=["static_banner", "native_static"])["creatives"]
    ids = [c["id"] for c in made]
    assert all(len(str(i)) == 10 for i in ids)
    assert [b - a for a, b in itertools.pairwise(ids)] == [10] * 4
    assert [c["upload_order"] for c in made] == [1, 2, 3, 4, 5]
    assert {c["status"] for c in made} == {"pending"}


def test_review_statuses_move_and_auto_approve(sandbox: Sandbox) -> None:
    first, second = (c["id"] for c in sandbox.seed(2)["creatives"])
    sandbox.review([first], "rejected")
    statuses = {c["id"]: c["status"] for c in sandbox.truth()["creatives"]}
    assert statuses == {first: "rejected", second: "pending"}
    sandbox.control("review", {"auto_approve_after_s": 0})
    statuses = {c["id"]: c["status"] for c in sandbox.truth()["creatives"]}
    assert statuses == {first: "rejected", second: "approved"}


def test_reset_empties_everything_and_restores_switches(sandbox: Sandbox) -> None:
    sandbox.seed(3, campaigns=[{"name": "C", "content_category": "gay"}])
    sandbox.switches(captcha=False, latency_ms=5)
    sandbox.control("reset", {})
    truth = sandbox.truth()
    assert truth["creatives"] == [] and truth["campaigns"] == []
    assert truth["switches"]["captcha"] is True and truth["switches"]["latency_ms"] == 0


def test_unknown_switches_are_refused(sandbox: Sandbox, client: httpx.Client) -> None:
    answer = client.post("/__sandbox__/switches", json={"latencyy_ms": 5})
    assert answer.status_code == 400
    assert "latencyy_ms" in answer.json()["error"]


def test_the_session_cookie_opens_the_app(sandbox: Sandbox, client: httpx.Client) -> None:
    cookie = sandbox.session_cookie()
    assert cookie["domain"] == "127.0.0.1"
    client.cookies.set(cookie["name"], cookie["value"])
    assert "We missed you" not in client.get("/media-library").text


def test_write_session_saves_a_private_storage_state(sandbox: Sandbox, workspace: Path) -> None:
    path = sandbox.write_session(workspace)
    assert path == workspace / "sessions" / "trafficjunky.json"
    assert path.stat().st_mode & 0o777 == 0o600
    settings = sandbox.settings(workspace)
    assert settings.tj_signin_url == sandbox.signin_url
    assert settings.tj_app_url == sandbox.url
    assert not settings.tj_signin_url.startswith(sandbox.url + "/")  # a site of its own
    assert settings.tj_password.reveal() == "demo-pass-123"


def test_the_server_listens_on_loopback_only_and_keeps_a_file_state(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.sqlite3"
    with SandboxServer(db_path=db, seed=4) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert (
            len(httpx.get(f"{server.url}/__sandbox__/truth", trust_env=False).json()["creatives"])
            == 4
        )
    with SandboxServer(db_path=db, seed=4) as again:  # the file keeps the library
        assert len(again.state.truth()["creatives"]) == 4


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_in_creatives_tracking_or_the_uploaders_imports_the_sandbox() -> None:
    folders = [ROOT / "creatives", ROOT / "tracking", ROOT / "automation" / "uploaders"]
    files = [f for folder in folders for f in folder.rglob("*.py")]
    assert len(files) > 5
    offenders = [
        str(f.relative_to(ROOT))
        for f in files
        if any(name.startswith("automation.sandbox") for name in _imports(f))
    ]
    assert offenders == []
