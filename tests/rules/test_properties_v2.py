"""Property-based tests of version 2: urgency, cautions, groups and facts hold for any case."""

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from intake.rules import GROUPS, codes, suggest
from intake.rules.knowledge import MUSCLES

from .test_properties import valid_cases

# `make mutation` runs these once per mutant, with fewer examples.
SETTINGS = settings(
    max_examples=int(os.environ.get("RULES_PROPERTY_EXAMPLES", "200")), deadline=None
)
NO_FLAG = len(codes.URGENCY_ORDER)


@st.composite
def aged_cases(draw):
    case = draw(valid_cases())
    age = draw(st.none() | st.integers(0, 120))
    if age is not None:
        case["age"] = age
    return case


def urgency_rank(result) -> int:
    return codes.URGENCY_ORDER[result.urgency] if result.urgency else NO_FLAG


def flag_ranks(result) -> dict[str, int]:
    return {flag.code: codes.URGENCY_ORDER[flag.urgency] for flag in result.red_flags}


@SETTINGS
@given(aged_cases(), st.sampled_from(list(codes.RED_FLAGS)))
def test_urgency_never_drops_when_a_flag_is_added(case, flag):
    before = suggest(case)
    flagged = {**case, "red_flags": list(dict.fromkeys([*(case.get("red_flags") or []), flag]))}
    after = suggest(flagged)
    assert urgency_rank(after) <= urgency_rank(before)
    assert after.refer_out
    ranks = flag_ranks(after)
    for code, rank in flag_ranks(before).items():
        assert ranks[code] <= rank, code


@SETTINGS
@given(aged_cases(), st.sampled_from(list(codes.PRECAUTIONS)))
def test_urgency_never_drops_when_a_precaution_is_added(case, precaution):
    before = suggest(case)
    more = list(dict.fromkeys([*(case.get("precautions") or []), precaution]))
    after = suggest({**case, "precautions": more})
    assert urgency_rank(after) <= urgency_rank(before)


@SETTINGS
@given(aged_cases())
def test_red_flags_come_most_urgent_first_and_the_result_says_its_urgency(case):
    result = suggest(case)
    ranks = [codes.URGENCY_ORDER[flag.urgency] for flag in result.red_flags]
    assert ranks == sorted(ranks)
    assert result.urgency == (result.red_flags[0].urgency if result.red_flags else "")
    reported = set(case.get("red_flags") or ())
    assert reported <= {flag.code for flag in result.red_flags}


@SETTINGS
@given(aged_cases())
def test_cautions_only_name_reported_precautions_or_a_reported_pulsating_abdomen(case):
    result = suggest(case)
    allowed = set(case.get("precautions") or ())
    if "pulsating_abdomen" in (case.get("red_flags") or ()):
        allowed.add("pulsating_abdomen")
    for suggestion in result.suggestions:
        named = [caution.code for caution in suggestion.cautions]
        assert set(named) <= allowed
        assert len(named) == len(set(named)), "one caution per code"
        forbids = [caution.forbids for caution in suggestion.cautions]
        assert forbids == sorted(forbids, reverse=True)


@SETTINGS
@given(aged_cases())
def test_every_suggestion_has_reasons_sources_facts_and_a_group(case):
    for suggestion in suggest(case).suggestions:
        assert suggestion.reasons and suggestion.sources
        assert len(suggestion.facts) == len(suggestion.reasons)
        assert all(suggestion.facts)
        assert suggestion.group in GROUPS
        assert (suggestion.group == "explains") == bool(suggestion.explains)
        data = suggestion.to_dict()
        assert len(data["facts"]) == len(data["reasons"])


@SETTINGS
@given(aged_cases())
def test_the_founding_article_is_cited_only_for_its_five_muscles(case):
    for suggestion in suggest(case).suggestions:
        if not MUSCLES[suggestion.muscle].founding_article:
            assert not any("founding article" in source for source in suggestion.sources)
