"""A stored intake always renders, even with codes that have since left the code tables."""

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from clearances.models import Clearance
from intake.models import Intake, PainLocation, PlanMuscle, TreatmentPlan
from tests.factories import make_client, make_submitted
from tests.review.test_plan_pdf import weasyprint_missing

RETIRED = {
    "symptom": "tingling_at_dusk",
    "red_flag": "night_sweats_retired",
    "precaution": "hip_resurfacing",
    "region": "lateral_knee",
    "muscle": "popliteus_minor",
}


def retire(intake: Intake) -> Intake:
    """Give a submitted intake codes that no table holds any longer, as an old record might."""
    suggestion = dict(intake.suggestion)
    suggestion["red_flags"] = [
        {"code": RETIRED["red_flag"], "urgency": "refer", "message": "See a doctor first."}
    ]
    suggestion["precautions"] = [
        {"code": RETIRED["precaution"], "message": "Avoid deep pressure over the hip."}
    ]
    suggestion["suggestions"] = [
        {
            "muscle": RETIRED["muscle"],
            "name": "Popliteus minor",
            "rank": 1,
            "score": 0.5,
            "sides": ["left"],
            "explains": [RETIRED["region"]],
            "reasons": ["Refers pain behind the knee."],
            "sources": ["an old textbook"],
        },
        *suggestion["suggestions"],
    ]
    Intake.objects.filter(pk=intake.pk).update(
        symptoms=[*intake.symptoms, RETIRED["symptom"]],
        red_flags=[RETIRED["red_flag"]],
        red_flag_urgency="refer",
        precautions=[*intake.precautions, RETIRED["precaution"]],
        suggestion=suggestion,
    )
    PainLocation.objects.create(intake=intake, region=RETIRED["region"], side="left", intensity=4)
    return Intake.objects.get(pk=intake.pk)


@pytest.fixture
def person(alice, tara):
    record = make_client(alice, legal_name="Alice Archer", assigned_therapist=tara)
    make_submitted(record)  # an earlier intake, so "what changed" has something to compare
    return record


@pytest.fixture
def intake(person):
    return retire(make_submitted(person))


@pytest.fixture
def plan(intake, tara):
    plan = TreatmentPlan.start_for(intake, by=tara)
    # Its (retired) red flag puts it on hold until a doctor's clearance is recorded.
    Clearance.objects.create(
        intake=intake,
        doctor_name="Dr Rivera",
        practice="Riverside Practice",
        cleared_on=timezone.localdate(),
        recorded_by=tara,
    )
    PlanMuscle.objects.update_or_create(
        plan=plan,
        muscle=RETIRED["muscle"],
        defaults={"sides": ["left"], "position": 0, "included": True},
    )
    plan.approve(by=tara)
    return plan


def test_the_review_page_shows_retired_codes_readably(client, tara, intake):
    client.force_login(tara)
    response = client.get(reverse("intake:intake_review", args=[intake.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Hip resurfacing" in text
    assert "Lateral knee" in text


def test_the_clients_own_answers_page_renders(client, alice, intake):
    client.force_login(alice)
    response = client.get(reverse("intake:intake_detail", args=[intake.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tingling at dusk" in text
    assert "Hip resurfacing" in text


def test_the_history_renders(client, tara, intake):
    client.force_login(tara)
    response = client.get(reverse("intake:client_history", args=[intake.client_id]))
    assert response.status_code == 200


def test_the_plan_pages_and_pdf_render(client, tara, alice, plan):
    client.force_login(tara)
    assert client.get(reverse("intake:plan_detail", args=[plan.pk])).status_code == 200
    pdf = client.get(reverse("intake:plan_pdf", args=[plan.pk]))
    assert pdf.status_code == (503 if weasyprint_missing() else 200)
    client.force_login(alice)
    assert client.get(reverse("intake:client_plan", args=[plan.pk])).status_code == 200


def test_the_exports_render(client, adam, intake):
    client.force_login(adam)
    selected = {"_selected_action": [intake.client_id]}
    url = reverse("admin:intake_client_changelist")
    started = [client.post(url, {**selected, "action": action}) for action in EXPORTS]
    started.append(
        client.post(
            reverse("admin:intake_intake_changelist"),
            {"_selected_action": [intake.pk], "action": "export_intake_fhir"},
        )
    )
    for response in started:  # each export is a job, with a page and its file
        job = resolve(response.url).kwargs["pk"]
        assert client.get(response.url).status_code == 200
        download = client.get(reverse("jobs:job_download", args=[job]))
        assert download["Content-Type"] == "application/zip"


EXPORTS = ["export_records", "export_client_fhir"]


def test_the_admin_pages_render(client, adam, intake):
    client.force_login(adam)
    assert client.get(reverse("admin:intake_intake_change", args=[intake.pk])).status_code == 200
    assert client.get(reverse("admin:intake_intake_changelist")).status_code == 200


@pytest.mark.parametrize(
    ("kind", "code", "attr", "expected"),
    [
        ("region", "buttock", "label", "Buttock"),
        ("precaution", "anticoagulants", "label", "Blood thinners or bleeding disorder"),
        ("muscle", "piriformis", "name", "Piriformis"),
        ("symptom", "tingling_at_dusk", "client_label", "Tingling at dusk"),
        ("red_flag", "night_sweats_retired", "question", "Night sweats retired"),
        ("region", "", "label", ""),
    ],
)
def test_label_for(kind, code, attr, expected):
    from intake import labels

    assert labels.label_for(kind, code, attr) == expected
