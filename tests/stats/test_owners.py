"""Which of our creatives an ad shows: only a creative id proven in the inventory maps."""

from __future__ import annotations

from pathlib import Path

from automation.adstats.owners import load_owners
from tracking import inventory
from tracking.workspace import Workspace


def test_a_creative_id_names_only_the_first_creative_it_is_recorded_for(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    workspace.records.mkdir()
    inventory.append(workspace.inventory_csv, [
        {"unique_id": "ID-0000000A", "tj_creative_id": "1000000001"},
        {"unique_id": "ID-0000000B", "tj_creative_id": ""},
        {"unique_id": "ID-0000000C", "tj_creative_id": "1000000001"},  # a copied id
        {"unique_id": "ID-0000000D", "tj_creative_id": "1000000004"},
    ])  # fmt: skip
    owners = load_owners(workspace, "trafficjunky")
    assert owners.owner("1000000001") == "ID-0000000A"
    assert owners.owner("1000000004") == "ID-0000000D"
    assert owners.owner("1000000009") is None  # an ad that is not ours stays unmapped
    assert [owners.creative_of(u) for u in ("ID-0000000A", "ID-0000000B", "ID-0000000C",
            "ID-0000000D", "ID-DEADBEEF")] == ["1000000001", "", "", "1000000004", ""]  # fmt: skip
    assert owners.shown_creative("1000000009", "ID-0000000D") == "1000000004"
    assert owners.shown_creative("1000000001", "ID-0000000D") == "1000000001"
