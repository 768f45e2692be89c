"""The codes are exactly those of rules-contract.md, each with the words people see."""

import pytest

from intake.rules import codes
from intake.rules.knowledge import SOURCES

CONTRACT_REGIONS = {
    "thoracolumbar": "low_back",
    "low_back": "low_back",
    "sacral": "gluteal",
    "sacroiliac": "gluteal",
    "buttock": "gluteal",
    "coccyx": "gluteal",
    "hip": "hip",
    "groin": "groin",
    "lower_abdomen": "abdomen",
    "thigh_back": "thigh",
    "thigh_side": "thigh",
    "thigh_front": "thigh",
    "calf": "leg",
    "leg_side": "leg",
}
MIDLINE = {"thoracolumbar", "low_back", "sacral", "coccyx", "lower_abdomen"}
CONTRACT_SYMPTOMS = [
    "worse_upright",
    "braces_with_arms",
    "hip_stiffness",
    "sharp_shooting",
    "worse_sitting",
    "worse_lying_on_side",
    "worse_walking",
    "worse_rising",
    "worse_cough_sneeze",
    "numbness_tingling",
]
CONTRACT_RED_FLAGS = {
    "saddle_numbness": "emergency",
    "bladder_bowel_change": "emergency",
    "both_legs": "emergency",
    "leg_weakness": "emergency",
    "pulsating_abdomen": "emergency",  # version 2
    "fever_unwell": "refer",
    "weight_loss": "refer",
    "cancer_history": "refer",
    "major_trauma": "refer",
    "night_pain": "refer",
    "steroid_use": "refer",
    "immunosuppressed": "refer",
}
CONTRACT_PRECAUTIONS = [
    "anticoagulants",
    "recent_surgery",
    "dvt_history",
    "pregnancy",
    "osteoporosis",
    "skin_condition",
    "heart_condition",
    # Issue 10
    "bone_metastases",
    "peripheral_neuropathy",
    "hip_replacement",
    "varicose_veins",
    "lymphoedema",
    "hernia",
]


def test_regions_and_zones_are_the_contracts_in_its_order():
    assert {code: r.zone for code, r in codes.REGIONS.items()} == CONTRACT_REGIONS
    assert list(codes.REGIONS) == list(CONTRACT_REGIONS)
    assert set(codes.ZONES) == set(CONTRACT_REGIONS.values())


@pytest.mark.parametrize("code", list(CONTRACT_REGIONS))
def test_region_sides(code):
    sides = codes.region_sides(code)
    if code == "coccyx":
        assert sides == ("center",)
    elif code in MIDLINE:
        assert set(sides) == {"left", "right", "both", "center"}
    else:
        assert sides == ("left", "right", "both")
    assert set(sides) <= set(codes.SIDES)
    assert codes.region_zone(code) == CONTRACT_REGIONS[code]


def test_belt_line_zones():
    assert {"low_back", "gluteal"} == codes.BELT_LINE_ZONES


def test_symptoms_red_flags_and_precautions_are_the_contracts():
    assert list(codes.SYMPTOMS) == CONTRACT_SYMPTOMS
    assert {code: f.urgency for code, f in codes.RED_FLAGS.items()} == CONTRACT_RED_FLAGS
    assert list(codes.RED_FLAGS) == list(CONTRACT_RED_FLAGS)
    assert list(codes.PRECAUTIONS) == CONTRACT_PRECAUTIONS
    assert set(codes.SIDES) == {"left", "right", "both", "center"}


@pytest.mark.parametrize(
    "table",
    [
        codes.ZONES,
        codes.SIDES,
        codes.REGIONS,
        codes.SYMPTOMS,
        codes.RED_FLAGS,
        codes.PRECAUTIONS,
        codes.URGENCIES,
    ],
)
def test_every_code_has_a_label_and_choices_follow_the_table(table):
    for code, row in table.items():
        assert row.code == code
        assert row.label and row.label == row.label.strip()
    assert codes.choices(table) == [(code, row.label) for code, row in table.items()]


def test_regions_say_where():
    assert all(region.where for region in codes.REGIONS.values())


def test_symptoms_have_plain_words_for_clients():
    for symptom in codes.SYMPTOMS.values():
        assert symptom.client_label and symptom.client_label != symptom.label


def test_red_flags_ask_a_yes_no_question_and_cite_sources():
    for flag in codes.RED_FLAGS.values():
        assert flag.question.endswith("?")
        assert flag.message
        assert flag.sources and set(flag.sources) <= set(SOURCES)
        if flag.urgency == "emergency":
            assert "now: go to an emergency department" in flag.message
            assert "today" not in flag.message
        else:
            assert "a doctor before any treatment" in flag.message


def test_precautions_tell_the_therapist_how_to_adapt_with_a_source():
    for precaution in codes.PRECAUTIONS.values():
        assert precaution.question.endswith("?")
        assert precaution.message
        assert precaution.sources and set(precaution.sources) <= set(SOURCES)
    assert "Light pressure" in codes.PRECAUTIONS["anticoagulants"].message


@pytest.mark.parametrize(
    ("side", "expanded", "covered"),
    [
        ("left", ("left",), ("left",)),
        ("right", ("right",), ("right",)),
        ("both", ("left", "right"), ("left", "right")),
        ("center", ("center",), ("left", "right")),
    ],
)
def test_both_sides_means_left_and_right(side, expanded, covered):
    assert set(codes.SIDES) == {"left", "right", "both", "center"}
    assert codes.expand_sides(side) == expanded
    assert codes.covered_sides(side) == covered
