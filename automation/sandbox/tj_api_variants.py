"""TrafficJunky API variants: one switch per behaviour of its API that the evidence leaves open.

The default of every switch is the most likely real API (shared/TJ-SITE-FACTS.md section 6 and
the clients that used it); each other value is a form the evidence also shows. A named variant
(prefixed `tj-api-`) changes exactly one switch; the switches live in the sandbox's own
switches (POST /__sandbox__/switches) beside the web UI's.
"""

from __future__ import annotations

from typing import Any

from automation.sandbox.variants import VariantSwitch, defaults_of, named_variants

TJ_API_VARIANT_SWITCHES: tuple[VariantSwitch, ...] = (
    VariantSwitch(
        "tj_api_offset_base", 0, (1,),
        "paging is limit + offset; a client pages from offset=0, another user's notes say the "
        "offset defaults to 1 and their test call sent offset=1 (conflict)",
    ),
    VariantSwitch(
        "tj_api_stats_shape", "keyed", ("list",),
        "per-ad stats come as an object keyed by ad id (a client reads Object.entries); the "
        "campaign stats of the same API come as a list or keyed by id (conflict)",
    ),
)  # fmt: skip

TJ_API_VARIANT_DEFAULTS: dict[str, Any] = defaults_of(TJ_API_VARIANT_SWITCHES)
TJ_API_VARIANTS: dict[str, dict[str, Any]] = named_variants(TJ_API_VARIANT_SWITCHES)
