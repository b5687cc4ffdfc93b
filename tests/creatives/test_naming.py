"""The naming convention: names built, parsed back, shortened, and IDs that never collide."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

import pytest

from creatives.metadata import resolve
from creatives.naming import (
    NameFields,
    NameKind,
    ad_name,
    build_name,
    content_id,
    pair_id,
    parse_name,
    sanitise,
    unique_id,
)

FULL = NameFields(
    language="EN", category="Cosplay", model_sex="F", style="Solo", rating="SFW",
    description="Beach-Day", creator="Anna", test_id="A1",
)  # fmt: skip


def test_native_pair_names_share_the_id_and_carry_their_tags() -> None:
    video = build_name(FULL, "abcdef12", "mp4", kind=NameKind.NATIVE_VIDEO, seconds=4)
    image = build_name(FULL, "abcdef12", "png", kind=NameKind.NATIVE_IMAGE, seconds=4)
    assert video == "VID_EN_Cosplay_F_Solo_SFW_Beach-Day_Anna_4sec_T-A1_ID-ABCDEF12-VID.mp4"
    assert image == "IMG_EN_Cosplay_F_Solo_SFW_Beach-Day_Anna_T-A1_ID-ABCDEF12-IMG.png"
    assert unique_id("abcdef12", NameKind.NATIVE_VIDEO) == "ID-ABCDEF12-VID"
    assert unique_id("abcdef12") == "ID-ABCDEF12"
    assert pair_id("abcdef12") == "ID-ABCDEF12"


@pytest.mark.parametrize("kind", list(NameKind))
@pytest.mark.parametrize("fields", [FULL, NameFields(language="DE"), NameFields()])
def test_names_round_trip(kind: NameKind, fields: NameFields) -> None:
    seconds = None if kind is NameKind.NATIVE_IMAGE else 7
    name = build_name(fields, "0123ABCD", "png", kind=kind, seconds=seconds)
    parsed = parse_name(name)
    assert parsed is not None, name
    assert parsed.kind is kind
    assert parsed.id8 == "0123ABCD"
    assert parsed.seconds == seconds
    assert parsed.ext == "png"
    assert parsed.fields == fields
    assert build_name(parsed.fields, parsed.id8, parsed.ext, kind=kind, seconds=seconds) == name


def test_unknown_fields_are_written_unk() -> None:
    name = build_name(NameFields(category="Gym"), "0123ABCD", "mp4", seconds=12)
    assert name == "UNK_Gym_UNK_UNK_UNK_UNK_UNK_12sec_ID-0123ABCD.mp4"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Beach Day", "Beach-Day"),
        ("beach_day", "beach-day"),
        ("Café  Noir!", "Cafe-Noir"),
        ("a/b.c", "a-b-c"),
        ("--x--", "x"),
        ("???", ""),
        ("unk", ""),
    ],
)
def test_fields_keep_only_letters_digits_and_dashes(raw: str, clean: str) -> None:
    assert sanitise(raw) == clean


def test_a_field_with_underscores_cannot_break_the_name_apart() -> None:
    name = build_name(NameFields(category="big_sale now"), "0123ABCD", "mp4")
    parsed = parse_name(name)
    assert parsed is not None and parsed.fields.category == "big-sale-now"


@pytest.mark.parametrize(
    "name",
    ["holiday_video_from_the_beach_in_july.mp4", "IMG_1234.png", "clip.mp4", "EN_only_three.mp4"],
)
def test_ordinary_file_names_are_not_taken_for_structured_ones(name: str) -> None:
    assert parse_name(name) is None


def test_a_structured_source_name_without_id_is_read() -> None:
    parsed = parse_name("EN_Cosplay_F_Solo_UNK_Dance_Anna.mov")
    assert parsed is not None
    assert parsed.fields == NameFields("EN", "Cosplay", "F", "Solo", "", "Dance", "Anna")
    assert parsed.id8 == ""


def test_content_id_takes_the_next_eight_digits_on_collision() -> None:
    digest = hashlib.sha256(b"one").hexdigest()
    other = "f" * 64
    assert content_id(digest) == digest[:8].upper()
    assert content_id(digest, {digest[:8].upper(): digest}) == digest[:8].upper()
    taken = {digest[:8].upper(): other}
    assert content_id(digest, taken) == digest[8:16].upper()
    taken[digest[8:16].upper()] = other
    assert content_id(digest, taken) == digest[16:24].upper()


def test_ad_names_fit_64_characters_and_keep_the_id_suffix() -> None:
    long = NameFields(
        language="EN", category="Extremely-Long-Category-Name", creator="Someone-With-A-Long-Name",
        description="A-Description-That-Goes-On",
    )  # fmt: skip
    name = build_name(long, "0123ABCD", "mp4", kind=NameKind.NATIVE_VIDEO, seconds=4)
    short = ad_name(name)
    assert len(name) > 64
    assert len(short) <= 64
    assert short.startswith("VID_EN_Extremely")
    assert short.endswith("_ID-0123ABCD-VID")
    with_test = build_name(
        long.merged(NameFields(test_id="T7")), "0123ABCD", "png", kind=NameKind.NATIVE_IMAGE
    )
    assert ad_name(with_test).endswith("_T-T7_ID-0123ABCD-IMG")
    assert ad_name("VID_EN_x_ID-0123ABCD-VID.mp4") == "VID_EN_x_ID-0123ABCD-VID"


def test_metadata_comes_from_name_then_folder_defaults_then_options_then_folder() -> None:
    relative = PurePosixPath("Fitness/EN_UNK_F_UNK_UNK_Run_UNK.mp4")
    defaults = NameFields(category="FromDefaults", style="Duo")
    options = NameFields(category="FromOptions", creator="Opt", language="DE")
    resolved = resolve(relative, defaults, options).fields
    assert resolved.language == "EN"  # the structured name wins
    assert resolved.model_sex == "F"
    assert resolved.category == "FromDefaults"  # then folder defaults
    assert resolved.style == "Duo"
    assert resolved.creator == "Opt"  # then options
    assert resolve(relative).fields.category == "Fitness"  # then the folder name


def test_what_stays_unknown_is_noted_and_defaults_apply() -> None:
    resolved = resolve(PurePosixPath("native/clip.mp4"))
    assert resolved.fields.model_sex == "MFT"
    assert resolved.fields.style == "Both"
    assert resolved.fields.description == "Generic"
    assert resolved.notes == ["unknown: language, category, rating, creator (named UNK)"]
