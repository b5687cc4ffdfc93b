"""`make setup` is quiet: pip and setuptools say nothing unless the install fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOISY_PYTHON = """#!/bin/sh
case "$*" in
  *--version*) echo "Python 3.11.2" ;;
  *"pip install"*)
    i=0
    while [ $i -lt 40 ]; do echo "WARNING: setuptools says something $i" >&2; i=$((i+1)); done
    exit "${STUB_PIP_RC:-0}" ;;
esac
exit 0
"""


def _tool(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    path.chmod(0o755)
    return path


def run_bootstrap(tmp_path: Path, pip_rc: int) -> subprocess.CompletedProcess[str]:
    """bootstrap.sh in a copy of the project, with a pip that talks a lot and fake tools."""
    project, stubs = tmp_path / "project", tmp_path / "bin"
    (project / "scripts").mkdir(parents=True)
    (project / ".venv" / "bin").mkdir(parents=True)
    stubs.mkdir()
    shutil.copy(ROOT / "scripts" / "bootstrap.sh", project / "scripts")
    shutil.copy(ROOT / "pyproject.toml", project)
    python = _tool(project / ".venv" / "bin", "python", NOISY_PYTHON)
    _tool(stubs, "ffmpeg", "#!/bin/sh\necho 'ffmpeg version 6.0 Copyright'\n")
    _tool(stubs, "ffprobe", "#!/bin/sh\nexit 0\n")
    _tool(stubs, "Xvfb", "#!/bin/sh\nexit 0\n")
    _tool(stubs, "redis-server", "#!/bin/sh\nexit 0\n")
    chromium = _tool(stubs, "chromium-stub", "#!/bin/sh\nexit 0\n")
    env = {
        **os.environ,
        "PATH": f"{stubs}:{os.environ['PATH']}",
        "PYTHON": str(python),
        "CREATIVE_FLOW_CHROMIUM": str(chromium),
        "STUB_PIP_RC": str(pip_rc),
    }
    return subprocess.run(
        ["bash", "scripts/bootstrap.sh"], cwd=project, env=env, capture_output=True, text=True
    )


@pytest.mark.skipif(shutil.which("bash") is None, reason="bootstrap.sh is a bash script")
def test_a_good_install_prints_only_what_was_found(tmp_path: Path) -> None:
    done = run_bootstrap(tmp_path, pip_rc=0)
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "WARNING" not in output
    # A title, then one line per thing found: python, project, ffmpeg, chromium, xvfb, redis.
    assert len(output.splitlines()) <= 7, output


@pytest.mark.skipif(shutil.which("bash") is None, reason="bootstrap.sh is a bash script")
def test_a_failed_install_shows_pip_s_output(tmp_path: Path) -> None:
    done = run_bootstrap(tmp_path, pip_rc=1)
    assert done.returncode == 1
    assert "WARNING: setuptools says something 39" in done.stderr
    assert "installing the project failed" in done.stderr


def test_the_license_is_an_spdx_expression() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert isinstance(project["license"], str), "a license table makes setuptools warn"
