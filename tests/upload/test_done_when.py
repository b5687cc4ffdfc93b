"""The issue's finish line: a faulty platform, reruns as needed, and records equal to the truth."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.errors import ExitCode
from tests.upload.workspace import TJWorkspace

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_faulty_platform_and_reruns_end_with_exactly_the_ground_truth(cli, tj: TJWorkspace):
    existing = tj.sandbox.seed(creatives=14, tabs=["static_banner"])["creatives"][0]
    tj.named_banner(existing["name"], "ID-00D0B1E0")  # a name the platform already has
    tj.banners(14)
    tj.pairs(2)
    rejected = tj.rows[3]
    tj.sandbox.switches(
        error_rate=0.10,
        error_seed=11,
        latency_ms=200,
        reject_name=Path(rejected["new_filename"]).stem,
        expire_after_requests=60,  # one session expiry, part-way through
    )
    seeded = len(tj.truth())

    codes = []
    for _ in range(6):
        result = cli("--workspace", tj.root, "upload", "--live")
        codes.append(result.exit_code)
        if result.exit_code == ExitCode.AUTH_REQUIRED:
            assert "creative-flow login trafficjunky" in result.stderr
            tj.sandbox.write_session(tj.root)  # the person logs in again
            continue
        recorded = tj.recorded_ids()
        if all(v for k, v in recorded.items() if k != rejected["unique_id"]):
            break

    assert ExitCode.AUTH_REQUIRED in codes, "the session expiry happened"
    expected = tj.expected_ids()
    recorded = tj.recorded_ids()
    assert recorded.pop(rejected["unique_id"]) == ""
    assert expected.pop(rejected["unique_id"]) == ""
    assert recorded == expected
    assert recorded["ID-00D0B1E0"] == str(existing["id"])
    assert not tj.duplicates_in_sandbox()
    assert len(tj.truth()) == seeded + len(tj.rows) - 2  # minus the duplicate and the rejected
    messages = [
        r["error_message"] for r in tj.status_rows() if r["unique_id"] == rejected["unique_id"]
    ]
    assert any(messages)
