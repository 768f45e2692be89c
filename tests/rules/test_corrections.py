"""The knowledge corrections of issue 10, each with its source in the data."""

import pytest

from intake.rules import suggest
from intake.rules.knowledge import MUSCLES, SOURCES

from .helpers import by_code, pain, rank_of, reasons_text, run
from .helpers import codes as muscle_codes

INTERNAL = {"levator_ani", "coccygeus", "obturator_internus"}
GLUTEALS = ["gluteus_maximus", "gluteus_medius", "gluteus_minimus"]


def sources_of(pattern) -> set[str]:
    return {SOURCES[code].short for code in pattern.sources}


def pattern(muscle: str, region: str):
    return next(p for p in MUSCLES[muscle].patterns if region in (*p.primary, *p.spillover))


def test_gluteus_medius_refers_to_the_outside_of_the_hip():
    assert "hip" in MUSCLES["gluteus_medius"].primary_regions
    assert "Travell & Simons, vol. 2 ch. 8" in sources_of(pattern("gluteus_medius", "hip"))


def test_gluteus_medius_is_a_candidate_for_hip_pain_alone():
    found = by_code(run(pain("hip", "left")))
    assert found["gluteus_medius"].explains == ("hip",)


def test_coccygeus_is_no_candidate_for_pain_over_the_greater_trochanter():
    assert "hip" not in {r.region for r in MUSCLES["coccygeus"].referrals}
    assert "coccygeus" not in muscle_codes(run(pain("hip", "right")))


@pytest.mark.parametrize("region", ["groin", "thigh_front"])
def test_iliopsoas_groin_and_upper_front_thigh_are_primary(region):
    assert region in MUSCLES["iliopsoas"].primary_regions
    assert "Travell & Simons, vol. 2 ch. 5" in sources_of(pattern("iliopsoas", region))


def test_groin_pain_alone_ranks_iliopsoas_in_the_top_3():
    assert rank_of(run(pain("groin", "left")), "iliopsoas") <= 3


def test_quadratus_lumborum_explains_sacral_pain_through_its_deep_fibres():
    deep = pattern("quadratus_lumborum", "sacral")
    assert deep.id == "quadratus_lumborum.referral.deep"
    assert "Travell & Simons, vol. 2 ch. 4" in sources_of(deep)
    found = by_code(run(pain("sacral", "center")))
    assert found["quadratus_lumborum"].explains == ("sacral",)
    assert "deep trigger points" in reasons_text(found["quadratus_lumborum"])


def test_gluteus_minimus_describes_anterior_and_posterior_parts_under_one_code():
    patterns = {p.part: p for p in MUSCLES["gluteus_minimus"].patterns}
    assert set(patterns) == {"anterior part", "posterior part"}
    assert "thigh_side" in patterns["anterior part"].primary
    assert "thigh_back" in patterns["posterior part"].primary


@pytest.mark.parametrize("region", ["calf", "leg_side"])
def test_gluteus_minimus_lower_leg_referral_is_spillover(region):
    assert region in MUSCLES["gluteus_minimus"].spillover_regions


def test_gluteus_minimus_reasons_name_the_part_to_examine():
    found = by_code(run(pain("thigh_side", "left"), pain("thigh_back", "left")))
    text = reasons_text(found["gluteus_minimus"])
    assert "(anterior part)" in text and "(posterior part)" in text
    assert found["gluteus_minimus"].facts[:2] == (
        "gluteus_minimus.referral.anterior",
        "gluteus_minimus.referral.posterior",
    )


def test_rectus_abdominis_refers_to_the_lower_abdomen():
    assert "lower_abdomen" in MUSCLES["rectus_abdominis"].primary_regions
    assert by_code(run(pain("lower_abdomen", "center")))["rectus_abdominis"].explains == (
        "lower_abdomen",
    )


@pytest.mark.parametrize(
    "symptoms", [[], ["worse_upright"], ["worse_cough_sneeze"], ["hip_stiffness", "worse_upright"]]
)
def test_serratus_posterior_inferior_ranks_in_the_top_5_for_thoracolumbar_pain(symptoms):
    result = run(pain("thoracolumbar", "center"), symptoms=symptoms)
    assert rank_of(result, "serratus_posterior_inferior") <= 5
    assert "lowest ribs" in MUSCLES["serratus_posterior_inferior"].patterns[0].note


@pytest.mark.parametrize(
    ("muscle", "region"),
    [
        ("vastus_lateralis", "thigh_side"),
        ("rectus_femoris", "thigh_front"),
        ("vastus_intermedius", "thigh_front"),
        ("pectineus", "groin"),
        ("adductor_brevis", "groin"),
        ("abdominal_obliques", "lower_abdomen"),
        ("gastrocnemius", "calf"),
        ("fibularis_longus_brevis", "leg_side"),
        ("iliocostalis_thoracis", "thoracolumbar"),
    ],
)
def test_missing_muscles_are_suggested_for_their_regions(muscle, region):
    side = "center" if region in {"lower_abdomen", "thoracolumbar"} else "left"
    found = by_code(run(pain(region, side)))
    assert found[muscle].explains == (region,)
    assert found[muscle].sources


@pytest.mark.parametrize("side", ["center", "left", "both"])
@pytest.mark.parametrize("weeks", [None, 4, 30])
def test_pelvic_floor_muscles_never_outrank_the_gluteal_muscles_in_plain_low_back_pain(side, weeks):
    result = run(pain("low_back", side), duration_weeks=weeks)
    ranks = {s.muscle: s.rank for s in result.suggestions}
    assert max(ranks[g] for g in GLUTEALS) < min(ranks[m] for m in INTERNAL if m in ranks)


@pytest.mark.parametrize(
    "pains",
    [
        [pain("coccyx", "center")],
        [pain("sacral", "center", 9), pain("coccyx", "center", 9)],
        [pain("thigh_back", "left")],
    ],
)
def test_internal_only_muscles_come_after_the_muscles_the_therapist_can_treat(pains):
    ranked = run(*pains).suggestions
    internal = [s.muscle in INTERNAL for s in ranked]
    assert internal == sorted(internal)
    assert any(internal)
    assert any(note.id == "note.internal_last" for note in run(*pains).notes)


def test_the_founding_article_is_cited_only_for_the_five_muscles_it_names_in_any_result():
    result = suggest(
        {
            "pain": [pain("low_back", "center"), pain("groin", "left")],
            "symptoms": ["hip_stiffness", "worse_sitting", "worse_upright"],
            "duration_weeks": 30,
        }
    )
    for suggestion in result.suggestions:
        cites_article = any("founding article" in s for s in suggestion.sources)
        assert cites_article == MUSCLES[suggestion.muscle].founding_article, suggestion.muscle


def test_the_overlap_sentence_is_no_longer_repeated_on_every_muscle():
    result = run(pain("low_back", "left"), pain("buttock", "left"))
    texts = [reasons_text(s) for s in result.suggestions]
    assert not any("the overlap the founding article" in text for text in texts)
    assert sum("combined approach" in text for text in texts) == len(
        [s for s in result.suggestions if s.group == "approach"]
    )
