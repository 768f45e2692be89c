"""The home-care handout data and how a client's precautions override its advice."""

import datetime

import pytest

from intake.rules.handouts import (
    HANDOUTS,
    HandoutError,
    as_text,
    handout,
    load_handouts,
    read_handouts,
)
from intake.rules.knowledge import MUSCLES


def test_every_muscle_a_therapist_can_plan_has_advice_with_sources_and_a_review():
    plannable = {code for code, muscle in MUSCLES.items() if muscle.internal_only is None}
    assert set(HANDOUTS.advice) == plannable
    for advice in HANDOUTS.advice.values():
        assert advice.sources and advice.reviewed_by
        assert isinstance(advice.reviewed_on, datetime.date)


def test_the_handout_follows_the_planned_muscles_in_their_order():
    sheet = handout(["piriformis", "quadratus_lumborum", "piriformis"], [])
    assert [s.muscle for s in sheet.sections] == ["piriformis", "quadratus_lumborum"]
    piriformis = sheet.sections[0]
    assert piriformis.refers_to == ("Sacroiliac joint", "Buttock", "Outside of the hip")
    assert piriformis.text and piriformis.self_pressure and piriformis.avoid
    assert not piriformis.cautions
    assert any("ch. 10" in citation for citation in sheet.sources)


def test_muscles_without_advice_are_left_out():
    assert handout(["levator_ani"], []).sections == ()


@pytest.mark.parametrize(
    ("muscle", "reported", "kept_stretch"),
    [
        # No self-pressure on the calf or thigh with a clot history.
        ("gastrocnemius", ["dvt_history"], True),
        ("hamstrings", ["dvt_history"], True),
        ("soleus", ["recent_surgery"], True),
        # No pressing with blood thinners where the muscle is worked deeply.
        ("gluteus_medius", ["anticoagulants"], True),
        # Nothing on their own over bone metastases: the stretch goes too.
        ("quadratus_lumborum", ["bone_metastases"], False),
    ],
)
def test_a_precaution_takes_out_what_it_rules_out(muscle, reported, kept_stretch):
    (section,) = handout([muscle], reported).sections
    assert section.self_pressure is None
    assert (section.text is not None) is kept_stretch
    assert section.cautions


def test_no_abdominal_self_pressure_in_pregnancy_and_its_caution_is_shown():
    sheet = handout(["iliopsoas", "rectus_abdominis", "gastrocnemius"], ["pregnancy"])
    for section in sheet.sections:
        assert section.self_pressure is None
        assert any("pregnant" in caution for caution in section.cautions)
    assert "Self-pressure" not in as_text(sheet)


def test_a_precaution_that_does_not_touch_the_muscle_changes_nothing():
    (plain,) = handout(["piriformis"], []).sections
    (with_clot,) = handout(["piriformis"], ["dvt_history"]).sections
    assert plain == with_clot


def test_the_text_version_names_every_part():
    text = as_text(handout(["gastrocnemius"], ["dvt_history"]))
    assert text.startswith("GASTROCNEMIUS\nWhere it sends pain: calf.")
    assert "Take care: You have had a blood clot" in text
    assert "Self-pressure" not in text and "Stretch:" in text and "Avoid:" in text


def _data(**changes) -> dict:
    entry = {
        "id": "handout.piriformis",
        "muscle": "piriformis",
        "text": "Stretch.",
        "avoid": "Sitting.",
        "sources": ["ts2_ch10"],
    }
    entry.update(changes)
    return {
        "schema": 1,
        "review": {"reviewed_by": "Reviewer", "reviewed_on": datetime.date(2026, 11, 28)},
        "handout": [entry],
    }


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sources": ["nowhere"]}, "handout.piriformis: sources: 'nowhere' is not a [[source]]"),
        ({"muscle": "biceps"}, "handout.piriformis: muscle: 'biceps' is not a muscle"),
        ({"txet": "typo"}, "handout.piriformis: unknown field 'txet'"),
        ({"avoid": ""}, "handout.piriformis: 'avoid' must be a sentence"),
        ({"sources": []}, "handout.piriformis: 'sources' must list at least one source"),
    ],
)
def test_a_broken_entry_is_named_when_the_file_is_read(changes, message):
    with pytest.raises(HandoutError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_handouts(_data(**changes))


def test_a_caution_must_name_a_precaution_and_parts_it_removes():
    data = _data()
    data["caution"] = [
        {
            "id": "c",
            "code": "pregnancy",
            "removes": ["massage"],
            "text": "x",
            "sources": ["ts2_ch10"],
        }
    ]
    with pytest.raises(HandoutError, match="c: 'removes'"):
        read_handouts(data)


def test_the_shipped_file_loads():
    assert load_handouts().advice.keys() == HANDOUTS.advice.keys()
