"""The client's questionnaire end to end through the test client."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import Intake
from intake.rules import suggest
from tests.conftest import PASSWORD
from tests.factories import make_client, make_complete_draft, make_draft

ABOUT = {
    "legal_name": "Alice  Archer",
    "preferred_name": "Ali",
    "date_of_birth": "1985-04-02",
    "email": "alice@example.com",
    "phone": "+44 20 7946 0000",
    "address": "1 High Street",
    "emergency_contact_name": "Sam Archer",
    "emergency_contact_phone": "020 7946 0001",
}
HEALTH = {
    "conditions": "Asthma",
    "medications": "Warfarin",
    "allergies": "",
    "surgeries": "",
    "precautions": ["anticoagulants"],
}
WHERE = {
    "pain-buttock-left": "on",
    "intensity-buttock-left": "6",
    "pain-low_back-center": "on",
    "intensity-low_back-center": "",
}
PAIN = {
    "main_complaint": "Low back and left buttock ache.",
    "pain_started_on": (timezone.localdate() - timedelta(weeks=20)).isoformat(),
    "current_pain": "6",
    "peg_pain": "5",
    "peg_enjoyment": "4",
    "peg_activity": "6",
    "symptoms": ["worse_upright", "braces_with_arms"],
}
SAFETY = {
    "saddle_numbness": "no",
    "bladder_bowel_change": "no",
    "both_legs": "no",
    "leg_weakness": "no",
    "fever_unwell": "no",
    "weight_loss": "no",
    "cancer_history": "no",
    "major_trauma": "no",
    "night_pain": "yes",
    "steroid_use": "no",
    "immunosuppressed": "no",
    "pulsating_abdomen": "no",
}
GOALS = {"goals": "Sleep well", "treatment_areas": ["buttocks"]}
STEP_DATA = [
    ("about", ABOUT),
    ("health", HEALTH),
    ("where", WHERE),
    ("pain", PAIN),
    ("safety", SAFETY),
    ("goals", GOALS),
]


def step_url(intake, step):
    return reverse("intake:intake_step", args=[intake.pk, step])


def start(client) -> Intake:
    response = client.post(reverse("intake:intake_start"))
    assert response.status_code == 302
    return Intake.objects.latest("pk")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def test_a_whole_intake_from_start_to_submission(alice_client, alice):
    intake = start(alice_client)
    assert alice_client.get(reverse("intake:intake_resume", args=[intake.pk])).url == step_url(
        intake, "about"
    )
    for position, (step, data) in enumerate(STEP_DATA):
        response = alice_client.post(step_url(intake, step), data)
        assert response.status_code == 302, response.context["form"].errors
        following = STEP_DATA[position + 1][0] if position + 1 < len(STEP_DATA) else "review"
        assert response.url == step_url(intake, following)

    review = alice_client.get(step_url(intake, "review"))
    page = review.content.decode()
    for text in ["Alice Archer", "Warfarin", "Buttock, left", "Low back, middle", "Sleep well"]:
        assert text in page
    assert "constant at night" in page  # the yes answer

    response = alice_client.post(
        step_url(intake, "review"), {"agree": "on", "signature": "alice archer"}
    )
    assert response.url == reverse("intake:intake_detail", args=[intake.pk])
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.consent_agreed and intake.consent_name == "alice archer"
    assert intake.red_flags == ["night_pain"]
    assert intake.client.legal_name == "Alice Archer"
    assert intake.duration_weeks == 20
    assert {(p.region, p.side, p.intensity) for p in intake.pain_locations.all()} == {
        ("buttock", "left", 6),
        ("low_back", "center", 5),
    }


def test_the_snapshot_is_the_rules_result_for_the_stored_answers(alice):
    intake = make_complete_draft(make_client(alice), red_flags=["cancer_history"])
    assert intake.submit(consent_name="Alice Archer")
    intake.refresh_from_db()
    expected = suggest(intake.rules_case())
    assert intake.suggestion == expected.to_dict()
    assert intake.ruleset == expected.ruleset
    assert intake.suggestion["refer_out"] is True
    assert intake.suggestion["suggestions"]


def test_submitting_twice_gives_one_submission_and_a_friendly_page(alice_client, alice):
    intake = make_complete_draft(make_client(alice, legal_name="Alice Archer"))
    data = {"agree": "on", "signature": "Alice Archer"}
    first = alice_client.post(step_url(intake, "review"), data)
    intake.refresh_from_db()
    submitted_at = intake.submitted_at
    second = alice_client.post(step_url(intake, "review"), data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "already" in second.content.decode() or "no longer be changed" in second.content.decode()
    intake.refresh_from_db()
    assert intake.submitted_at == submitted_at
    assert Intake.objects.filter(client__user=alice).count() == 1


def test_submit_needs_consent_and_the_signature(alice_client, alice):
    intake = make_complete_draft(make_client(alice, legal_name="Alice Archer"))
    response = alice_client.post(step_url(intake, "review"), {"signature": "Someone Else"})
    form = response.context["form"]
    assert "agree" in form.errors
    assert "Alice Archer" in form.errors["signature"][0]
    intake.refresh_from_db()
    assert intake.is_draft


def test_a_submitted_intake_is_read_only(alice_client, alice):
    intake = make_complete_draft(make_client(alice, legal_name="Alice Archer"))
    intake.submit(consent_name="Alice Archer")
    response = alice_client.post(step_url(intake, "pain"), {**PAIN, "main_complaint": "Changed"})
    assert response.url == reverse("intake:intake_detail", args=[intake.pk])
    intake.refresh_from_db()
    assert intake.main_complaint != "Changed"
    detail = alice_client.get(response.url).content.decode()
    assert "Low back and buttock ache." in detail
    assert "quadratus" not in detail.lower()  # suggestions are for the therapist


def test_steps_cannot_be_skipped(alice_client, alice):
    intake = make_draft(make_client(alice), steps_done=["about"])
    response = alice_client.get(step_url(intake, "safety"))
    assert response.url == step_url(intake, "health")
    assert alice_client.get(step_url(intake, "about")).status_code == 200


def test_unknown_step_is_404(alice_client, alice):
    intake = make_draft(make_client(alice))
    assert alice_client.get(step_url(intake, "nonsense")).status_code == 404


def test_a_failed_step_keeps_what_was_typed_and_says_what_is_wrong(alice_client, alice):
    intake = make_draft(make_client(alice), steps_done=["about", "health", "where"])
    bad = {**PAIN, "current_pain": "11", "pain_started_on": "2999-01-01"}
    response = alice_client.post(step_url(intake, "pain"), bad)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["current_pain"] == ["Please choose a number from 0 to 10."]
    assert "future" in errors["pain_started_on"][0]
    page = response.content.decode()
    assert "Low back and left buttock ache." in page
    intake.refresh_from_db()
    assert "pain" not in intake.steps_done and intake.main_complaint == ""


def test_resume_after_signing_out_and_in(client, alice):
    client.force_login(alice)
    intake = start(client)
    client.post(step_url(intake, "about"), ABOUT)
    client.post(step_url(intake, "health"), HEALTH)
    client.post(reverse("logout"))

    client.post(reverse("login"), {"login": "alice@example.com", "password": PASSWORD})
    home = client.get(reverse("intake:client_home")).content.decode()
    assert "2 of 7 steps done" in home
    response = client.post(reverse("intake:intake_start"))  # "Continue my intake"
    assert client.get(response.url).url == step_url(intake, "where")
    assert "Warfarin" in client.get(step_url(intake, "health")).content.decode()
    assert Intake.objects.count() == 1


def test_finish_later_saves_and_goes_home(alice_client, alice):
    intake = make_draft(make_client(alice))
    response = alice_client.post(step_url(intake, "about"), {**ABOUT, "finish_later": "1"})
    assert response.url == reverse("intake:client_home")
    intake.refresh_from_db()
    assert intake.steps_done == ["about"]


def test_urls_carry_no_client_data(alice_client, alice):
    intake = start(alice_client)
    for step, data in STEP_DATA:
        response = alice_client.post(step_url(intake, step), data)
        for value in ["Alice", "Archer", "alice@", "Warfarin", "1985"]:
            assert value not in response.url


def test_new_intake_is_prefilled_from_the_last_submitted_one(alice_client, alice):
    client_record = make_client(alice, legal_name="Alice Archer")
    first = make_complete_draft(
        client_record, medications="Warfarin", conditions="Asthma", precautions=["pregnancy"]
    )
    first.submit(consent_name="Alice Archer")

    response = alice_client.post(reverse("intake:intake_start"), follow=True)
    assert "filled in your details" in response.content.decode()
    new = Intake.objects.drafts().get(client=client_record)
    assert new.pk != first.pk
    assert (new.medications, new.conditions, new.precautions) == (
        "Warfarin",
        "Asthma",
        ["pregnancy"],
    )
    assert new.main_complaint == "" and not new.pain_locations.exists()
    about = alice_client.get(step_url(new, "about")).content.decode()
    assert 'value="Alice Archer"' in about and 'value="020 7946 0123"' in about


def test_an_emergency_answer_tells_the_client_to_go_to_emergency_now(alice_client, alice):
    intake = make_draft(make_client(alice), steps_done=["about", "health", "where", "pain"])
    alice_client.post(step_url(intake, "safety"), {**SAFETY, "bladder_bowel_change": "yes"})
    page = alice_client.get(step_url(intake, "goals")).content.decode()
    assert "Go to an emergency department now" in page
    assert "today" not in page.split("emergency department now")[1].split("</div>")[0]


def test_a_refer_answer_says_a_doctor_may_need_to_see_them(alice_client, alice):
    intake = make_draft(make_client(alice), steps_done=["about", "health", "where", "pain"])
    alice_client.post(step_url(intake, "safety"), SAFETY)  # night pain: refer
    page = alice_client.get(step_url(intake, "goals")).content.decode()
    assert "See a doctor before treatment" in page
    assert "emergency department now" not in page


def test_no_safety_advice_when_every_answer_is_no(alice_client, alice):
    intake = make_draft(make_client(alice), steps_done=["about", "health", "where", "pain"])
    alice_client.post(step_url(intake, "safety"), {**SAFETY, "night_pain": "no"})
    page = alice_client.get(step_url(intake, "goals")).content.decode()
    assert "doctor" not in page.lower()
