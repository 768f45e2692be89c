"""What the scores, the sides, the wording and the JSON shape must do.

Mutation testing found each of these behaviours unpinned: a change to the
engine could break it and every other test would still pass. Each test names
the behaviour it holds; the golden files (``test_golden.py``) pin the exact
numbers.
"""

import copy

import pytest

from intake.rules import RulesInputError, load_knowledge, muscle_cautions, read_case, suggest
from intake.rules.case import CHRONIC_WEEKS, DEFAULT_INTENSITY
from intake.rules.knowledge import read_data

from .helpers import by_code, pain, run

DATA = read_data()


def edited(muscle: str, edit) -> object:
    """A knowledge base like the shipped one, with one muscle's data edited."""
    data = copy.deepcopy(DATA)
    edit(next(m for m in data["muscle"] if m["code"] == muscle))
    return load_knowledge(data)


def score(muscle: str, case: dict, knowledge=None) -> float:
    return by_code(suggest(case, knowledge=knowledge))[muscle].score


# Spillover zones ---------------------------------------------------------------

# Piriformis refers pain to the buttock; the sacrum is in the same (gluteal) zone,
# so adding the sacrum to its referral changes nothing but the points of that region.
BUTTOCK_AND_SACRUM = {"pain": [pain("buttock", "left", 5), pain("sacral", "center", 5)]}


def test_a_marked_region_in_a_spillover_zone_raises_the_score():
    def spill_to_sacrum(muscle):
        muscle["referral"][0]["spillover"].append("sacral")

    before = score("piriformis", BUTTOCK_AND_SACRUM)
    after = score("piriformis", BUTTOCK_AND_SACRUM, edited("piriformis", spill_to_sacrum))
    assert after > before


def test_an_unmarked_spillover_region_leaves_the_score_alone():
    def spill_to_calf(muscle):
        muscle["referral"][0]["spillover"].append("calf")

    before = score("piriformis", BUTTOCK_AND_SACRUM)
    assert score("piriformis", BUTTOCK_AND_SACRUM, edited("piriformis", spill_to_calf)) == before


def test_a_primary_zone_counts_more_than_a_spillover_zone_for_the_same_region():
    def primary(muscle):
        muscle["referral"][0]["primary"].append("sacral")

    def spillover(muscle):
        muscle["referral"][0]["spillover"].append("sacral")

    as_primary = score("piriformis", BUTTOCK_AND_SACRUM, edited("piriformis", primary))
    as_spillover = score("piriformis", BUTTOCK_AND_SACRUM, edited("piriformis", spillover))
    assert as_primary > as_spillover


def test_in_the_shipped_data_primary_beats_spillover_for_the_front_of_the_thigh():
    # Iliopsoas refers there primarily; pectineus and adductor magnus by spillover.
    found = by_code(run(pain("thigh_front", "left")))
    assert found["iliopsoas"].score > found["pectineus"].score
    assert found["pectineus"].score == found["adductor_magnus"].score
    assert found["iliopsoas"].rank < found["pectineus"].rank


# Intensity ---------------------------------------------------------------------


def test_a_more_intense_pain_raises_the_score_of_the_muscles_that_explain_it():
    # Gastrocnemius explains the calf, not the groin.
    scores = [
        score("gastrocnemius", {"pain": [pain("calf", "left", i), pain("groin", "left", 5)]})
        for i in range(11)
    ]
    assert scores == sorted(scores)
    assert scores[10] > scores[5] > scores[0]


def test_the_more_intense_region_ranks_its_muscle_first():
    result = run(pain("calf", "left", 9), pain("groin", "left", 1))
    assert by_code(result)["gastrocnemius"].rank < by_code(result)["adductor_longus"].rank
    result = run(pain("calf", "left", 1), pain("groin", "left", 9))
    assert by_code(result)["gastrocnemius"].rank > by_code(result)["adductor_longus"].rank


def test_an_intensity_of_zero_still_counts():
    result = run(pain("calf", "left", 0), pain("groin", "left", 10))
    gastrocnemius = by_code(result)["gastrocnemius"]
    assert gastrocnemius.explains == ("calf",)
    # A pain weighs its intensity + 5: the calf 5 against the groin's 15, so gastrocnemius
    # has 10 (its zone) + 3 x 5 points of 3 x 20 + 2 x 10: 0.40 + 0.60 x 25/80.
    assert gastrocnemius.score == 0.59


def test_a_pain_without_intensity_weighs_as_the_default_intensity():
    assert DEFAULT_INTENSITY == 5
    without = run(pain("calf", "left"), pain("groin", "right", 8)).to_dict()
    given = run(pain("calf", "left", DEFAULT_INTENSITY), pain("groin", "right", 8)).to_dict()
    assert without == given
    assert read_case({"pain": [pain("calf", "left")]}).pain[0].intensity == DEFAULT_INTENSITY


# Symptoms ----------------------------------------------------------------------


def test_two_fitting_symptoms_score_above_one():
    # Piriformis fits both; the groin keeps it below full marks.
    marked = [pain("buttock", "left"), pain("groin", "left")]
    none = score("piriformis", {"pain": marked})
    one = score("piriformis", {"pain": marked, "symptoms": ["worse_sitting"]})
    two = score("piriformis", {"pain": marked, "symptoms": ["worse_sitting", "worse_rising"]})
    assert none < one < two


def test_two_fitting_symptoms_raise_a_muscle_brought_in_by_the_combined_approach_twice():
    # Iliopsoas refers pain neither to the sacrum nor to the tailbone.
    marked = [pain("coccyx", "center")]
    none = score("iliopsoas", {"pain": marked, "duration_weeks": 2})
    one = score("iliopsoas", {"pain": marked, "duration_weeks": 2, "symptoms": ["worse_rising"]})
    two = score(
        "iliopsoas",
        {"pain": marked, "duration_weeks": 2, "symptoms": ["worse_rising", "worse_upright"]},
    )
    assert (none, one) == (0.12, 0.14)
    # worse_upright puts the quadratus lumborum first, and fits iliopsoas too.
    assert two == 0.16


# Validation ------------------------------------------------------------------


def test_a_third_entry_for_a_region_is_checked_against_every_earlier_one():
    entries = [pain("buttock", "left"), pain("buttock", "right"), pain("buttock", "right")]
    with pytest.raises(RulesInputError) as error:
        read_case({"pain": entries})
    assert error.value.field == "pain[2].side"
    assert error.value.value == "right"
    assert "already reported" in str(error.value)


def test_a_third_entry_clashing_with_the_first_is_refused():
    entries = [pain("low_back", "both"), pain("low_back", "center"), pain("low_back", "left")]
    with pytest.raises(RulesInputError) as error:
        read_case({"pain": entries})
    assert error.value.field == "pain[2].side"
    assert "clashes with 'both'" in str(error.value)


# Acute and chronic wording -------------------------------------------------------


def approach_reasons(result) -> list[str]:
    return [
        reason.text
        for suggestion in result.suggestions
        if suggestion.group == "approach"
        for reason in suggestion.reasons
        if reason.text.startswith("Brought in by the combined approach")
    ]


@pytest.mark.parametrize("weeks", [None, 0, CHRONIC_WEEKS - 1])
def test_an_acute_case_is_never_told_the_more_so_as_the_pain_is_chronic(weeks):
    result = suggest({"pain": [pain("coccyx", "center")], "duration_weeks": weeks})
    assert not result.chronic
    reasons = approach_reasons(result)
    assert reasons
    assert not any("chronic" in text for text in reasons)
    assert not any("chronic" in note.text for note in result.notes)


@pytest.mark.parametrize("weeks", [CHRONIC_WEEKS, 52])
def test_a_chronic_case_is_told_the_more_so_as_the_pain_is_chronic(weeks):
    result = suggest({"pain": [pain("coccyx", "center")], "duration_weeks": weeks})
    assert result.chronic
    reasons = approach_reasons(result)
    assert reasons
    assert all(text.endswith("; the more so as the pain is chronic") for text in reasons)
    assert any(note.text.startswith("The pain is chronic") for note in result.notes)


def test_a_referral_away_from_the_belt_line_listed_first_does_not_hide_a_later_one():
    """Each referral pattern is looked at: one that stays off the belt line (the groin)
    does not stop the next (the low back) from bringing the muscle in."""

    def groin_first(muscle):
        muscle["referral"].insert(
            0, {"id": "iliopsoas.groin_only", "primary": ["groin"], "sources": ["ts2_ch5"]}
        )

    result = suggest(
        {"pain": [pain("coccyx", "center")]}, knowledge=edited("iliopsoas", groin_first)
    )
    iliopsoas = by_code(result)["iliopsoas"]
    assert iliopsoas.group == "approach"
    assert [r.text for r in iliopsoas.reasons if "combined approach" in r.text] == [
        "Brought in by the combined approach (low back and gluteal pain as one disorder): "
        "refers pain to the low back and the sacroiliac joint, not to the marked regions"
    ]


def test_the_combined_approach_weighs_more_when_the_pain_is_chronic():
    acute = score("iliopsoas", {"pain": [pain("coccyx", "center")], "duration_weeks": 2})
    chronic = score("iliopsoas", {"pain": [pain("coccyx", "center")], "duration_weeks": 20})
    assert (acute, chronic) == (0.12, 0.20)


# Sides -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low_back", "buttock"), [("left", "right"), ("right", "left"), ("both", "left")]
)
def test_hip_movers_take_the_sides_of_every_region_the_quadratus_lumborum_explains(
    low_back, buttock
):
    result = run(pain("low_back", low_back), pain("buttock", buttock), symptoms=["hip_stiffness"])
    found = by_code(result)
    assert found["quadratus_lumborum"].explains == ("buttock", "low_back")
    assert found["tensor_fasciae_latae"].group == "hip_mover"
    assert found["tensor_fasciae_latae"].sides == ("left", "right")


def test_hip_movers_take_the_sides_of_the_belt_line_when_the_quadratus_lumborum_explains_none():
    result = run(
        pain("coccyx", "center"), pain("thoracolumbar", "right"), symptoms=["hip_stiffness"]
    )
    found = by_code(result)
    assert found["quadratus_lumborum"].group == "approach"
    assert found["tensor_fasciae_latae"].sides == ("left", "right")
    result = run(pain("thoracolumbar", "right"), symptoms=["hip_stiffness"])
    assert by_code(result)["tensor_fasciae_latae"].sides == ("right",)


def test_muscles_of_the_combined_approach_take_the_sides_of_every_belt_line_region():
    result = run(pain("low_back", "left"), pain("buttock", "right"), pain("calf", "left"))
    found = by_code(result)
    assert found["serratus_posterior_inferior"].group == "approach"
    assert found["serratus_posterior_inferior"].sides == ("left", "right")
    result = run(pain("low_back", "left"), pain("calf", "right"))
    assert by_code(result)["serratus_posterior_inferior"].sides == ("left",)


def test_an_explaining_muscle_takes_the_sides_of_every_region_it_explains():
    result = run(pain("buttock", "left"), pain("hip", "right"), pain("calf", "left"))
    found = by_code(result)
    assert found["piriformis"].explains == ("buttock", "hip")
    assert found["piriformis"].sides == ("left", "right")
    assert found["gastrocnemius"].sides == ("left",)


# The JSON shape ----------------------------------------------------------------


def test_the_keys_of_the_result_and_of_each_suggestion_are_fixed_and_ordered():
    result = run(
        pain("groin", "left"),
        pain("low_back", "center"),
        red_flags=["fever_unwell"],
        precautions=["pregnancy"],
    ).to_dict()
    assert list(result) == [
        "ruleset",
        "zones",
        "chronic",
        "combined_approach",
        "refer_out",
        "red_flags",
        "precautions",
        "notes",
        "suggestions",
    ]
    assert [list(flag) for flag in result["red_flags"]] == [["code", "urgency", "message"]]
    assert [list(advice) for advice in result["precautions"]] == [["code", "message"]]
    keys = [
        "muscle",
        "name",
        "rank",
        "score",
        "group",
        "sides",
        "explains",
        "reasons",
        "facts",
        "sources",
        "cautions",
    ]
    assert result["suggestions"]
    for suggestion in result["suggestions"]:
        assert list(suggestion) == keys
        for caution in suggestion["cautions"]:
            assert list(caution) == ["code", "message", "forbids", "fact"]
    iliopsoas = next(s for s in result["suggestions"] if s["muscle"] == "iliopsoas")
    assert iliopsoas["cautions"][0]["code"] == "pregnancy"
    assert iliopsoas["cautions"][0]["forbids"] is True


@pytest.mark.parametrize(
    ("length", "shown"),
    [(58, repr("x" * 58)), (59, repr("x" * 59)[:57] + "...")],
)
def test_a_value_is_shown_whole_up_to_60_characters_then_cut_to_57_and_dots(length, shown):
    with pytest.raises(RulesInputError) as error:
        read_case({"pain": "x" * length})
    assert str(error.value) == f"pain: {shown} is not a list"


# Cautions of a muscle added by hand ---------------------------------------------


def test_the_cautions_of_a_muscle_added_by_hand_follow_the_knowledge_given():
    data = copy.deepcopy(DATA)
    for caution in data["caution"]:
        if caution["code"] == "pregnancy":
            caution["forbids"] = False
    shipped = muscle_cautions("iliopsoas", ["pregnancy"])
    edited_copy = muscle_cautions("iliopsoas", ["pregnancy"], load_knowledge(data))
    assert [c.forbids for c in shipped] == [True]
    assert [c.forbids for c in edited_copy] == [False]


# The quadratus lumborum's signs -----------------------------------------------------


def test_an_unmarked_quadratus_lumborum_with_its_signs_says_it_refers_to_none_of_the_regions():
    result = run(pain("coccyx", "center"), symptoms=["worse_upright"])
    first = result.suggestions[0]
    assert (first.muscle, first.group, first.explains) == ("quadratus_lumborum", "approach", ())
    assert first.reasons[-1].text.startswith("Listed first, though it refers pain to none")
    marked = run(pain("low_back", "left"), symptoms=["worse_upright"]).suggestions[0]
    assert marked.reasons[-1].text.startswith("Listed first: the client reports the signs")


def test_its_signs_put_the_quadratus_lumborum_before_a_muscle_with_the_same_top_score():
    # A copy where gluteus medius fits worse_upright too and comes first in the file, so
    # it scores 1.00 for a left low back and wins every tie-break against it.
    data = copy.deepcopy(DATA)
    medius = next(m for m in data["muscle"] if m["code"] == "gluteus_medius")
    sign = copy.deepcopy(next(s for s in medius["sign"] if s["symptom"] == "worse_sitting"))
    sign.update(id="gluteus_medius.sign.worse_upright", symptom="worse_upright")
    medius["sign"].append(sign)
    data["muscle"].reverse()
    knowledge = load_knowledge(data)
    result = suggest({"pain": [pain("low_back", "left")]}, knowledge=knowledge)
    assert result.suggestions[0].muscle == "gluteus_medius"
    result = suggest(
        {"pain": [pain("low_back", "left")], "symptoms": ["worse_upright"]}, knowledge=knowledge
    )
    first, second = result.suggestions[:2]
    assert (first.muscle, first.score) == ("quadratus_lumborum", 1.0)
    assert (second.muscle, second.score) == ("gluteus_medius", 1.0)


# Combinations of red flags ------------------------------------------------------


def test_a_combination_of_the_same_urgency_leaves_the_flags_own_message():
    data = copy.deepcopy(DATA)
    for combination in data["combination"]:
        combination["urgency"] = "refer"
    knowledge = load_knowledge(data)
    case = {"pain": [], "red_flags": ["cancer_history", "night_pain"]}
    shipped = {flag.code: flag for flag in suggest(case).red_flags}
    same = {flag.code: flag for flag in suggest(case, knowledge=knowledge).red_flags}
    assert {flag.urgency for flag in shipped.values()} == {"urgent"}
    assert {flag.urgency for flag in same.values()} == {"refer"}
    for code in ("cancer_history", "night_pain"):
        assert same[code].message != shipped[code].message
        assert same[code].message == suggest({"pain": [], "red_flags": [code]}).red_flags[0].message
