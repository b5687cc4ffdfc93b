"""The ExoClick side of the sandbox, for the tests of this package."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask
import httpx
import pytest
from werkzeug.serving import make_server

from automation.sandbox import app as sandbox_app
from automation.sandbox import exo_api
from automation.sandbox.state import SandboxState
from automation.settings import Secret, Settings


@dataclass
class ExoSandbox:
    """The sandbox's ExoClick API: its URL, ground truth, switches and controls."""

    url: str
    state: SandboxState

    @property
    def api_url(self) -> str:
        return self.url + exo_api.URL_PREFIX

    def control(self, path: str, body: dict[str, Any] | None = None) -> Any:
        response = httpx.post(f"{self.url}{exo_api.CONTROL_PREFIX}/{path}", json=body or {})
        response.raise_for_status()
        return response.json()

    def truth(self) -> dict[str, Any]:
        return httpx.get(f"{self.url}{exo_api.CONTROL_PREFIX}/truth").json()

    def switches(self, **changes: Any) -> None:
        """The sandbox's own failure switches (latency, 500 rate on route prefixes)."""
        self.state.set_switches(**changes)

    def requests(self, method: str | None = None, path: str = "") -> list[dict[str, Any]]:
        """The API requests the sandbox answered (optionally one method and path prefix)."""
        return [
            r
            for r in self.truth()["requests"]
            if (method is None or r["method"] == method) and r["path"].startswith(path)
        ]

    def settings(self, workspace: Path, **overrides: Any) -> Settings:
        return Settings(
            workspace=workspace,
            exo_api_url=self.api_url,
            exo_api_token=Secret(exo_api.DEMO_API_TOKEN),
            timeout_ms=10_000,
        ).with_overrides(**overrides)


@pytest.fixture(scope="session")
def _exo_server() -> Iterator[tuple[str, SandboxState]]:
    state = SandboxState()
    app = flask.Flask("exo-sandbox-test")
    app.config["SANDBOX_STATE"] = state
    app.register_blueprint(exo_api.blueprint)
    state.on_reset("exo_api", exo_api.reset)
    app.before_request(sandbox_app._apply_switches)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", state
    server.shutdown()
    state.close()


@pytest.fixture
def exo(_exo_server: tuple[str, SandboxState]) -> ExoSandbox:
    """The ExoClick sandbox, reset for this test."""
    url, state = _exo_server
    state.reset()
    return ExoSandbox(url, state)
