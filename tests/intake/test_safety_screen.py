"""The rules' safety screen (contract version 2) as clients and therapists meet it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.exports.record import client_record
from intake.rules import codes
from tests.conftest import signed_in
from tests.factories import make_client, make_complete_draft, make_submitted


def years_before(today: date, years: int) -> date:
    return today.replace(year=today.year - years)


def step_url(intake, step):
    return reverse("intake:intake_step", args=[intake.pk, step])


@pytest.fixture
def alice_client(alice):
    return signed_in(alice)


def test_the_age_on_the_day_of_submission_reaches_the_rules(alice):
    today = timezone.localdate()
    client = make_client(alice, date_of_birth=years_before(today, 9) + timedelta(days=1))
    intake = make_submitted(client, red_flags=[])
    assert intake.rules_case()["age"] == 8
    flags = {flag["code"]: flag["urgency"] for flag in intake.suggestion["red_flags"]}
    assert flags == {"under_16": "refer"}
    assert intake.red_flag_urgency == "refer"


def test_new_back_pain_at_72_gets_the_screening_note(alice):
    client = make_client(alice, date_of_birth=years_before(timezone.localdate(), 72))
    intake = make_submitted(
        client, pain_started_on=timezone.localdate() - timedelta(weeks=3), red_flags=[]
    )
    assert any("Age 50 or older with new back pain" in note for note in intake.suggestion["notes"])


def test_a_client_without_a_date_of_birth_is_screened_without_an_age(alice):
    intake = make_submitted(make_client(alice, date_of_birth=None), red_flags=[])
    assert "age" not in intake.rules_case()
    assert intake.suggestion["red_flags"] == []


def test_the_safety_step_asks_the_aneurysm_and_reworded_both_legs_questions(alice_client, alice):
    intake = make_complete_draft(make_client(alice))
    page = alice_client.get(step_url(intake, "safety")).content.decode()
    assert codes.RED_FLAGS["pulsating_abdomen"].question in page
    both_legs = codes.RED_FLAGS["both_legs"].question.lower()
    assert "numbness or weakness" in both_legs and "pain" not in both_legs


def test_a_combination_the_rules_escalate_reaches_the_clients_advice(alice_client, alice):
    intake = make_submitted(
        make_client(alice, legal_name="Alice Archer"),
        red_flags=["cancer_history", "night_pain"],
    )
    assert intake.red_flag_urgency == "urgent"
    page = alice_client.get(reverse("intake:intake_detail", args=[intake.pk])).content.decode()
    assert "See a doctor today" in page
    assert "within 24 hours" in page


def test_emergency_advice_says_now_with_the_clinics_number(settings, alice_client, alice):
    settings.CLINIC_EMERGENCY_NUMBER = "000"
    intake = make_submitted(make_client(alice), red_flags=["saddle_numbness"])
    page = alice_client.get(reverse("intake:intake_detail", args=[intake.pk])).content.decode()
    assert "Go to an emergency department now" in page
    assert "call 000" in page


def test_every_client_gets_the_advice_on_when_to_get_emergency_help(alice_client, alice):
    intake = make_submitted(make_client(alice), red_flags=[])
    page = alice_client.get(reverse("intake:intake_detail", args=[intake.pk])).content.decode()
    assert "When to get emergency help" in page
    for sign in codes.SAFETY_NET_SIGNS:
        assert sign in page.replace("&#x27;", "'")
    review = make_complete_draft(make_client(alice))
    assert (
        "When to get emergency help"
        in alice_client.get(step_url(review, "review")).content.decode()
    )


@pytest.fixture
def therapist(tara):
    return signed_in(tara)


def review_page(therapist, intake) -> str:
    return therapist.get(reverse("intake:intake_review", args=[intake.pk])).content.decode()


def test_the_review_page_groups_muscles_shows_cautions_and_no_percentages(therapist, db):
    intake = make_submitted(
        make_client(legal_name="Ann Archer"),
        pain=[("low_back", "center", 6), ("groin", "left", 5)],
        precautions=["pregnancy"],
        red_flags=[],
    )
    page = review_page(therapist, intake)
    assert "Explains the client&#x27;s pain" in page
    assert "Brought in by the combined approach" in page
    assert "Do not work as usual (Pregnancy" in page or "Do not work as usual (" in page
    assert "%</span>" not in page and "progressbar" not in page


def test_urgent_flags_are_listed_above_refer_flags(therapist, db):
    intake = make_submitted(
        make_client(legal_name="Ann Archer"),
        red_flags=["major_trauma", "fever_unwell", "immunosuppressed"],
    )
    page = review_page(therapist, intake)
    assert page.index("Urgent</span>") < page.index("Refer</span>")
    assert "see a doctor today" in page


def test_exports_keep_the_urgency_the_rules_gave(db):
    client = make_client(legal_name="Ann Archer")
    make_submitted(client, red_flags=["cancer_history", "weight_loss"])
    flags = client_record(client)["intakes"][0]["answers"]["red_flags"]
    assert {flag["code"]: flag["urgency"] for flag in flags} == {
        "cancer_history": "urgent",
        "weight_loss": "urgent",
    }
