"""A workspace wired to the sandbox: saved session and the platform URLs in the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.sandbox import Sandbox
from tests.upload.workspace import TJWorkspace


@pytest.fixture
def tj(sandbox: Sandbox, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> TJWorkspace:
    """A logged-in workspace pointed at the sandbox, with an empty inventory."""
    sandbox.write_session(workspace)
    made = TJWorkspace(workspace, sandbox)
    made.ws.ensure()
    for key, value in made.env().items():
        monkeypatch.setenv(key, value)
    return made
