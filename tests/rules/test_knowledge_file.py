"""The knowledge file: a clinician edits the data alone, and a mistake names the fact."""

import copy

import pytest

from intake.rules import KnowledgeError, load_knowledge, suggest
from intake.rules.knowledge import DEFAULT_PATH, read_data

from .helpers import pain

DATA = read_data()

NEW_MUSCLE = {
    "code": "quadratus_femoris",
    "name": "Quadratus femoris",
    "laterality": {"id": "quadratus_femoris.laterality", "kind": "same", "sources": ["ts2_ch10"]},
    "worked": {
        "id": "quadratus_femoris.worked",
        "tags": ["deep_pressure", "around_hip_joint"],
        "sources": ["ts2_ch10"],
    },
    "commonness": {
        "id": "quadratus_femoris.commonness",
        "grade": "uncommon",
        "sources": ["clinic_judgement"],
        "reviewed_by": "A. Clinician, clinical lead",
        "reviewed_on": "2026-12-01",
    },
    "referral": [
        {
            "id": "quadratus_femoris.referral",
            "primary": ["buttock"],
            "spillover": ["thigh_back"],
            "sources": ["ts2_ch10"],
        }
    ],
    "sign": [
        {
            "id": "quadratus_femoris.sign.worse_sitting",
            "symptom": "worse_sitting",
            "text": "Sitting presses on it",
            "sources": ["ts2_ch10"],
        }
    ],
}

NEW_MUSCLE_TOML = """
[[muscle]]
code = "quadratus_femoris"
name = "Quadratus femoris"
laterality = { id = "quadratus_femoris.laterality", kind = "same", sources = ["ts2_ch10"] }
worked = { id = "quadratus_femoris.worked", tags = ["deep_pressure"], sources = ["ts2_ch10"] }

[muscle.commonness]
id = "quadratus_femoris.commonness"
grade = "uncommon"
sources = ["clinic_judgement"]

[[muscle.referral]]
id = "quadratus_femoris.referral"
primary = ["buttock"]
sources = ["ts2_ch10"]

[[muscle.sign]]
id = "quadratus_femoris.sign.worse_sitting"
symptom = "worse_sitting"
text = "Sitting presses on it"
sources = ["ts2_ch10"]
"""


def edited(edit):
    data = copy.deepcopy(DATA)
    edit(data)
    return data


def muscle(data, code):
    return next(m for m in data["muscle"] if m["code"] == code)


def test_a_clinician_adds_a_muscle_by_editing_the_data_alone():
    knowledge = load_knowledge(edited(lambda d: d["muscle"].append(NEW_MUSCLE)))
    case = {"pain": [pain("buttock", "left")], "symptoms": ["worse_sitting"]}
    result = suggest(case, knowledge=knowledge)
    added = next(s for s in result.suggestions if s.muscle == "quadratus_femoris")
    assert added.explains == ("buttock",) and added.group == "explains"
    assert added.facts == ("quadratus_femoris.referral", "quadratus_femoris.sign.worse_sitting")
    assert knowledge.muscles["quadratus_femoris"].commonness.review.reviewed_by.startswith("A.")
    assert result.ruleset != suggest(case).ruleset
    assert "quadratus_femoris" not in {s.muscle for s in suggest(case).suggestions}


def test_a_clinician_adds_a_muscle_to_a_copy_of_the_toml_file(tmp_path):
    path = tmp_path / "knowledge.toml"
    path.write_text(DEFAULT_PATH.read_text() + NEW_MUSCLE_TOML)
    result = suggest({"pain": [pain("buttock", "left")]}, knowledge=load_knowledge(path))
    assert "quadratus_femoris" in {s.muscle for s in result.suggestions}


def test_a_clinician_changes_a_referral_zone_and_the_ranking_follows():
    case = {"pain": [pain("groin", "left")]}
    assert suggest(case).suggestions[0].muscle == "iliopsoas"

    def demote(data):
        referral = muscle(data, "iliopsoas")["referral"][0]
        referral["primary"] = ["low_back", "sacroiliac", "thigh_front"]
        referral["spillover"] = ["groin"]

    result = suggest(case, knowledge=load_knowledge(edited(demote)))
    ranks = {s.muscle: s.rank for s in result.suggestions}
    assert ranks["iliopsoas"] > ranks["adductor_longus"]


def test_a_clinician_adds_a_caution_rule_in_the_data():
    rule = {
        "id": "caution.skin_condition.groin",
        "code": "skin_condition",
        "tags": ["groin"],
        "forbids": True,
        "message": "Not over broken skin in the groin.",
        "sources": ["werner_2019"],
    }
    knowledge = load_knowledge(edited(lambda d: d["caution"].append(rule)))
    case = {"pain": [pain("groin", "left")], "precautions": ["skin_condition"]}
    cautions = {s.muscle: s.cautions for s in suggest(case, knowledge=knowledge).suggestions}
    assert cautions["pectineus"][0].fact == "caution.skin_condition.groin"
    assert cautions["pectineus"][0].forbids


def set_in(path, value):
    """An edit that sets data[path...] = value; paths use muscle codes for muscles."""

    def edit(data):
        target = data
        for step in path[:-1]:
            target = (
                muscle(data, step)
                if step in {m["code"] for m in data["muscle"]}
                else (target[step])
            )
        target[path[-1]] = value

    return edit


BAD = [
    # (edit, the message starts with, and contains)
    (
        set_in(("piriformis", "referral", 0, "primary"), ["buttock", "knee"]),
        "piriformis.referral:",
        "'knee' is not a region",
    ),
    (
        set_in(("piriformis", "referral", 0, "sources"), ["ts2_ch99"]),
        "piriformis.referral:",
        "'ts2_ch99' is not a source code",
    ),
    (
        set_in(("piriformis", "referral", 0, "sources"), []),
        "piriformis.referral:",
        "cite at least one source",
    ),
    (
        set_in(("iliopsoas", "referral", 0, "sources"), ["article"]),
        "iliopsoas.referral:",
        "founding article names only five muscles",
    ),
    (
        set_in(("piriformis", "referral", 0, "primry"), ["buttock"]),
        "piriformis.referral:",
        "unknown field 'primry'",
    ),
    (
        set_in(("piriformis", "referral", 0, "spillover"), ["buttock"]),
        "piriformis.referral:",
        "both primary and spillover",
    ),
    (
        set_in(("piriformis", "sign", 0, "id"), "piriformis.referral"),
        "piriformis.sign #1:",
        "used twice",
    ),
    (
        set_in(("piriformis", "sign", 0, "symptom"), "itchy"),
        "piriformis.sign.worse_sitting:",
        "'itchy' is not a symptom code",
    ),
    (
        set_in(("soleus", "commonness", "grade"), "often"),
        "soleus.commonness:",
        "grade must be one of",
    ),
    (
        set_in(("soleus", "worked", "tags"), ["gentle"]),
        "soleus.worked:",
        "'gentle' is not a work tag",
    ),
    (
        set_in(("soleus", "laterality", "kind"), "opposite"),
        "soleus.laterality:",
        "kind must be one of",
    ),
    (
        lambda d: muscle(d, "soleus")["commonness"].update(
            reviewed_by="A. Clinician", reviewed_on="last week"
        ),
        "soleus.commonness:",
        "reviewed_on must be a date",
    ),
    (
        set_in(("soleus", "commonness", "reviewed_on"), "2026-12-01"),
        "soleus.commonness:",
        "reviewed_by must be a name",
    ),
    (
        set_in(("caution", 0, "code"), "pregnant"),
        "caution.pulsating_abdomen.deep_abdominal:",
        "not a precaution or red flag code",
    ),
    (
        set_in(("caution", 0, "forbids"), "yes"),
        "caution.pulsating_abdomen.deep_abdominal:",
        "forbids must be true or false",
    ),
    (
        set_in(("combination", 0, "urgency"), "soon"),
        "combination.cancer_spread:",
        "urgency must be one of",
    ),
    (
        set_in(("combination", 0, "when"), {"red_flags_all": ["cancer"]}),
        "combination.cancer_spread.when:",
        "'cancer' is not a red flag",
    ),
    (
        set_in(("derived_flag", 0, "code"), "saddle_numbness"),
        "derived.under_16:",
        "already a red flag",
    ),
    (
        set_in(("derived_flag", 0, "when"), {"age_below": -3}),
        "derived.under_16.when:",
        "whole number >= 0",
    ),
    (
        lambda d: d["note"].pop(1),
        "note.emergency:",
        "the engine needs this",
    ),
    (
        lambda d: d["source"].append({"code": "unused", "short": "x", "citation": "y"}),
        "source unused:",
        "cited by no fact",
    ),
    (lambda d: d.update(schema=1), "knowledge:", "schema must be 2"),
    (
        lambda d: d["muscle"].append(copy.deepcopy(d["muscle"][-1])),
        "obturator_internus:",
        "listed twice",
    ),
]


@pytest.mark.parametrize(("edit", "prefix", "words"), BAD)
def test_a_mistake_in_the_data_is_a_clear_error_naming_the_fact(edit, prefix, words):
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(edited(edit))
    message = str(caught.value)
    assert message.startswith(prefix), message
    assert words in message
    assert "\n" not in message


def test_a_file_that_is_not_toml_is_a_clear_error(tmp_path):
    path = tmp_path / "knowledge.toml"
    path.write_text("[[muscle]\ncode = ")
    with pytest.raises(KnowledgeError, match=r"^knowledge\.toml: not valid TOML"):
        load_knowledge(path)


def test_the_shipped_file_loads_and_every_fact_is_reviewed():
    knowledge = load_knowledge()
    assert knowledge.review.reviewed_by and knowledge.review.reviewed_on
    assert len(knowledge.muscles) >= 28
