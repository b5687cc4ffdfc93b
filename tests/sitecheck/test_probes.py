"""Which selectors a site check probes, and what it matches a missing one's neighbours on."""

from __future__ import annotations

from automation.uploaders.site_check import Probe, ProbeStatus
from automation.uploaders.trafficjunky import selectors as sel
from automation.uploaders.trafficjunky.site_probes import (
    Visit,
    excuse_empty_tabs,
    selector_entries,
    selector_tokens,
)


def test_dict_selectors_are_probed_key_by_key_and_seen_on_decides_where():
    entries = {e.name: e for e in selector_entries(sel)}

    for key in sel.TAB_LINKS:
        assert entries[f"TAB_LINKS[{key}]"].kinds == sel.SEEN_ON["TAB_LINKS"]
    assert all(e.kinds == () for n, e in entries.items() if n.split("[")[0] not in sel.SEEN_ON)
    assert "SEEN_ON" not in entries and "OPTIONAL" not in entries


def test_a_selectors_words_are_what_nearby_elements_are_matched_on():
    assert selector_tokens("label.creativeName") == ["creative"]
    assert selector_tokens('input#native_static, input[name="native_type"][value="0"]') == [
        "native",
        "static",
    ]


def test_card_markup_missing_on_an_empty_tab_is_not_a_change_of_the_site():
    visits = [
        Visit("library static_banner", frozenset({"library"}), creatives=5),
        Visit("library video_banner", frozenset({"library"}), creatives=0),
    ]
    probes = [
        Probe("CARD", "library static_banner", ProbeStatus.FOUND, "5 found"),
        Probe("CARD", "library video_banner", ProbeStatus.MISSING, "0 found"),
        Probe("UPLOAD_BUTTON", "library video_banner", ProbeStatus.MISSING, "0 found"),
    ]

    excused = {(p.name, p.where): p.status for p in excuse_empty_tabs(probes, visits)}

    assert excused[("CARD", "library video_banner")] is ProbeStatus.NOT_TRIED
    # Judged nowhere else: it stays missing.
    assert excused[("UPLOAD_BUTTON", "library video_banner")] is ProbeStatus.MISSING
