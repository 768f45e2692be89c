"""Property-based tests: any valid case gives a well-formed result, any invalid one the clear
error."""

import contextlib
import json
import os

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.rules import RulesInputError, codes, suggest
from intake.rules.case import CASE_FIELDS
from intake.rules.knowledge import MUSCLES

# `make mutation` runs these once per mutant, with fewer examples.
SETTINGS = settings(
    max_examples=int(os.environ.get("RULES_PROPERTY_EXAMPLES", "200")), deadline=None
)

EXPANDED = {"left": {"left"}, "right": {"right"}, "both": {"left", "right"}}
EXPANDED["center"] = EXPANDED["both"]


@st.composite
def region_pains(draw, region):
    sides = codes.region_sides(region)
    options = [(side,) for side in sides]
    if "left" in sides:
        options.append(("left", "right"))
    if "center" in sides and "both" in sides:
        options.append(("center", "both"))
    entries = []
    for side in draw(st.sampled_from(options)):
        entry = {"region": region, "side": side}
        intensity = draw(st.none() | st.integers(0, 10))
        if intensity is not None:
            entry["intensity"] = intensity
        entries.append(entry)
    return entries


@st.composite
def valid_cases(draw):
    regions = draw(st.lists(st.sampled_from(list(codes.REGIONS)), unique=True, max_size=8))
    pains = [entry for region in regions for entry in draw(region_pains(region))]
    case = {"pain": draw(st.permutations(pains))}
    for field, table in (
        ("symptoms", codes.SYMPTOMS),
        ("red_flags", codes.RED_FLAGS),
        ("precautions", codes.PRECAUTIONS),
    ):
        chosen = draw(st.none() | st.lists(st.sampled_from(list(table)), unique=True))
        if chosen is not None:
            case[field] = chosen
    duration = draw(st.none() | st.integers(0, 600))
    if duration is not None:
        case["duration_weeks"] = duration
    return case


@SETTINGS
@given(valid_cases())
def test_valid_cases_give_a_well_formed_result(case):
    result = suggest(case)
    ranked = result.suggestions
    assert [s.rank for s in ranked] == list(range(1, len(ranked) + 1))
    # Version 2: muscles reached only internally come after those the
    # therapist can treat; scores fall within each of the two parts.
    internal = [MUSCLES[s.muscle].internal_only is not None for s in ranked]
    assert internal == sorted(internal)
    for part in (False, True):
        scores = [s.score for s, i in zip(ranked, internal, strict=True) if i == part]
        assert scores == sorted(scores, reverse=True)
    scores = [s.score for s in ranked]
    assert all(0 < score <= 1 and round(score, 2) == score for score in scores)
    reported_sides = set().union(*(EXPANDED[p["side"]] for p in case["pain"]))
    reported_regions = {p["region"] for p in case["pain"]}
    for suggestion in ranked:
        assert suggestion.sides and set(suggestion.sides) <= reported_sides
        assert list(suggestion.sides) == sorted(suggestion.sides)
        assert set(suggestion.explains) <= reported_regions
        assert suggestion.reasons and suggestion.sources
    assert bool(ranked) == bool(case["pain"])
    # Version 2: derived flags (under 16, calf clot risk) refer out too.
    assert result.refer_out == bool(result.red_flags)
    if case.get("red_flags"):
        assert result.refer_out


@SETTINGS
@given(valid_cases())
def test_explaining_muscles_rank_above_brought_in_ones_and_signs_put_ql_first(case):
    ranked = suggest(case).suggestions
    signs = {"worse_upright", "braces_with_arms"} & set(case.get("symptoms") or ())
    codes_ranked = [s.muscle for s in ranked]
    if signs and "quadratus_lumborum" in codes_ranked:
        assert codes_ranked[0] == "quadratus_lumborum"
    rest = [
        s
        for s in ranked
        if not (signs and s.muscle == "quadratus_lumborum")
        and MUSCLES[s.muscle].internal_only is None
    ]
    explaining = [s.rank for s in rest if s.explains]
    brought_in = [s.rank for s in rest if not s.explains]
    if explaining and brought_in:
        assert max(explaining) < min(brought_in)


@SETTINGS
@given(valid_cases(), st.randoms(use_true_random=False))
def test_output_is_byte_identical_on_a_second_run_and_any_order(case, random):
    first = json.dumps(suggest(case).to_dict(), indent=2, sort_keys=False)
    shuffled = {
        key: list(value) if isinstance(value, list) else value for key, value in case.items()
    }
    for value in shuffled.values():
        if isinstance(value, list):
            random.shuffle(value)
    assert json.dumps(suggest(case).to_dict(), indent=2, sort_keys=False) == first
    assert json.dumps(suggest(shuffled).to_dict(), indent=2, sort_keys=False) == first


# Invalid input -------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def not_in(table):
    return json_values.filter(lambda v: not (isinstance(v, str) and v in table))


bad_intensity = json_values.filter(
    lambda v: v is not None and not (type(v) is int and 0 <= v <= 10)
)
bad_duration = json_values.filter(lambda v: v is not None and not (type(v) is int and v >= 0))


@st.composite
def invalid_cases(draw):
    """A valid case with exactly one thing broken, and the field that must be blamed."""
    case = draw(valid_cases())
    case["pain"] = list(case["pain"])
    kind = draw(
        st.sampled_from(
            ["region", "side", "intensity", "entry", "pain", "duration", "code", "unknown"]
        )
    )
    if kind in {"region", "side", "intensity", "entry"}:
        index = draw(st.integers(0, len(case["pain"])))
        entry = {"region": "buttock", "side": "left"}
        if kind == "region":
            entry["region"] = draw(not_in(codes.REGIONS))
        elif kind == "side":
            entry = {"region": "coccyx", "side": draw(not_in({"center"}))}
        elif kind == "intensity":
            entry["intensity"] = draw(bad_intensity)
        else:
            entry = draw(json_values.filter(lambda v: not isinstance(v, dict)))
        # Keep the broken entry the only one of its region, so it is what fails.
        case["pain"] = [p for p in case["pain"] if p["region"] != entry_region(entry)]
        index = min(index, len(case["pain"]))
        case["pain"].insert(index, entry)
        field = f"pain[{index}]" + ("" if kind == "entry" else f".{kind}")
    elif kind == "pain":
        case["pain"] = draw(json_values.filter(lambda v: not isinstance(v, list)))
        field = "pain"
    elif kind == "duration":
        case["duration_weeks"] = draw(bad_duration)
        field = "duration_weeks"
    elif kind == "code":
        name, table = draw(
            st.sampled_from(
                [
                    ("symptoms", codes.SYMPTOMS),
                    ("red_flags", codes.RED_FLAGS),
                    ("precautions", codes.PRECAUTIONS),
                ]
            )
        )
        case[name] = [draw(not_in(table))]
        field = f"{name}[0]"
    else:
        # Not a field of the contract (version 2 added "age").
        key = draw(st.text(max_size=8).filter(lambda k: k not in case and k not in CASE_FIELDS))
        case[key] = draw(json_values)
        field = "case"
    return case, field


def entry_region(entry):
    return entry.get("region") if isinstance(entry, dict) else None


@SETTINGS
@given(invalid_cases())
def test_invalid_cases_give_the_clear_error_and_nothing_else(case_and_field):
    case, field = case_and_field
    try:
        suggest(case)
    except RulesInputError as error:
        assert error.field == field
        assert str(error).startswith(f"{field}: ")
        assert "\n" not in str(error)
    else:
        raise AssertionError(f"no error for {case!r}")


@SETTINGS
@given(json_values)
def test_any_json_value_gives_a_result_or_the_clear_error(value):
    with contextlib.suppress(RulesInputError):
        suggest(value)
