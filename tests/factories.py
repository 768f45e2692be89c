"""Plain helpers that make records for tests."""

from datetime import date, timedelta

from django.utils import timezone

from intake.models import Client, Intake, PainLocation

ALL_FORM_STEPS = ["about", "health", "where", "pain", "safety", "goals"]


def make_client(user=None, **fields) -> Client:
    if user is not None:
        client = Client.for_user(user)
    else:
        client = Client.objects.create(legal_name=fields.pop("legal_name", "Walk In"))
    defaults = {
        "date_of_birth": date(1980, 5, 17),
        "phone": "020 7946 0123",
        "emergency_contact_name": "Pat Contact",
        "emergency_contact_phone": "020 7946 0456",
        "address": "2 Test Road",
    }
    for name, value in {**defaults, **fields}.items():
        setattr(client, name, value)
    client.save()
    return client


def make_draft(client: Client, steps_done=(), pain=(), **fields) -> Intake:
    intake = client.start_intake()
    intake.steps_done = list(steps_done)
    for name, value in fields.items():
        setattr(intake, name, value)
    intake.save()
    for region, side, intensity in pain:
        PainLocation.objects.create(intake=intake, region=region, side=side, intensity=intensity)
    return intake


def make_complete_draft(client: Client, **fields) -> Intake:
    answers = {
        "main_complaint": "Low back and buttock ache.",
        "pain_started_on": timezone.localdate() - timedelta(weeks=20),
        "current_pain": 6,
        "peg_pain": 5,
        "peg_enjoyment": 4,
        "peg_activity": 6,
        "symptoms": ["worse_upright"],
        "precautions": ["anticoagulants"],
        "treatment_areas": ["buttocks"],
        "goals": "Sleep through the night.",
    }
    answers.update(fields)
    pain = answers.pop("pain", [("buttock", "left", 6), ("low_back", "center", 5)])
    return make_draft(client, steps_done=ALL_FORM_STEPS, pain=pain, **answers)


def make_submitted(client: Client, **fields) -> Intake:
    intake = make_complete_draft(client, **fields)
    assert intake.submit(consent_name=client.legal_name)
    return intake


__all__ = ["Intake", "make_client", "make_draft", "make_complete_draft", "make_submitted"]
