"""The intake as FHIR R4 resources: the Questionnaire, one QuestionnaireResponse, a Bundle.

Plain dicts ready for ``json.dumps``; the tests validate them with the
``fhir.resources`` package, which the clinic does not need at run time.

Question texts come from the step forms, so the Questionnaire says what the
client read; answer options carry our codes with their labels. Its version is
a hash of its items: it changes whenever a question, an option or a code does.
"""

import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.db.models import QuerySet

from clearances.records import document_reference
from intake import forms
from intake.exports.batches import in_batches
from intake.exports.snomed import (
    LATERALITY_CONCEPTS,
    laterality_coding,
    local_coding,
    region_coding,
)
from intake.labels import readable
from intake.models import Client, Intake
from intake.rules import codes
from intake.steps import STEPS_BY_NAME

FHIR_BASE = "https://clinic-intake.example/fhir"
QUESTIONNAIRE_ID = "intake"
QUESTIONNAIRE_URL = f"{FHIR_BASE}/Questionnaire/{QUESTIONNAIRE_ID}"
CLIENT_ID_SYSTEM = f"{FHIR_BASE}/NamingSystem/client-id"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
# Intakes read and prefetched at a time by the ZIP export.
BATCH_SIZE = 200

# The key of an answer of each item type (QuestionnaireResponse.item.answer.value[x]).
ANSWER_KEYS = {
    "string": "valueString",
    "text": "valueString",
    "date": "valueDate",
    "integer": "valueInteger",
    "boolean": "valueBoolean",
    "choice": "valueCoding",
}


@dataclass(frozen=True, slots=True)
class Question:
    """A question of a step form; ``field`` is its form field and the model field it fills."""

    field: str
    type: str
    required: bool = False
    # For choices: the code table (our CodeSystem name) and its code -> label.
    table: str = ""
    options: tuple[tuple[str, str], ...] = ()


def _options(table: dict) -> tuple[tuple[str, str], ...]:
    return tuple((code, row.label) for code, row in table.items())


QUESTIONS: dict[str, tuple[type, list[Question]]] = {
    "about": (
        forms.AboutYouForm,
        [
            Question("legal_name", "string", required=True),
            Question("preferred_name", "string"),
            Question("date_of_birth", "date", required=True),
            Question("email", "string", required=True),
            Question("phone", "string", required=True),
            Question("address", "text"),
            Question("emergency_contact_name", "string", required=True),
            Question("emergency_contact_phone", "string", required=True),
        ],
    ),
    "health": (
        forms.HealthForm,
        [
            Question("conditions", "text"),
            Question("medications", "text"),
            Question("allergies", "text"),
            Question("surgeries", "text"),
            Question(
                "precautions", "choice", table="precaution", options=_options(codes.PRECAUTIONS)
            ),
        ],
    ),
    "pain": (
        forms.PainForm,
        [
            Question("main_complaint", "text", required=True),
            Question("pain_started_on", "date", required=True),
            Question("current_pain", "integer", required=True),
            Question("peg_pain", "integer", required=True),
            Question("peg_enjoyment", "integer", required=True),
            Question("peg_activity", "integer", required=True),
            Question("symptoms", "choice", table="symptom", options=_options(codes.SYMPTOMS)),
        ],
    ),
    "goals": (
        forms.GoalsForm,
        [
            Question("goals", "text"),
            Question(
                "treatment_areas",
                "choice",
                table="treatment-area",
                options=tuple(Intake.TreatmentArea.choices),
            ),
        ],
    ),
}

# A question's linkId is its step and its field ("pain.current_pain"): unique, and readable.
BODY_MAP = "where.pain_location"
RED_FLAG_PREFIX = "safety."
# The consent form's fields have their own names; the intake keeps them as these.
CONSENT = {"agree": "review.consent_agreed", "signature": "review.consent_name"}


def questionnaire() -> dict:
    """The intake questionnaire: one group per step, in the order the client fills them in."""
    items = _questionnaire_items()
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": QUESTIONNAIRE_URL,
        "version": _version(items),
        "name": "ClinicIntake",
        "title": "Intake questionnaire",
        "status": "active",
        "subjectType": ["Patient"],
        "item": items,
    }


def questionnaire_response(intake: Intake) -> dict:
    """One intake's answers; ``completed`` once submitted, ``in-progress`` while a draft."""
    client = intake.client
    groups = [
        _group_answer("about", _field_answers("about", client)),
        _group_answer("health", _field_answers("health", intake)),
        _group_answer("where", _body_map_answers(intake)),
        _group_answer("pain", _field_answers("pain", intake)),
        _group_answer("safety", _red_flag_answers(intake)),
        _group_answer("goals", _field_answers("goals", intake)),
        _group_answer("review", _consent_answers(intake)),
    ]
    authored = intake.submitted_at or intake.updated_at
    return {
        "resourceType": "QuestionnaireResponse",
        "id": f"intake-{intake.pk}",
        "contained": [_patient(client)],
        "questionnaire": f"{QUESTIONNAIRE_URL}|{_version(_questionnaire_items())}",
        "status": "in-progress" if intake.is_draft else "completed",
        "subject": {"reference": "#client", "display": client.legal_name},
        "authored": authored.isoformat(),
        "source": {"reference": "#client"},
        "item": [group for group in groups if group is not None],
    }


def fhir_bundle(intake: Intake) -> dict:
    """A collection Bundle with the Questionnaire and the intake's QuestionnaireResponse."""
    response = questionnaire_response(intake)
    # The doctor's clearance letters: the subject is the client by their local id only.
    subject = {"identifier": {"system": CLIENT_ID_SYSTEM, "value": str(intake.client_id)}}
    letters = [document_reference(letter, subject) for letter in intake.clearance_letters.all()]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": QUESTIONNAIRE_URL, "resource": questionnaire()},
            {
                "fullUrl": f"{FHIR_BASE}/QuestionnaireResponse/{response['id']}",
                "resource": response,
            },
            *(
                {"fullUrl": f"{FHIR_BASE}/DocumentReference/{letter['id']}", "resource": letter}
                for letter in letters
            ),
        ],
    }


# The Questionnaire


def intakes_fhir_zip(intakes: Iterable[Intake]) -> bytes:
    """The ZIP of ``write_intakes_fhir_zip`` as bytes, for a few intakes."""
    buffer = io.BytesIO()
    write_intakes_fhir_zip(intakes, buffer)
    return buffer.getvalue()


def write_intakes_fhir_zip(intakes: Iterable[Intake], out: BinaryIO, progress=None) -> None:
    """Write each submitted intake as a FHIR R4 Bundle, with the Questionnaire they answer,
    into a ZIP. A queryset is read BATCH_SIZE intakes at a time, so memory does not grow
    with their number; ``progress(count)`` is called after each batch."""
    if isinstance(intakes, QuerySet):
        intakes = (
            intakes.select_related("client")
            .prefetch_related("pain_locations", "clearance_letters")
            .iterator(chunk_size=BATCH_SIZE)
        )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Questionnaire-intake.json", json.dumps(questionnaire(), indent=2))
        for intake in in_batches(intakes, BATCH_SIZE, progress):
            archive.writestr(
                f"Bundle-intake-{intake.pk}.json", json.dumps(fhir_bundle(intake), indent=2)
            )


def _questionnaire_items() -> list[dict]:
    return [
        _group("about", _field_items("about")),
        _group("health", _field_items("health")),
        _group("where", [_body_map_item()]),
        _group("pain", _field_items("pain")),
        _group("safety", _red_flag_items()),
        _group("goals", _field_items("goals")),
        _group("review", _consent_items()),
    ]


def _group(step: str, items: list[dict]) -> dict:
    return {"linkId": step, "text": STEPS_BY_NAME[step].title, "type": "group", "item": items}


def _field_items(step: str) -> list[dict]:
    form_class, questions = QUESTIONS[step]
    items = []
    for question in questions:
        item = _item(
            f"{step}.{question.field}",
            str(form_class.base_fields[question.field].label),
            question.type,
            question.required,
        )
        if question.type == "integer":  # every number the client gives is a 0-10 rating
            item["extension"] = _range(0, 10)
        if question.options:
            item["repeats"] = True
            item["answerOption"] = [
                {"valueCoding": local_coding(question.table, code, label)}
                for code, label in question.options
            ]
        items.append(item)
    return items


def _body_map_item() -> dict:
    place = _item(BODY_MAP, "A place where it hurts", "group", required=True)
    place["repeats"] = True
    region = _item(f"{BODY_MAP}.region", "Where on the body", "choice", required=True)
    region["answerOption"] = [{"valueCoding": region_coding(code)} for code in codes.REGIONS]
    # No laterality for the midline: the question is left unanswered there.
    laterality = _item(f"{BODY_MAP}.laterality", "Which side", "choice")
    laterality["answerOption"] = [
        {"valueCoding": laterality_coding(side)} for side in LATERALITY_CONCEPTS
    ]
    intensity = _item(f"{BODY_MAP}.intensity", "How bad, 0 to 10", "integer", required=True)
    intensity["extension"] = _range(0, 10)
    place["item"] = [region, laterality, intensity]
    return place


def _red_flag_items() -> list[dict]:
    items = []
    for code, flag in codes.RED_FLAGS.items():
        item = _item(f"{RED_FLAG_PREFIX}{code}", flag.question, "boolean", required=True)
        item["code"] = [local_coding("red-flag", code, flag.label)]
        items.append(item)
    return items


def _consent_items() -> list[dict]:
    fields = forms.ConsentForm.base_fields
    return [
        _item(CONSENT["agree"], str(fields["agree"].label), "boolean", required=True),
        _item(CONSENT["signature"], str(fields["signature"].label), "string", required=True),
    ]


def _item(link_id: str, text: str, item_type: str, required: bool = False) -> dict:
    item = {"linkId": link_id, "text": text, "type": item_type}
    if required:
        item["required"] = True
    return item


def _range(low: int, high: int) -> list[dict]:
    return [{"url": MIN_VALUE, "valueInteger": low}, {"url": MAX_VALUE, "valueInteger": high}]


def _version(items: list[dict]) -> str:
    canonical = json.dumps(items, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(canonical).hexdigest()[:12]


# The QuestionnaireResponse


def _group_answer(step: str, items: list[dict]) -> dict | None:
    if not items:
        return None
    return {"linkId": step, "text": STEPS_BY_NAME[step].title, "item": items}


def _field_answers(step: str, source: Client | Intake) -> list[dict]:
    _, questions = QUESTIONS[step]
    answered = []
    for question in questions:
        answers = _answers(question, getattr(source, question.field))
        if answers:
            answered.append({"linkId": f"{step}.{question.field}", "answer": answers})
    return answered


def _answers(question: Question, value) -> list[dict]:
    if value is None or value == "" or value == []:
        return []
    key = ANSWER_KEYS[question.type]
    if question.type == "choice":
        labels = dict(question.options)
        return [
            {key: local_coding(question.table, code, labels.get(code) or readable(code))}
            for code in value
        ]
    if question.type == "date":
        return [{key: value.isoformat()}]
    return [{key: value}]


def _body_map_answers(intake: Intake) -> list[dict]:
    places = []
    for location in intake.pain_locations.all():
        items = [{"linkId": f"{BODY_MAP}.region", "answer": [{"valueCoding": _region(location)}]}]
        laterality = laterality_coding(location.side)
        if laterality is not None:
            items.append(
                {"linkId": f"{BODY_MAP}.laterality", "answer": [{"valueCoding": laterality}]}
            )
        items.append(
            {"linkId": f"{BODY_MAP}.intensity", "answer": [{"valueInteger": location.intensity}]}
        )
        places.append({"linkId": BODY_MAP, "item": items})
    return places


def _region(location) -> dict:
    if location.region in codes.REGIONS:
        return region_coding(location.region)
    return local_coding("region", location.region, location.region)


def _red_flag_answers(intake: Intake) -> list[dict]:
    # A draft that has not reached the safety step has not answered these yet.
    if intake.is_draft and "safety" not in intake.steps_done:
        return []
    return [
        {
            "linkId": f"{RED_FLAG_PREFIX}{code}",
            "answer": [{"valueBoolean": code in intake.red_flags}],
        }
        for code in codes.RED_FLAGS
    ]


def _consent_answers(intake: Intake) -> list[dict]:
    if not intake.consent_agreed:
        return []
    return [
        {"linkId": CONSENT["agree"], "answer": [{"valueBoolean": True}]},
        {"linkId": CONSENT["signature"], "answer": [{"valueString": intake.consent_name}]},
    ]


def _patient(client: Client) -> dict:
    patient = {
        "resourceType": "Patient",
        "id": "client",
        "identifier": [{"system": CLIENT_ID_SYSTEM, "value": str(client.pk)}],
        "name": [{"text": client.legal_name}],
    }
    if client.date_of_birth is not None:
        patient["birthDate"] = client.date_of_birth.isoformat()
    return patient
