"""The naming convention: names built, parsed back, shortened, and IDs that never collide."""

from __future__ import annotations

import hashlib
import re
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


# Real-shaped names: the convention's fields as ad-ops people fill them, natives and singles,
# with and without test IDs, around and over the platform's 64 characters.
REAL_SHAPED_NAMES = [
    "VID_EN_Gay_M_Real_NSFW_StandingDoggy_Seras_4sec_ID-67DE197E-VID.mp4",
    "IMG_EN_Gay_M_Real_NSFW_StandingDoggy_Seras_ID-67DE197E-IMG.png",
    "VID_EN_Trans_T_Real_NSFW_Generic_Seras_4sec_ID-69EBF6E9-VID.mp4",
    "VID_EN_Straight_MF_Real_NSFW_Bedroom-Morning-Routine-Extended_Seras_4sec_ID-0A1B2C3D-VID.mp4",
    "IMG_EN_Straight_MF_Real_NSFW_Bedroom-Morning-Routine-Extended_Seras_ID-0A1B2C3D-IMG.png",
    "VID_DE_BigTits_F_Anime_NSFW_Generic_StudioHentaiCollective_4sec_T-AB12_ID-11223344-VID.mp4",
    "EN_Milf_F_Real_NSFW_Kitchen-Counter-Surprise_CreatorWithALongName_15sec_ID-55667788.mp4",
    "EN_Teen_MFT_Both_NSFW_Generic_Bob_12sec_ID-0C0C0C0C.mp4",
    "ES_Latina_F_Real_NSFW_Poolside-Sunset-Slow-Motion-Cut_Marisol-Studios_22sec_ID-9ABCDEF0.mp4",
    "VID_FR_Asian_F_Anime_SFW_Cherry-Blossom-Walk_Kaori_4sec_ID-1234ABCD-VID.mp4",
    "IMG_FR_Asian_F_Anime_SFW_Cherry-Blossom-Walk_Kaori_ID-1234ABCD-IMG.png",
    "VID_EN_Femboy_M_Real_NSFW_Mirror-Selfie-Dance-Challenge-Part-Two_Jayden_4sec_ID-FEDCBA98-VID.mp4",
    "VID_EN_Ahegao_F_Anime_NSFW_Generic_UNK_4sec_T-Q4-Headline-Test_ID-AAAABBBB-VID.mp4",
    "EN_Cuckold_MFT_Real_NSFW_Hotel-Room-Confession-Director-Cut_NightOwlProductions_30sec_ID-CAFEBABE.mp4",
    "VID_EN_Office_MF_Real_NSFW_Generic_Seras_4sec_ID-DC3C8689-VID.mp4",
    "VID_IT_Threesome_MFT_Both_NSFW_Beach-House-Weekend_Giulia-and-Marco_4sec_ID-2F60ABE3-VID.mp4",
    "EN_POV_M_Real_NSFW_Generic_Seras_18sec_T-7_ID-A9C081CD.mp4",
    "VID_PT_Blonde_F_Real_NSFW_Generic_Generic_4sec_ID-C037D21D-VID.mp4",
    "IMG_EN_Demon_F_Anime_NSFW_Horns-and-Tail-Cosplay-Convention-Special_Lilith-Art_ID-E6545B6A-IMG.png",
    "EN_Femdom_F_Real_NSFW_Leather-Studio-Session-Uncut-Version_MistressKay-Official_25sec_ID-2A9A702F.mp4",
]
_ID_TAIL = re.compile(r"_ID-[0-9A-F]{8}(?:-VID|-IMG)?$")


def _words(text: str) -> set[str]:
    return set(re.split(r"[_-]", text))


@pytest.mark.parametrize("name", REAL_SHAPED_NAMES)
def test_real_shaped_names_fit_64_characters_by_whole_words(name: str) -> None:
    stem = name.rsplit(".", 1)[0]
    short = ad_name(name)
    assert len(short) <= 64
    tail = _ID_TAIL.search(stem)
    assert tail is not None and short.endswith(tail[0])  # the join key is always whole
    if len(stem) <= 64:
        assert short == stem
        return
    assert _words(short) <= _words(stem)  # no word cut in half, nothing invented
    head = short[: -len(tail[0])]
    # Fillers go first, then the duration: a meaningful field is dropped only after them.
    fillers_gone = "_".join(t for t in stem[: -len(tail[0])].split("_")[1:]
                            if t not in ("Generic", "Real", "NSFW"))  # fmt: skip
    first = stem.split("_")[0]
    if len(first) + 1 + len(fillers_gone) + len(tail[0]) <= 64:
        assert head == f"{first}_{fillers_gone}"
    else:
        assert not set(head.split("_")) & {"Generic", "Real", "NSFW"}
        assert not re.search(r"_\d+sec(_|$)", head)


def test_twenty_real_shaped_names_are_tested() -> None:
    assert len(set(REAL_SHAPED_NAMES)) == 20
    assert sum(len(n.rsplit(".", 1)[0]) > 64 for n in REAL_SHAPED_NAMES) >= 10
