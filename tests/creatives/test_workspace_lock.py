"""One process run per workspace: a second run waits (or exits), two modes at once stay
consistent, and a run killed with -9 at any step is settled by the next one."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from creatives.runlock import process_lock
from tests.creatives.conftest import sha256
from tracking import inventory

REPO = Path(__file__).resolve().parents[2]
SOURCES = ("landscape.mp4", "noaudio.mp4", "square.mp4", "portrait.mp4")


def start_cli(workspace: Path, *args: str, kill_at: tuple[str, int] | None = None) -> Any:
    """`creative-flow --workspace W ARGS` in a process (group) of its own."""
    prefix = ["-m", "tests.creatives.kill_at", kill_at[0], str(kill_at[1])] if kill_at else [
        "-c", "import sys; from automation.cli import invoke; sys.exit(invoke(sys.argv[1:]))"
    ]  # fmt: skip
    argv = [sys.executable, *prefix, "--env-file", os.devnull, "--workspace",
            str(workspace), *args]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    return subprocess.Popen(
        argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip


def assert_records_match_files(
    workspace: Path, library: dict[str, Path], names: tuple[str, ...] = SOURCES
) -> list[dict[str, str]]:
    """Every source recorded once (one mode), every row's file there, every original intact."""
    rows = inventory.load(workspace / "records/inventory.csv")
    assert len({r["unique_id"] for r in rows}) == len(rows), "a unique_id recorded twice"
    wanted = {sha256(library[name]): name for name in names}
    by_hash = Counter(r["content_sha256"] for r in rows)
    assert set(by_hash) == set(wanted), "every source recorded, nothing else"
    for digest, count in by_hash.items():
        kinds = sorted(r["creative_type"] for r in rows if r["content_sha256"] == digest)
        assert kinds in (["native_image", "native_video"], [kinds[0]]), (wanted[digest], kinds)
        assert count == len(kinds)
    processed = sorted(p.name for p in (workspace / "processed").iterdir())
    assert processed == sorted(r["new_filename"] for r in rows), "rows and files one to one"
    originals = [p for p in (workspace / "originals").rglob("*") if p.is_file()]
    assert len(originals) == len(names)
    for row in rows:
        assert sha256(workspace / row["source_path"]) == row["content_sha256"]
    assert not [p for p in (workspace / "inbox").rglob("*") if p.is_file()]
    return rows


def test_no_wait_exits_at_once_saying_which_run_holds_the_workspace(
    cli: Any, put: Any, workspace: Path
) -> None:
    source = put("landscape.mp4")
    with process_lock(workspace, command="process --native"):
        result = cli("--workspace", workspace, "process", "--no-wait")
    assert result.exit_code == 6
    assert f"another process run holds this workspace (pid {os.getpid()}, process --native" in (
        result.stderr
    )
    assert "wait for it to finish" in result.stderr
    assert source.exists() and not (workspace / "records/inventory.csv").exists()


def test_both_modes_started_at_once_process_each_source_once(
    put: Any, workspace: Path, source_library: dict[str, Path]
) -> None:
    for name in SOURCES:
        put(name)
    put("picture.jpg")
    # Both runs start while the workspace is taken, and say so; then both race for it at once.
    with process_lock(workspace, command="process (test)"):
        runs = [
            start_cli(workspace, "process", "--native", "--jobs", "1", "--json"),
            start_cli(workspace, "process", "--jobs", "1", "--json"),
        ]
        for run in runs:
            line = run.stderr.readline()
            assert line.startswith("waiting for another process run on"), line
            assert "process (test)" in line
    outputs = [run.communicate(timeout=300) for run in runs]
    reports = [json.loads(out) for out, _ in outputs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "already recorded" not in err and "No such file" not in err
    assert not any(report["failed"] for report in reports)
    processed = [item["source"] for report in reports for item in report["processed"]]
    assert sorted(processed) == sorted(f"inbox/{n}" for n in (*SOURCES, "picture.jpg"))
    rows = assert_records_match_files(workspace, source_library, (*SOURCES, "picture.jpg"))
    # One run did all the work, in its own mode; the other found the inbox empty.
    assert sorted(len(report["processed"]) for report in reports) == [0, len(SOURCES) + 1]
    native = {r["creative_type"].startswith("native_") for r in rows}
    assert len(native) == 1, "one mode's outputs only"


# Steps a run can be killed at: converting, measuring, journalling, recording, placing, moving.
KILL_POINTS = (
    "creatives.produce.encode_native_pair",
    "creatives.produce.verify",
    "creatives.commit.atomic_write_text",
    "creatives.commit.write_rows",
    "creatives.commit.finish",
    "creatives.commit.move_source",
    "os.replace",
)


def test_kill_9_at_random_moments_then_a_rerun_records_every_source_once(
    put: Any, workspace: Path, source_library: dict[str, Path]
) -> None:
    seed = int(os.environ.get("PROCESS_KILL_SEED") or random.randrange(1 << 30))
    rng = random.Random(seed)
    for name in SOURCES:
        put(name)
    killed = []
    for _ in range(3):
        point = (rng.choice(KILL_POINTS), rng.randint(1, 4))
        run = start_cli(workspace, "process", "--native", "--jobs", "2", "--json", kill_at=point)
        run.communicate(timeout=300)
        killed.append((point, run.returncode))
    assert killed[0][1] == -signal.SIGKILL, f"seed {seed}: the first run was not killed"
    final = start_cli(workspace, "process", "--native", "--jobs", "2", "--json")
    out, err = final.communicate(timeout=300)
    context = f"seed {seed}, kills {killed}: {err}"
    assert final.returncode == 0, context
    assert not json.loads(out)["failed"], context
    rows = assert_records_match_files(workspace, source_library)
    assert all(r["creative_type"].startswith("native_") for r in rows), context
    for name in SOURCES:
        assert sha256(workspace / "originals" / name) == sha256(source_library[name]), context
