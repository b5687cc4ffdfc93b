"""ExoClick sandbox variants: one switch per behaviour of the API that the evidence leaves open.

The default of every switch is the most likely real API (shared/EXO-API-FACTS.md); each other
value is a form the evidence also allows. A named variant (prefixed `exo-`) changes exactly one
switch, so a test run on it reads as "when ExoClick does X, the tool still works". The switches
live in the ExoClick plug-in's own state (POST /__sandbox__/exo/switches), apart from the
TrafficJunky variants.
"""

from __future__ import annotations

from typing import Any

from automation.sandbox.variants import VariantSwitch, defaults_of, named_variants

EXO_VARIANT_SWITCHES: tuple[VariantSwitch, ...] = (
    VariantSwitch(
        "variations_at", "campaign", ("route",),
        "a campaign's variations come inside GET /campaigns/{id} (client), or at "
        "GET /campaigns/{id}/variation (weak)",
    ),
    VariantSwitch(
        "variation_file", "upload", ("library_id",),
        "a variation is created by sending its `file` (client); pointing at an existing library "
        "file with id_library_file is weak evidence",
    ),
    VariantSwitch(
        "token_expiry", "403", ("401",),
        "what an expired bearer token gets is unknown (clients log in again before expires_in "
        "runs out); 401 is a variant",
    ),
    VariantSwitch(
        "file_name", "as_uploaded", ("stem",),
        "file_name is the uploaded file's name (doc: no name field); whether it keeps the "
        "extension beside file_extension is unknown",
    ),
    VariantSwitch(
        "variation_pause", "route", ("update",),
        "a variation is paused and played at PUT /campaigns/{cid}/variation/{vid}/pause and "
        "/play, or updated with PUT /campaigns/{cid}/variation/{vid} (both weak)",
    ),
)  # fmt: skip

EXO_VARIANT_DEFAULTS: dict[str, Any] = defaults_of(EXO_VARIANT_SWITCHES)
EXO_VARIANTS: dict[str, dict[str, Any]] = named_variants(EXO_VARIANT_SWITCHES, prefix="exo-")


def exo_variant_switches(name: str) -> dict[str, Any]:
    """The switches of a named ExoClick variant; ValueError naming the known ones otherwise."""
    if name not in EXO_VARIANTS:
        known = ", ".join(EXO_VARIANTS)
        raise ValueError(f"unknown ExoClick sandbox variant {name!r}; one of {known}")
    return dict(EXO_VARIANTS[name])
