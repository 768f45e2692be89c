"""The 13 behaviours of rules-contract.md, each with its own named tests."""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intake.rules import codes, engine, load_knowledge, suggest
from intake.rules.knowledge import MUSCLES, read_data

from .helpers import by_code, pain, rank_of, reasons_text, run
from .helpers import codes as muscle_codes

ROOT = Path(__file__).resolve().parents[2]

BELT_LINE_MUSCLES = {m.code for m in MUSCLES.values() if m.zones & {"low_back", "gluteal"}}
HIP_MOVERS = {m.code for m in MUSCLES.values() if m.moves_hip is not None}


def refers_to(region: str) -> set[str]:
    return {m.code for m in MUSCLES.values() if region in m.primary_regions + m.spillover_regions}


# 1. Belt-line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "side"), [("thoracolumbar", "center"), ("low_back", "left"), ("low_back", "center")]
)
def test_behaviour_01_belt_line_at_or_above_is_low_back(region, side):
    result = run(pain(region, side))
    assert result.zones == ("low_back",)
    assert result.combined_approach


@pytest.mark.parametrize(
    ("region", "side"),
    [("buttock", "left"), ("sacroiliac", "right"), ("sacral", "center"), ("coccyx", "center")],
)
def test_behaviour_01_belt_line_below_is_gluteal(region, side):
    result = run(pain(region, side))
    assert result.zones == ("gluteal",)
    assert result.combined_approach


def test_behaviour_01_belt_line_zones_come_back_sorted():
    result = run(pain("hip", "left"), pain("buttock", "left"), pain("low_back", "center"))
    assert result.zones == ("gluteal", "hip", "low_back")


# 2. Combined approach --------------------------------------------------------


@pytest.mark.parametrize(
    "marked", [pain("low_back", "center"), pain("buttock", "right"), pain("coccyx", "center")]
)
def test_behaviour_02_combined_approach_brings_in_every_muscle_of_both_zones(marked):
    result = run(marked)
    assert set(muscle_codes(result)) == BELT_LINE_MUSCLES | refers_to(marked["region"])


def test_behaviour_02_combined_approach_brings_gluteal_muscles_into_low_back_pain():
    found = by_code(run(pain("low_back", "center")))
    assert found["gluteus_maximus"].explains == ()
    assert "one disorder" in reasons_text(found["gluteus_maximus"])


@pytest.mark.parametrize(
    "pains",
    [
        [pain("low_back", "center")],
        [pain("sacral", "center")],
        [pain("buttock", "left", 2), pain("groin", "left", 9)],
        [pain("thoracolumbar", "center", 1)],
    ],
)
def test_behaviour_02_combined_approach_marked_regions_rank_above_brought_in(pains):
    # Version 2: among the muscles the therapist can treat; those reached only
    # internally (the pelvic floor) come after all of them.
    ranked = [s for s in run(*pains).suggestions if MUSCLES[s.muscle].internal_only is None]
    explaining = [s.rank for s in ranked if s.explains]
    brought_in = [s.rank for s in ranked if not s.explains]
    assert explaining and brought_in
    assert max(explaining) < min(brought_in)
    assert min(s.score for s in ranked if s.explains) > max(
        s.score for s in ranked if not s.explains
    )


# 3. Coverage -----------------------------------------------------------------


def test_behaviour_03_coverage_more_regions_rank_higher():
    result = run(pain("low_back", "left"), pain("buttock", "left"))
    # Iliocostalis explains both regions, gluteus maximus (an article muscle) one.
    assert rank_of(result, "iliocostalis_lumborum") < rank_of(result, "gluteus_maximus")


def test_behaviour_03_coverage_more_zones_rank_higher():
    result = run(pain("low_back", "left"), pain("buttock", "left"), pain("sacral", "center"))
    found = by_code(result)
    # Both explain two regions equally weighted; iliocostalis's span two zones.
    assert found["gluteus_maximus"].explains == ("buttock", "sacral")
    assert found["iliocostalis_lumborum"].explains == ("buttock", "low_back")
    assert found["iliocostalis_lumborum"].score > found["gluteus_maximus"].score


@pytest.mark.parametrize(
    ("buttock", "low_back", "higher", "lower"),
    [(9, 2, "gluteus_maximus", "multifidus"), (2, 9, "multifidus", "gluteus_maximus")],
)
def test_behaviour_03_coverage_higher_intensity_ranks_higher(buttock, low_back, higher, lower):
    result = run(pain("buttock", "left", buttock), pain("low_back", "center", low_back))
    assert by_code(result)[higher].score > by_code(result)[lower].score


def test_behaviour_03_coverage_primary_counts_more_than_spillover():
    result = run(pain("groin", "left"))
    found = by_code(result)
    # Groin is primary for adductor longus, spillover for quadratus lumborum.
    assert found["adductor_longus"].score > found["quadratus_lumborum"].score
    assert "Can refer pain to the groin" in reasons_text(found["quadratus_lumborum"])


def test_behaviour_03_coverage_a_fitting_symptom_raises_a_muscle():
    plain = by_code(run(pain("buttock", "left")))
    sitting = by_code(run(pain("buttock", "left"), symptoms=["worse_sitting"]))
    assert sitting["piriformis"].score > sitting["gluteus_minimus"].score
    assert plain["piriformis"].score == plain["gluteus_minimus"].score


# 4. Chronic pain -------------------------------------------------------------


@pytest.mark.parametrize("acute", [None, 0, 11])
def test_behaviour_04_chronic_pain_raises_brought_in_muscles(acute):
    fields = {} if acute is None else {"duration_weeks": acute}
    acute_result = by_code(run(pain("low_back", "center"), **fields))
    chronic_result = by_code(run(pain("low_back", "center"), duration_weeks=12))
    assert acute_result["gluteus_maximus"].score < chronic_result["gluteus_maximus"].score
    # Muscles that explain a marked region are not moved by chronicity.
    assert acute_result["quadratus_lumborum"].score == chronic_result["quadratus_lumborum"].score


@pytest.mark.parametrize(("weeks", "chronic"), [(None, False), (0, False), (11, False), (12, True)])
def test_behaviour_04_chronic_means_twelve_weeks_or_more(weeks, chronic):
    assert run(pain("low_back", "center"), duration_weeks=weeks).chronic is chronic


def test_behaviour_04_chronic_pain_is_named_in_notes_and_reasons():
    result = run(pain("low_back", "center"), duration_weeks=30)
    assert any("chronic" in note.text for note in result.notes)
    assert "chronic" in reasons_text(by_code(result)["gluteus_maximus"])


# 5. Quadratus lumborum signs -------------------------------------------------

QL_CANDIDATE_CASES = [
    # Gluteus minimus explains far more of this case than the quadratus lumborum.
    [pain("buttock", "left", 8), pain("thigh_side", "left", 8), pain("calf", "left", 8)],
    # The quadratus lumborum refers to none of these: the combined approach brings it in.
    [pain("sacral", "center", 9), pain("coccyx", "center", 9)],
    # Outside the two zones.
    [pain("hip", "right")],
]


@pytest.mark.parametrize("sign", ["worse_upright", "braces_with_arms"])
@pytest.mark.parametrize("pains", QL_CANDIDATE_CASES)
def test_behaviour_05_quadratus_lumborum_signs_put_it_first(sign, pains):
    result = run(*pains, symptoms=[sign])
    first = result.suggestions[0]
    assert first.muscle == "quadratus_lumborum"
    assert first.score == max(s.score for s in result.suggestions)
    assert "Listed first" in reasons_text(first)


@pytest.mark.parametrize("pains", QL_CANDIDATE_CASES[:2])
def test_behaviour_05_quadratus_lumborum_is_not_first_without_its_signs(pains):
    assert run(*pains).suggestions[0].muscle != "quadratus_lumborum"


def test_behaviour_05_quadratus_lumborum_signs_raise_its_score():
    pains = QL_CANDIDATE_CASES[0]
    before = by_code(run(*pains))["quadratus_lumborum"].score
    after = by_code(run(*pains, symptoms=["braces_with_arms"]))["quadratus_lumborum"].score
    assert after > before


def test_behaviour_05_quadratus_lumborum_signs_add_nothing_when_it_is_no_candidate():
    result = run(pain("calf", "left"), symptoms=["worse_upright", "braces_with_arms"])
    assert "quadratus_lumborum" not in muscle_codes(result)


# 6. Quadratus lumborum and the hip -------------------------------------------


@pytest.mark.parametrize("pains", [[pain("low_back", "left")], [pain("hip", "right")]])
def test_behaviour_06_hip_stiffness_brings_in_the_hip_movers(pains):
    result = run(*pains, symptoms=["hip_stiffness"])
    found = by_code(result)
    assert set(found) >= HIP_MOVERS
    for code in HIP_MOVERS:
        assert "quadratus lumborum" in reasons_text(found[code]), code
        assert found[code].sources


def test_behaviour_06_hip_movers_brought_in_are_weighed_by_their_signs_too():
    plain = by_code(run(pain("low_back", "left"), symptoms=["hip_stiffness"]))
    lying = by_code(
        run(pain("low_back", "left"), symptoms=["hip_stiffness", "worse_lying_on_side"])
    )
    assert "painful side" in reasons_text(lying["tensor_fasciae_latae"])
    assert lying["tensor_fasciae_latae"].score > plain["tensor_fasciae_latae"].score


def test_behaviour_06_hip_movers_need_hip_stiffness():
    result = run(pain("low_back", "left"))
    assert "tensor_fasciae_latae" not in muscle_codes(result)
    assert not any("move the hip" in reasons_text(s) for s in result.suggestions)


def test_behaviour_06_hip_movers_need_the_quadratus_lumborum():
    result = run(pain("calf", "left"), symptoms=["hip_stiffness"])
    assert "quadratus_lumborum" not in muscle_codes(result)
    assert "tensor_fasciae_latae" not in muscle_codes(result)
    assert not any("move the hip" in reasons_text(s) for s in result.suggestions)


def test_behaviour_06_hip_stiffness_raises_a_hip_mover_that_was_a_candidate():
    before = by_code(run(pain("buttock", "left")))
    after = by_code(run(pain("buttock", "left"), symptoms=["hip_stiffness"]))
    # Gluteus medius moves the hip, iliocostalis does not: tied before, apart after.
    assert before["gluteus_medius"].score == before["iliocostalis_lumborum"].score
    assert after["gluteus_medius"].score > after["iliocostalis_lumborum"].score


# 7. Sides --------------------------------------------------------------------


def test_behaviour_07_sides_are_those_of_the_regions_explained():
    found = by_code(run(pain("buttock", "left"), pain("groin", "right")))
    assert found["gluteus_maximus"].sides == ("left",)
    assert found["adductor_longus"].sides == ("right",)
    assert found["quadratus_lumborum"].sides == ("left", "right")


@pytest.mark.parametrize("side", ["both", "center"])
def test_behaviour_07_sides_both_and_center_give_left_and_right(side):
    found = by_code(run(pain("low_back", side)))
    assert found["quadratus_lumborum"].sides == ("left", "right")


def test_behaviour_07_sides_of_brought_in_muscles_are_those_of_low_back_and_gluteal_pain():
    found = by_code(run(pain("low_back", "right"), pain("groin", "left")))
    assert found["gluteus_maximus"].explains == ()
    assert found["gluteus_maximus"].sides == ("right",)


def test_behaviour_07_sides_of_hip_movers_brought_in_follow_the_quadratus_lumborum():
    found = by_code(run(pain("hip", "right"), symptoms=["hip_stiffness"]))
    assert found["adductor_longus"].explains == ()
    assert found["adductor_longus"].sides == ("right",)


# 8. Outside the two zones ----------------------------------------------------


@pytest.mark.parametrize(
    "pains",
    [[pain("hip", "right")], [pain("thigh_side", "left"), pain("thigh_back", "both")]],
)
def test_behaviour_08_outside_the_two_zones_only_referring_muscles(pains):
    result = run(*pains)
    expected = set().union(*(refers_to(p["region"]) for p in pains))
    assert not result.combined_approach
    assert set(muscle_codes(result)) == expected
    assert all(s.explains for s in result.suggestions)
    assert any("does not apply" in note.text for note in result.notes)


# 9. Red flags ----------------------------------------------------------------


def test_behaviour_09_red_flags_refer_out_and_keep_the_suggestions():
    pains = [pain("low_back", "center"), pain("buttock", "left")]
    plain = run(*pains)
    flagged = run(*pains, red_flags=["night_pain", "saddle_numbness"])
    assert flagged.refer_out and not plain.refer_out
    assert flagged.suggestions == plain.suggestions
    assert [f.code for f in flagged.red_flags] == ["saddle_numbness", "night_pain"]
    assert [f.urgency for f in flagged.red_flags] == ["emergency", "refer"]
    assert flagged.notes[0].text.startswith("Emergency first")


def test_behaviour_09_red_flags_each_come_back_with_urgency_and_message():
    result = run(red_flags=list(codes.RED_FLAGS))
    assert result.refer_out
    urgencies = [f.urgency for f in result.red_flags]
    assert urgencies == sorted(urgencies, key=codes.URGENCY_ORDER.__getitem__)
    for flag in result.red_flags:
        if flag.urgency == codes.RED_FLAGS[flag.code].urgency:
            assert flag.message == codes.RED_FLAGS[flag.code].message
        else:  # Version 2: raised by a combination, whose message says why
            assert flag.urgency == "urgent" and "24 hours" in flag.message
    assert result.to_dict()["red_flags"][0] == {
        "code": "saddle_numbness",
        "urgency": "emergency",
        "message": codes.RED_FLAGS["saddle_numbness"].message,
    }


def test_behaviour_09_red_flags_refer_only_note():
    result = run(pain("buttock", "left"), red_flags=["cancer_history"])
    assert result.notes[0].text.startswith("Refer first")


def test_behaviour_09_internal_muscles_come_with_a_pelvic_health_referral():
    found = by_code(run(pain("coccyx", "center")))
    internal = {"levator_ani", "coccygeus", "obturator_internus"}
    for code, suggestion in found.items():
        refers = "pelvic-health physiotherapist" in reasons_text(suggestion)
        assert refers == (code in internal), code


def test_behaviour_09_suggestions_say_they_are_not_a_diagnosis():
    result = run(pain("hip", "left"))
    assert any("not a diagnosis" in note.text for note in result.notes)


# 10. Precautions -------------------------------------------------------------


@pytest.mark.parametrize("code", list(codes.PRECAUTIONS))
def test_behaviour_10_precautions_come_back_with_a_message(code):
    result = run(pain("buttock", "left"), precautions=[code])
    assert result.to_dict()["precautions"] == [
        {"code": code, "message": codes.PRECAUTIONS[code].message}
    ]
    assert not result.refer_out


def test_behaviour_10_precautions_light_pressure_with_blood_thinners():
    result = run(pain("buttock", "left"), precautions=["osteoporosis", "anticoagulants"])
    assert [p.code for p in result.precautions] == ["anticoagulants", "osteoporosis"]
    assert "Light pressure" in result.precautions[0].message


# 11. Deterministic -----------------------------------------------------------

BUSY_CASE = {
    "pain": [
        pain("low_back", "center", 6),
        pain("buttock", "left", 7),
        pain("sacroiliac", "right", 5),
        pain("hip", "left", 4),
        pain("groin", "right", 2),
    ],
    "duration_weeks": 20,
    "symptoms": ["worse_sitting", "hip_stiffness", "numbness_tingling"],
    "red_flags": ["night_pain"],
    "precautions": ["pregnancy", "anticoagulants"],
}


def dumped(case) -> str:
    return json.dumps(suggest(case).to_dict(), indent=2, sort_keys=False)


def test_behaviour_11_deterministic_same_input_same_bytes():
    assert dumped(BUSY_CASE) == dumped(json.loads(json.dumps(BUSY_CASE)))


def test_behaviour_11_deterministic_whatever_the_order_of_the_lists():
    shuffled = {
        key: value[::-1] if isinstance(value, list) else value for key, value in BUSY_CASE.items()
    }
    assert dumped(shuffled) == dumped(BUSY_CASE)


@pytest.mark.processes
def test_behaviour_11_deterministic_across_processes_and_hash_seeds():
    script = (
        "import json, sys; from intake.rules import suggest; "
        "print(json.dumps(suggest(json.loads(sys.argv[1])).to_dict(), indent=2))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, json.dumps(BUSY_CASE)],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert outputs == {dumped(BUSY_CASE) + "\n"}


# 12. Nothing reported, nothing suggested -------------------------------------


def test_behaviour_12_nothing_reported_nothing_suggested():
    result = suggest({"pain": []})
    assert result.to_dict() == {
        "ruleset": engine.RULESET,
        "zones": [],
        "chronic": False,
        "combined_approach": False,
        "refer_out": False,
        "red_flags": [],
        "precautions": [],
        "notes": [],
        "suggestions": [],
    }


def test_behaviour_12_nothing_suggested_but_red_flags_still_refer_out():
    result = suggest({"pain": [], "red_flags": ["fever_unwell"], "symptoms": ["worse_upright"]})
    assert result.suggestions == ()
    assert result.refer_out


# 13. The clinic's own emphasis -----------------------------------------------


def test_behaviour_13_ties_go_to_the_founding_article_then_the_more_common_cause():
    explaining = [s for s in run(pain("buttock", "left")).suggestions if s.explains]
    assert len({s.score for s in explaining}) == 1
    assert [s.muscle for s in explaining] == [
        "quadratus_lumborum",
        "gluteus_maximus",
        "gluteus_medius",
        "gluteus_minimus",
        "piriformis",
        "iliocostalis_lumborum",
        "longissimus_thoracis",
        "hamstrings",
    ]


def test_behaviour_13_ties_never_fall_back_on_alphabetical_order_alone():
    order = muscle_codes(run(pain("buttock", "left")))
    assert order != sorted(order)
    assert order.index("quadratus_lumborum") < order.index("gluteus_maximus")


def test_behaviour_13_more_common_cause_first():
    result = run(pain("groin", "left"))
    found = by_code(result)
    assert found["adductor_longus"].score == found["adductor_magnus"].score
    assert found["adductor_longus"].rank < found["adductor_magnus"].rank


def buttock_order_with(edit) -> list[str]:
    """The explaining muscles for a left buttock (all tie) under an edited knowledge copy."""
    data = copy.deepcopy(read_data())
    edit(data)
    result = suggest({"pain": [pain("buttock", "left")]}, knowledge=load_knowledge(data))
    explaining = [s for s in result.suggestions if s.explains]
    assert len({s.score for s in explaining}) == 1
    return [s.muscle for s in explaining]


def test_behaviour_13_ties_go_to_the_founding_article_even_when_listed_last():
    order = buttock_order_with(lambda data: data["muscle"].reverse())
    assert order[:5] == [
        "piriformis",
        "gluteus_minimus",
        "gluteus_medius",
        "gluteus_maximus",
        "quadratus_lumborum",
    ]


def test_behaviour_13_the_founding_article_comes_before_a_more_common_cause():
    def piriformis_uncommon(data):
        next(m for m in data["muscle"] if m["code"] == "piriformis")["commonness"]["grade"] = (
            "uncommon"
        )

    order = buttock_order_with(piriformis_uncommon)
    # Piriformis is now less common than iliocostalis lumborum, but the article names it.
    assert order.index("piriformis") < order.index("iliocostalis_lumborum")
    # Among the article's five, the more common come first.
    assert order.index("piriformis") == 4


def test_behaviour_13_the_more_common_cause_comes_before_the_order_of_the_file():
    order = buttock_order_with(lambda data: data["muscle"].reverse())
    # Reversed, the file lists hamstrings and longissimus (occasional) before
    # iliocostalis lumborum (common).
    assert order[5:] == ["iliocostalis_lumborum", "hamstrings", "longissimus_thoracis"]


@pytest.mark.parametrize("region", list(codes.REGIONS))
def test_behaviour_13_equal_scores_are_ordered_by_emphasis_in_every_region(region):
    side = codes.region_sides(region)[0]
    ranked = run(pain(region, side)).suggestions
    for earlier, later in zip(ranked, ranked[1:], strict=False):
        if earlier.score == later.score:
            a, b = MUSCLES[earlier.muscle], MUSCLES[later.muscle]
            assert (a.founding_article, a.commonness.grade) >= (
                b.founding_article,
                b.commonness.grade,
            )
