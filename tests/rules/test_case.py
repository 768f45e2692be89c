"""Validation: bad input raises one clear RulesInputError naming the field and the value."""

from types import MappingProxyType

import pytest

from intake.rules import Case, Pain, RulesInputError, read_case, suggest


def ok(**fields):
    return {"pain": [{"region": "buttock", "side": "left"}], **fields}


def with_pain(*entries):
    return {"pain": list(entries)}


BAD = [
    # (input, field, value)
    ([], "case", []),
    ("pain", "case", "pain"),
    (None, "case", None),
    ({}, "pain", None),
    ({"pain": [], "colour": "red"}, "case", "colour"),
    ({"pain": [], 3: "x"}, "case", 3),
    ({"pain": None}, "pain", None),
    ({"pain": "buttock"}, "pain", "buttock"),
    ({"pain": {"region": "buttock"}}, "pain", {"region": "buttock"}),
    (with_pain(1), "pain[0]", 1),
    (with_pain(["buttock", "left"]), "pain[0]", ["buttock", "left"]),
    (with_pain({"region": "knee", "side": "left"}), "pain[0].region", "knee"),
    (with_pain({"region": "Buttock", "side": "left"}), "pain[0].region", "Buttock"),
    (with_pain({"region": ["buttock"], "side": "left"}), "pain[0].region", ["buttock"]),
    (with_pain({"side": "left"}), "pain[0].region", None),
    (with_pain({"region": "buttock"}), "pain[0].side", None),
    (with_pain({"region": "buttock", "side": "center"}), "pain[0].side", "center"),
    (with_pain({"region": "coccyx", "side": "left"}), "pain[0].side", "left"),
    (with_pain({"region": "buttock", "side": "up"}), "pain[0].side", "up"),
    (with_pain({"region": "buttock", "side": "left", "intensity": 11}), "pain[0].intensity", 11),
    (with_pain({"region": "buttock", "side": "left", "intensity": -1}), "pain[0].intensity", -1),
    (
        with_pain({"region": "buttock", "side": "left", "intensity": True}),
        "pain[0].intensity",
        True,
    ),
    (with_pain({"region": "buttock", "side": "left", "intensity": 5.0}), "pain[0].intensity", 5.0),
    (with_pain({"region": "buttock", "side": "left", "intensity": "5"}), "pain[0].intensity", "5"),
    (with_pain({"region": "buttock", "side": "left", "where": "x"}), "pain[0]", "where"),
    ({**ok(), "duration_weeks": -1}, "duration_weeks", -1),
    ({**ok(), "duration_weeks": True}, "duration_weeks", True),
    ({**ok(), "duration_weeks": 2.5}, "duration_weeks", 2.5),
    ({**ok(), "duration_weeks": "20"}, "duration_weeks", "20"),
    ({**ok(), "symptoms": "worse_upright"}, "symptoms", "worse_upright"),
    ({**ok(), "symptoms": ["worse_upright", "itchy"]}, "symptoms[1]", "itchy"),
    ({**ok(), "symptoms": [1]}, "symptoms[0]", 1),
    ({**ok(), "symptoms": [["worse_upright"]]}, "symptoms[0]", ["worse_upright"]),
    ({**ok(), "red_flags": {"night_pain": True}}, "red_flags", {"night_pain": True}),
    ({**ok(), "red_flags": ["saddle_numbness", "fever"]}, "red_flags[1]", "fever"),
    ({**ok(), "precautions": ["anticoagulants", None]}, "precautions[1]", None),
    ({**ok(), "precautions": ["pregnancy", "dvt"]}, "precautions[1]", "dvt"),
]


@pytest.mark.parametrize(("data", "field", "value"), BAD)
def test_bad_input_names_the_field_and_the_value(data, field, value):
    with pytest.raises(RulesInputError) as caught:
        suggest(data)
    error = caught.value
    assert (error.field, error.value) == (field, value)
    message = str(error)
    assert message.startswith(f"{field}: ")
    if value is not None:
        assert repr(value) in message
    assert "\n" not in message
    assert isinstance(error, ValueError)


def test_bad_side_message_reads_as_the_contract_says():
    data = with_pain(
        {"region": "low_back", "side": "center"}, {"region": "buttock", "side": "center"}
    )
    with pytest.raises(RulesInputError) as caught:
        suggest(data)
    assert str(caught.value) == (
        "pain[1].side: 'center' is not a side region 'buttock' can take (left, right, both)"
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("left", "left"),
        ("left", "both"),
        ("both", "right"),
        ("center", "left"),
        ("right", "center"),
        ("both", "both"),
    ],
)
def test_a_region_at_most_once_per_side_and_both_or_center_exclude_left_and_right(first, second):
    data = with_pain(
        {"region": "low_back", "side": first},
        {"region": "buttock", "side": "left"},
        {"region": "low_back", "side": second},
    )
    with pytest.raises(RulesInputError) as caught:
        read_case(data)
    assert (caught.value.field, caught.value.value) == ("pain[2].side", second)
    assert "'low_back'" in str(caught.value)


@pytest.mark.parametrize(("first", "second"), [("left", "right"), ("center", "both")])
def test_a_region_may_be_reported_on_compatible_sides(first, second):
    case = read_case(
        with_pain({"region": "low_back", "side": first}, {"region": "low_back", "side": second})
    )
    assert [p.side for p in case.pain] == [first, second]


@pytest.mark.parametrize("field", ["symptoms", "red_flags", "precautions"])
def test_duplicate_codes_are_an_error(field):
    code = {"symptoms": "worse_sitting", "red_flags": "night_pain", "precautions": "pregnancy"}
    with pytest.raises(RulesInputError) as caught:
        read_case({**ok(), field: [code[field], code[field]]})
    assert (caught.value.field, caught.value.value) == (f"{field}[1]", code[field])
    assert "twice" in str(caught.value)


def test_a_good_case_is_read_with_defaults():
    case = read_case(
        {
            "pain": [
                {"region": "buttock", "side": "left", "intensity": 6},
                {"region": "low_back", "side": "center"},
            ],
            "duration_weeks": 20,
            "symptoms": ["braces_with_arms", "worse_upright"],
            "red_flags": [],
            "precautions": ["anticoagulants"],
        }
    )
    assert case == Case(
        pain=(Pain("buttock", "left", 6), Pain("low_back", "center", 5)),
        duration_weeks=20,
        symptoms=("worse_upright", "braces_with_arms"),  # in table order
        red_flags=(),
        precautions=("anticoagulants",),
    )
    assert case.chronic


@pytest.mark.parametrize("field", ["duration_weeks", "symptoms", "red_flags", "precautions"])
def test_optional_fields_may_be_left_out_or_null(field):
    assert read_case({**ok(), field: None}) == read_case(ok())


def test_a_null_intensity_is_the_default():
    case = read_case(with_pain({"region": "buttock", "side": "left", "intensity": None}))
    assert case.pain[0].intensity == 5


@pytest.mark.parametrize("intensity", [0, 10])
def test_intensity_bounds_are_included(intensity):
    case = read_case(with_pain({"region": "buttock", "side": "left", "intensity": intensity}))
    assert case.pain[0].intensity == intensity


def test_tuples_are_accepted_as_lists():
    case = read_case({"pain": ({"region": "coccyx", "side": "center"},), "symptoms": ()})
    assert case.pain == (Pain("coccyx", "center"),)


def test_long_values_are_shortened_in_the_message():
    with pytest.raises(RulesInputError) as caught:
        read_case({"pain": "x" * 500})
    assert len(str(caught.value)) < 120
    assert caught.value.value == "x" * 500


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"pain": [], "colour": "red"},
            "case: 'colour' is not a field here "
            "(expected pain, duration_weeks, age, symptoms, red_flags, precautions)",
        ),
        (
            ok(symptoms=["nope"]),
            "symptoms[0]: 'nope' is not a code of symptoms (worse_upright, braces_with_arms, "
            "hip_stiffness, sharp_shooting, worse_sitting, worse_lying_on_side, worse_walking, "
            "worse_rising, worse_cough_sneeze, numbness_tingling)",
        ),
        (
            ok(red_flags=["saddle_numbness", "saddle_numbness"]),
            "red_flags[1]: 'saddle_numbness' is listed twice",
        ),
        (
            with_pain({"region": "elbow", "side": "left"}),
            "pain[0].region: 'elbow' is not a region (thoracolumbar, low_back, sacral, "
            "sacroiliac, buttock, coccyx, hip, groin, lower_abdomen, thigh_back, thigh_side, "
            "thigh_front, calf, leg_side)",
        ),
        ({}, "pain: missing (give [] when nothing hurts)"),
        (
            with_pain(
                {"region": "low_back", "side": "both"}, {"region": "low_back", "side": "left"}
            ),
            "pain[1].side: 'left' clashes with 'both' reported for region 'low_back' "
            "(both and center already include left and right)",
        ),
        (ok(age=-1), "age: -1 is not a whole number of years 0-120"),
    ],
)
def test_each_message_says_what_is_wrong_and_what_would_do(data, message):
    with pytest.raises(RulesInputError) as caught:
        read_case(data)
    assert str(caught.value) == message


def test_any_mapping_is_read_as_an_object():
    case = read_case(
        MappingProxyType({"pain": [MappingProxyType({"region": "coccyx", "side": "center"})]})
    )
    assert case.pain == (Pain("coccyx", "center"),)
