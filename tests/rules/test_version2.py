"""Version 2 of the contract (safety screening) and the safety gaps of issue 10, one test each."""

import pytest

from intake.rules import (
    GROUPS,
    RulesInputError,
    client_advice,
    codes,
    flag_label,
    muscle_cautions,
    read_case,
    safety_net,
    suggest,
)
from intake.rules.knowledge import KNOWLEDGE, MUSCLES

from .helpers import by_code, pain, run
from .helpers import codes as muscle_codes

AGE_NOTE = "Age 50 or older with new back pain: screen for serious causes before treatment"
ABDOMINAL = ["iliopsoas", "rectus_abdominis", "abdominal_obliques"]


def flags(result) -> list[tuple[str, str]]:
    return [(flag.code, flag.urgency) for flag in result.red_flags]


def caution(result, muscle, code):
    found = [c for c in by_code(result)[muscle].cautions if c.code == code]
    return found[0] if found else None


# Age ---------------------------------------------------------------------------


@pytest.mark.parametrize("age", [0, 9, 50, 120])
def test_age_is_read_as_a_whole_number_of_years(age):
    assert read_case({"pain": [], "age": age}).age == age


def test_age_is_optional():
    assert read_case({"pain": []}).age is None
    assert read_case({"pain": [], "age": None}).age is None


@pytest.mark.parametrize("age", [-1, 121, 40.0, 40.5, True, "40", [40]])
def test_bad_age_is_the_same_clear_error_as_other_bad_input(age):
    with pytest.raises(RulesInputError) as caught:
        suggest({"pain": [], "age": age})
    assert (caught.value.field, caught.value.value) == ("age", age)
    assert str(caught.value).startswith("age: ")
    assert "0-120" in str(caught.value)


def test_gap_age_reaches_the_rules_a_child_gets_no_adult_output():
    result = run(pain("low_back", "center"), age=9)
    assert ("under_16", "refer") in flags(result)
    assert result.refer_out
    assert result.notes[0].id == "note.refer"


def test_gap_age_reaches_the_rules_new_back_pain_at_72_gets_a_note():
    result = run(pain("low_back", "center"), age=72, duration_weeks=3)
    assert AGE_NOTE in [note.text for note in result.notes]


# Red flags and urgency -----------------------------------------------------------


def test_pulsating_abdomen_is_an_emergency_flag_with_a_client_question():
    flag = codes.RED_FLAGS["pulsating_abdomen"]
    assert flag.urgency == "emergency"
    assert flag.question.endswith("?") and "belly" in flag.question
    assert "aneurysm" in flag.message
    result = run(pain("low_back", "center"), red_flags=["pulsating_abdomen"])
    assert flags(result) == [("pulsating_abdomen", "emergency")]
    assert result.notes[0].id == "note.emergency"


def test_both_legs_asks_about_numbness_or_weakness_not_pain():
    flag = codes.RED_FLAGS["both_legs"]
    assert flag.urgency == "emergency"
    assert "numbness or weakness in both legs" in flag.question
    assert "pain" not in flag.question.lower()
    assert "pain" not in flag.label.lower()


@pytest.mark.parametrize(
    "code", [code for code, flag in codes.RED_FLAGS.items() if flag.urgency == "emergency"]
)
def test_emergency_wording_says_now_go_to_an_emergency_department(code):
    message = codes.RED_FLAGS[code].message
    assert "now: go to an emergency department" in message
    assert "today" not in message


def test_three_urgency_levels_in_order():
    assert list(codes.URGENCY_ORDER) == ["emergency", "urgent", "refer"]
    assert list(codes.URGENCIES) == ["emergency", "urgent", "refer"]
    assert codes.URGENCIES["emergency"].meaning == "now: go to an emergency department"
    assert codes.URGENCIES["urgent"].meaning == "a doctor today, at the latest within 24 hours"
    assert codes.URGENCIES["refer"].meaning == "a doctor before any treatment"


def test_red_flags_are_listed_most_urgent_first():
    result = run(
        pain("calf", "left"),
        red_flags=["major_trauma", "saddle_numbness"],
        precautions=["dvt_history"],
    )
    assert flags(result) == [
        ("saddle_numbness", "emergency"),
        ("calf_clot_risk", "urgent"),
        ("major_trauma", "refer"),
    ]
    assert result.urgency == "emergency"


@pytest.mark.parametrize(
    ("fields", "note"),
    [
        ({"red_flags": ["leg_weakness"]}, "note.emergency"),
        ({"red_flags": ["fever_unwell", "immunosuppressed"]}, "note.urgent"),
        ({"red_flags": ["steroid_use"]}, "note.refer"),
    ],
)
def test_the_first_note_follows_the_most_urgent_level(fields, note):
    assert run(pain("low_back", "center"), **fields).notes[0].id == note


@pytest.mark.parametrize(
    ("red_flags", "urgency"),
    [([], ""), (["night_pain"], "refer"), (["cancer_history", "night_pain"], "urgent")],
)
def test_the_suggestion_says_its_urgency(red_flags, urgency):
    assert run(pain("low_back", "center"), red_flags=red_flags).urgency == urgency


# Client advice --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("urgency", "words"),
    [
        ("emergency", "go to an emergency department now"),
        ("urgent", "see a doctor today, at the latest within 24 hours"),
        ("refer", "see a doctor before any treatment"),
    ],
)
def test_client_advice_matches_each_urgency_level(urgency, words):
    advice = client_advice(urgency)
    assert advice.urgency == urgency
    assert words in advice.text.lower()
    assert "if you can" not in advice.text


def test_emergency_advice_names_the_clinics_emergency_number_when_configured():
    assert "call 112." in client_advice("emergency", "112").text
    assert "your local emergency number" in client_advice("emergency").text
    assert "{" not in client_advice("emergency").text


def test_every_client_gets_the_safety_net_advice():
    advice = safety_net("999")
    assert "999" in advice.text
    signs = " ".join(advice.signs)
    for words in ("genitals", "urine", "both legs", "belly", "calf"):
        assert words in signs
    assert "{" not in safety_net().text


# Combinations, as data -----------------------------------------------------------------


@pytest.mark.parametrize("with_", [["night_pain"], ["weight_loss"], ["night_pain", "weight_loss"]])
def test_gap_cancer_history_with_night_pain_or_weight_loss_is_urgent(with_):
    result = run(pain("low_back", "center"), red_flags=["cancer_history", *with_])
    assert {code for code, _ in flags(result)} == {"cancer_history", *with_}
    assert all(urgency == "urgent" for _, urgency in flags(result))
    assert all("spread to the spine" in flag.message for flag in result.red_flags)


@pytest.mark.parametrize(
    "red_flags", [["cancer_history"], ["night_pain", "weight_loss"], ["fever_unwell"]]
)
def test_a_single_flag_or_an_unlisted_pair_stays_refer(red_flags):
    result = run(pain("low_back", "center"), red_flags=red_flags)
    assert all(urgency == "refer" for _, urgency in flags(result))


def test_gap_fever_in_an_immunosuppressed_person_is_urgent():
    result = run(pain("low_back", "center"), red_flags=["fever_unwell", "immunosuppressed"])
    assert flags(result) == [("fever_unwell", "urgent"), ("immunosuppressed", "urgent")]
    assert all("spinal infection" in flag.message for flag in result.red_flags)


def test_a_combination_never_lowers_an_emergency():
    result = run(
        pain("low_back", "center"), red_flags=["cancer_history", "night_pain", "both_legs"]
    )
    assert flags(result)[0] == ("both_legs", "emergency")
    assert ("night_pain", "urgent") in flags(result)


def test_combinations_and_derived_flags_live_in_the_knowledge_data():
    assert {c.id for c in KNOWLEDGE.combinations} >= {
        "combination.cancer_spread",
        "combination.spinal_infection",
    }
    assert set(KNOWLEDGE.derived_flags) >= {"under_16", "calf_clot_risk"}


# Derived flags ---------------------------------------------------------------------


@pytest.mark.parametrize(("age", "flagged"), [(0, True), (15, True), (16, False), (None, False)])
def test_under_16_is_a_derived_refer_flag(age, flagged):
    result = run(pain("buttock", "left"), age=age)
    assert (("under_16", "refer") in flags(result)) is flagged
    if flagged:
        assert "parent or guardian" in result.red_flags[0].message


def test_under_16_refers_even_when_no_pain_was_marked():
    result = suggest({"pain": [], "age": 12})
    assert result.refer_out and result.suggestions == ()


@pytest.mark.parametrize("precaution", ["dvt_history", "recent_surgery", "pregnancy"])
@pytest.mark.parametrize("region", ["calf", "thigh_back"])
def test_gap_clot_risk_with_calf_or_thigh_pain_is_an_urgent_derived_flag(precaution, region):
    result = run(pain(region, "left"), precautions=[precaution])
    assert flags(result) == [("calf_clot_risk", "urgent")]
    assert "before any leg massage" in result.red_flags[0].message
    assert result.refer_out


@pytest.mark.parametrize(
    ("region", "precautions"),
    [("calf", []), ("calf", ["anticoagulants"]), ("thigh_side", ["dvt_history"])],
)
def test_no_clot_flag_without_both_the_risk_and_the_leg_pain(region, precautions):
    assert flags(run(pain(region, "left"), precautions=precautions)) == []


@pytest.mark.parametrize("code", ["under_16", "calf_clot_risk"])
def test_derived_flags_have_labels_and_messages(code):
    derived = KNOWLEDGE.derived_flags[code]
    assert derived.label and derived.message and derived.sources
    assert flag_label(code) == derived.label
    assert code not in codes.RED_FLAGS
    assert flag_label("saddle_numbness") == codes.RED_FLAGS["saddle_numbness"].label
    assert flag_label("unknown") == "unknown"


# The age 50 note: duration unknown is treated as new pain, to be safe -------------


@pytest.mark.parametrize(
    ("age", "weeks", "noted"),
    [
        (50, 0, True),
        (72, 11, True),
        (72, None, True),
        (72, 12, False),
        (49, 2, False),
        (None, 2, False),
    ],
)
def test_age_50_or_older_with_new_back_pain_gets_a_note(age, weeks, noted):
    result = run(pain("low_back", "center"), age=age, duration_weeks=weeks)
    texts = [note.text for note in result.notes]
    assert (AGE_NOTE in texts) is noted
    if noted:
        assert any(text.startswith(AGE_NOTE + " (") for text in result.to_dict()["notes"])


def test_age_50_note_needs_some_pain():
    assert AGE_NOTE not in [note.text for note in suggest({"pain": [], "age": 70}).notes]


# Cautions per muscle --------------------------------------------------------------


@pytest.mark.parametrize("code", ["pregnancy", "pulsating_abdomen", "anticoagulants"])
@pytest.mark.parametrize("muscle", ABDOMINAL)
def test_gap_deep_abdominal_work_is_forbidden_in_pregnancy_aneurysm_and_blood_thinners(
    code, muscle
):
    field = "red_flags" if code == "pulsating_abdomen" else "precautions"
    result = run(pain("lower_abdomen", "center"), pain("groin", "left"), **{field: [code]})
    found = caution(result, muscle, code)
    assert found is not None and found.forbids, muscle
    assert by_code(result)[muscle].forbidden


@pytest.mark.parametrize("muscle", ["gluteus_maximus", "quadratus_lumborum", "soleus"])
def test_blood_thinners_caution_any_muscle_worked_with_deep_pressure(muscle):
    result = run(pain("buttock", "left"), pain("calf", "left"), precautions=["anticoagulants"])
    found = caution(result, muscle, "anticoagulants")
    assert found is not None and not found.forbids
    assert "light pressure" in found.message.lower()


@pytest.mark.parametrize("muscle", ["soleus", "gastrocnemius", "hamstrings"])
def test_gap_a_past_clot_cautions_calf_and_thigh_muscles(muscle):
    result = run(pain("calf", "left"), pain("thigh_back", "left"), precautions=["dvt_history"])
    assert caution(result, muscle, "dvt_history") is not None
    assert ("calf_clot_risk", "urgent") in flags(result)
    assert caution(result, "gluteus_minimus", "dvt_history") is None


@pytest.mark.parametrize(
    ("muscle", "cautioned"),
    [
        ("quadratus_lumborum", True),
        ("multifidus", True),
        ("serratus_posterior_inferior", True),
        ("iliocostalis_thoracis", True),
        ("gluteus_maximus", False),
    ],
)
def test_osteoporosis_cautions_muscles_worked_over_the_ribs_or_spine(muscle, cautioned):
    result = run(
        pain("thoracolumbar", "center"), pain("buttock", "left"), precautions=["osteoporosis"]
    )
    assert (caution(result, muscle, "osteoporosis") is not None) is cautioned


@pytest.mark.parametrize(
    ("code", "pains", "muscle", "forbids"),
    [
        ("bone_metastases", [pain("low_back", "center")], "quadratus_lumborum", True),
        ("peripheral_neuropathy", [pain("calf", "left")], "soleus", False),
        ("hip_replacement", [pain("hip", "left")], "gluteus_medius", False),
        ("varicose_veins", [pain("calf", "left")], "gastrocnemius", False),
        ("lymphoedema", [pain("groin", "left")], "adductor_longus", False),
        ("hernia", [pain("groin", "left")], "iliopsoas", True),
        ("hernia", [pain("groin", "left")], "pectineus", False),
    ],
)
def test_new_precautions_have_specific_messages_and_muscle_cautions(code, pains, muscle, forbids):
    result = run(*pains, precautions=[code])
    assert [p.code for p in result.precautions] == [code]
    assert codes.PRECAUTIONS[code].message
    found = caution(result, muscle, code)
    assert found is not None and found.forbids is forbids
    assert found.message != codes.PRECAUTIONS[code].message


@pytest.mark.parametrize("code", ["skin_condition", "heart_condition"])
def test_precautions_about_the_whole_session_touch_no_muscle(code):
    result = run(pain("low_back", "center"), pain("groin", "left"), precautions=[code])
    assert all(s.cautions == () for s in result.suggestions)


def test_no_precaution_no_cautions():
    assert all(s.cautions == () for s in run(pain("low_back", "center")).suggestions)


def test_cautions_that_forbid_come_first_and_read_as_the_contract_says():
    result = run(pain("groin", "left"), precautions=["anticoagulants", "hip_replacement", "hernia"])
    cautions = by_code(result)["iliopsoas"].to_dict()["cautions"]
    assert [c["forbids"] for c in cautions] == sorted(
        (c["forbids"] for c in cautions), reverse=True
    )
    assert set(cautions[0]) == {"code", "message", "forbids", "fact"}
    assert {c["code"] for c in cautions} == {"anticoagulants", "hip_replacement", "hernia"}


# Groups and facts ------------------------------------------------------------------


def test_every_suggestion_has_a_group_explains_approach_or_hip_mover():
    result = run(pain("low_back", "left"), symptoms=["hip_stiffness"])
    found = by_code(result)
    assert found["quadratus_lumborum"].group == "explains"
    assert found["gluteus_maximus"].group == "approach"
    assert found["tensor_fasciae_latae"].group == "hip_mover"
    assert {s.group for s in result.suggestions} == set(GROUPS)
    for suggestion in result.suggestions:
        assert (suggestion.group == "explains") == bool(suggestion.explains)


def test_facts_are_the_ids_behind_the_reasons_in_the_same_order():
    result = run(pain("buttock", "left"), symptoms=["worse_sitting"], age=30)
    known = {id for m in MUSCLES.values() for id in m.fact_ids()} | set(KNOWLEDGE.reasons)
    for suggestion in result.suggestions:
        assert len(suggestion.facts) == len(suggestion.reasons)
        assert [r.id for r in suggestion.reasons] == list(suggestion.facts)
        assert set(suggestion.facts) <= known
        data = suggestion.to_dict()
        assert data["facts"] == list(suggestion.facts)
        assert len(data["reasons"]) == len(data["facts"])
    piriformis = by_code(result)["piriformis"]
    assert piriformis.facts == ("piriformis.referral", "piriformis.sign.worse_sitting")


def test_muscle_codes_in_results_are_knowledge_codes():
    result = run(pain("thigh_front", "left"), pain("leg_side", "left"))
    assert set(muscle_codes(result)) <= set(MUSCLES)


def test_cautions_of_a_muscle_added_by_hand_match_those_of_a_suggestion():
    reported = ["pregnancy", "anticoagulants"]
    result = run(pain("groin", "left"), precautions=reported)
    assert muscle_cautions("iliopsoas", reported) == by_code(result)["iliopsoas"].cautions
    assert muscle_cautions("iliopsoas", []) == ()
    assert muscle_cautions("no_such_muscle", reported) == ()
