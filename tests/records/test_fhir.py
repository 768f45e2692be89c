"""The FHIR export validated as R4 by fhir.resources 6.4.0, the last release whose
default package is FHIR 4.0.1 (6.5 moved to R4B, 7 and later to R5)."""

import fhir.resources
import pytest
from fhir.resources.bundle import Bundle
from fhir.resources.questionnaire import Questionnaire
from fhir.resources.questionnaireresponse import QuestionnaireResponse

from intake.exports import fhir_bundle, questionnaire, questionnaire_response
from intake.exports.fhir import ANSWER_KEYS, QUESTIONNAIRE_URL
from intake.exports.snomed import LATERALITY_CONCEPTS, REGION_CONCEPTS, SNOMED_CT
from intake.rules import codes
from tests.factories import make_client, make_draft, make_submitted

LEFT, RIGHT, BOTH = "7771000", "24028007", "51440002"


@pytest.fixture
def intake(db, alice):
    client = make_client(
        alice, legal_name="Ann Archer", preferred_name="Ann", email="ann@example.com"
    )
    return make_submitted(
        client,
        conditions="Asthma",
        medications="Inhaler",
        allergies="Latex",
        surgeries="Appendix, 2004",
        pain=[
            ("buttock", "left", 6),
            ("low_back", "center", 5),
            ("hip", "both", 4),
            ("thigh_back", "right", 3),
        ],
        symptoms=["worse_upright", "hip_stiffness"],
        red_flags=["night_pain"],
        precautions=["anticoagulants"],
        treatment_areas=["buttocks", "abdomen"],
    )


def items_by_link_id(items: list[dict], found: dict | None = None) -> dict[str, dict]:
    found = {} if found is None else found
    for item in items:
        found[item["linkId"]] = item
        items_by_link_id(item.get("item", []), found)
    return found


def answered(items: list[dict], path: tuple[str, ...] = ()):
    """(path of linkIds, item) for every item of a response, groups included."""
    for item in items:
        here = (*path, item["linkId"])
        yield here, item
        yield from answered(item.get("item", []), here)


def question_paths(items: list[dict], path: tuple[str, ...] = ()):
    for item in items:
        here = (*path, item["linkId"])
        yield here
        yield from question_paths(item.get("item", []), here)


def test_the_package_validates_fhir_r4():
    assert fhir.resources.__fhir_version__ == "4.0.1"


def test_the_questionnaire_is_valid_r4():
    resource = Questionnaire.parse_obj(questionnaire())

    assert resource.status == "active"
    assert resource.url == QUESTIONNAIRE_URL
    assert resource.version == questionnaire()["version"]
    assert [group.linkId for group in resource.item] == [
        "about",
        "health",
        "where",
        "pain",
        "safety",
        "goals",
        "review",
    ]
    assert all(group.type == "group" and group.text for group in resource.item)
    link_ids = list(question_paths(questionnaire()["item"]))
    assert len({path[-1] for path in link_ids}) == len(link_ids)


def test_the_questions_are_typed():
    items = items_by_link_id(questionnaire()["item"])

    assert items["about.legal_name"]["type"] == "string"
    assert items["about.address"]["type"] == "text"
    assert items["about.date_of_birth"]["type"] == "date"
    assert items["pain.current_pain"]["type"] == "integer"
    assert [e["valueInteger"] for e in items["pain.current_pain"]["extension"]] == [0, 10]
    assert items["safety.saddle_numbness"]["type"] == "boolean"
    assert items["safety.saddle_numbness"]["text"] == codes.RED_FLAGS["saddle_numbness"].question
    assert items["review.consent_agreed"]["type"] == "boolean"
    symptoms = items["pain.symptoms"]
    assert (symptoms["type"], symptoms["repeats"]) == ("choice", True)
    assert [o["valueCoding"]["code"] for o in symptoms["answerOption"]] == list(codes.SYMPTOMS)
    assert symptoms["answerOption"][0]["valueCoding"]["system"] == (
        "https://clinic-intake.example/fhir/CodeSystem/symptom"
    )
    assert items["where.pain_location"]["repeats"] is True
    assert items["where.pain_location.intensity"]["type"] == "integer"


def test_the_body_map_offers_every_region_with_snomed_where_mapped():
    items = items_by_link_id(questionnaire()["item"])
    options = [o["valueCoding"] for o in items["where.pain_location.region"]["answerOption"]]

    assert len(options) == len(codes.REGIONS)
    by_code = {option["code"]: option for option in options}
    assert by_code["46862004"] == {
        "system": SNOMED_CT,
        "code": "46862004",
        "display": "Buttock structure",
    }
    assert by_code["thigh_back"]["system"].endswith("/CodeSystem/region")
    sides = [
        o["valueCoding"]["code"] for o in items["where.pain_location.laterality"]["answerOption"]
    ]
    assert sides == [LEFT, RIGHT, BOTH]


def test_the_response_and_the_bundle_are_valid_r4(intake):
    response = QuestionnaireResponse.parse_obj(questionnaire_response(intake))
    bundle = Bundle.parse_obj(fhir_bundle(intake))

    assert response.status == "completed"
    assert response.questionnaire == f"{QUESTIONNAIRE_URL}|{questionnaire()['version']}"
    assert response.authored.isoformat() == intake.submitted_at.isoformat()
    assert bundle.type == "collection"
    assert [entry.resource.resource_type for entry in bundle.entry] == [
        "Questionnaire",
        "QuestionnaireResponse",
    ]
    assert len({entry.fullUrl for entry in bundle.entry}) == 2


def test_the_subject_is_the_contained_client_with_only_its_local_id(intake):
    response = questionnaire_response(intake)
    (patient,) = response["contained"]

    assert response["subject"] == {"reference": "#client", "display": "Ann Archer"}
    assert patient["id"] == "client"
    assert patient["identifier"] == [
        {
            "system": "https://clinic-intake.example/fhir/NamingSystem/client-id",
            "value": str(intake.client.pk),
        }
    ]


def test_every_answer_has_a_question_of_its_type_at_the_same_place(intake):
    form = questionnaire()
    paths = set(question_paths(form["item"]))
    items = items_by_link_id(form["item"])

    for path, item in answered(questionnaire_response(intake)["item"]):
        assert path in paths, path
        question = items[item["linkId"]]
        if question["type"] == "group":
            assert "answer" not in item
            continue
        assert item["answer"], path
        assert len(item["answer"]) == 1 or question.get("repeats"), path
        options = [o["valueCoding"] for o in question.get("answerOption", [])]
        for answer in item["answer"]:
            assert list(answer) == [ANSWER_KEYS[question["type"]]], path
            if options:
                assert answer["valueCoding"] in options, path


def test_a_complete_intake_answers_every_question(intake):
    questions = {
        link_id
        for link_id, item in items_by_link_id(questionnaire()["item"]).items()
        if item["type"] != "group"
    }
    answers = {
        item["linkId"]
        for _, item in answered(questionnaire_response(intake)["item"])
        if "answer" in item
    }

    assert answers == questions


def test_the_answers_are_the_stored_ones(intake):
    items = {}
    for _, item in answered(questionnaire_response(intake)["item"]):
        items.setdefault(item["linkId"], []).append(item)

    def values(link_id):
        return [list(a.values())[0] for item in items[link_id] for a in item["answer"]]

    assert values("about.legal_name") == ["Ann Archer"]
    assert values("about.date_of_birth") == ["1980-05-17"]
    assert values("pain.current_pain") == [6]
    assert values("pain.pain_started_on") == [intake.pain_started_on.isoformat()]
    assert [c["code"] for c in values("pain.symptoms")] == ["worse_upright", "hip_stiffness"]
    assert [c["code"] for c in values("goals.treatment_areas")] == ["buttocks", "abdomen"]
    assert values("safety.night_pain") == [True]
    assert values("safety.saddle_numbness") == [False]
    assert values("review.consent_name") == ["Ann Archer"]


def test_the_body_map_answers_carry_snomed_codes_and_laterality(intake):
    places = [
        {child["linkId"].rpartition(".")[2]: child["answer"][0] for child in item["item"]}
        for _, item in answered(questionnaire_response(intake)["item"])
        if item["linkId"] == "where.pain_location"
    ]
    summary = [
        (
            place["region"]["valueCoding"]["code"],
            place.get("laterality", {}).get("valueCoding", {}).get("code"),
            place["intensity"]["valueInteger"],
        )
        for place in places
    ]

    assert summary == [
        ("46862004", LEFT, 6),
        ("37822005", None, 5),
        ("29836001", BOTH, 4),
        ("thigh_back", RIGHT, 3),
    ]
    assert places[0]["region"]["valueCoding"]["system"] == SNOMED_CT


def test_a_draft_is_in_progress_and_still_valid(db, alice):
    draft = make_draft(make_client(alice), pain=[("coccyx", "center", 2)])
    response = questionnaire_response(draft)

    QuestionnaireResponse.parse_obj(response)
    assert response["status"] == "in-progress"
    assert "safety" not in [group["linkId"] for group in response["item"]]


def test_the_questionnaire_and_its_version_are_the_same_every_time():
    assert questionnaire() == questionnaire()
    assert len(questionnaire()["version"]) == 12


# The Verhoeff check digit of SNOMED CT identifiers catches a mistyped code.
VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def verhoeff_valid(number: str) -> bool:
    check = 0
    for position, digit in enumerate(reversed(number)):
        check = VERHOEFF_D[check][VERHOEFF_P[position % 8][int(digit)]]
    return check == 0


@pytest.mark.parametrize(
    "concept", [*REGION_CONCEPTS.values(), *LATERALITY_CONCEPTS.values()], ids=str
)
def test_every_snomed_code_is_a_well_formed_concept_id(concept):
    assert concept.code.isdigit()
    assert verhoeff_valid(concept.code)
    # The partition identifier "00": a concept, not a description or relationship.
    assert concept.code[-3:-1] == "00"


def test_no_two_regions_share_a_snomed_code():
    assert set(REGION_CONCEPTS) <= set(codes.REGIONS)
    assert len({c.code for c in REGION_CONCEPTS.values()}) == len(REGION_CONCEPTS)
