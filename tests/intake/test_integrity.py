"""What the questionnaire guarantees about the data it keeps, outside of races."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from intake.models import Intake
from tests.factories import make_client, make_complete_draft, make_submitted


def step_url(intake, step):
    return reverse("intake:intake_step", args=[intake.pk, step])


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def draft(alice):
    return make_complete_draft(make_client(alice, legal_name="Alice Archer"))


def test_a_crafted_post_of_one_symptom_many_times_stores_it_once(alice_client, draft):
    data = {
        "main_complaint": "Back ache.",
        "pain_started_on": "2026-01-05",
        "current_pain": "6",
        "peg_pain": "5",
        "peg_enjoyment": "4",
        "peg_activity": "6",
        "symptoms": ["worse_sitting"] * 990 + ["worse_upright", "worse_sitting"],
    }
    assert alice_client.post(step_url(draft, "pain"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.symptoms == ["worse_upright", "worse_sitting"]

    response = alice_client.post(
        step_url(draft, "review"), {"agree": "on", "signature": "Alice Archer"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Intake.Status.SUBMITTED


@pytest.mark.parametrize(
    ("step", "field", "value"),
    [
        ("health", "precautions", "anticoagulants"),
        ("goals", "treatment_areas", "buttocks"),
    ],
)
def test_every_checkbox_list_is_stored_without_repeats(alice_client, draft, step, field, value):
    assert alice_client.post(step_url(draft, step), {field: [value] * 50}).status_code == 302
    draft.refresh_from_db()
    assert getattr(draft, field) == [value]


def test_repeats_stored_before_the_fix_do_not_stop_a_submission(alice_client, draft):
    Intake.objects.filter(pk=draft.pk).update(symptoms=["worse_upright"] * 3)
    response = alice_client.post(
        step_url(draft, "review"), {"agree": "on", "signature": "Alice Archer"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Intake.Status.SUBMITTED


def test_a_step_posted_to_a_sent_intake_changes_nothing_and_says_so(alice_client, alice):
    intake = make_submitted(make_client(alice, legal_name="Alice Archer"), goals="Walk")
    response = alice_client.post(step_url(intake, "goals"), {"goals": "Run"}, follow=True)
    assert "already been sent" in response.content.decode()
    intake.refresh_from_db()
    assert intake.goals == "Walk" and intake.status == Intake.Status.SUBMITTED


def test_duration_counts_weeks_in_the_clinics_time_zone(settings, alice):
    settings.TIME_ZONE = "Australia/Sydney"
    intake = make_complete_draft(
        make_client(alice), pain_started_on=date(2026, 3, 11) - timedelta(weeks=12)
    )
    # 07:00 on 11 March in Sydney is still 10 March in UTC.
    sydney_morning = datetime(2026, 3, 11, 7, 0, tzinfo=ZoneInfo("Australia/Sydney"))
    intake.submitted_at = sydney_morning.astimezone(UTC)  # as the database gives it back
    assert intake.duration_weeks == 12
    assert intake.rules_case()["duration_weeks"] == 12


@pytest.mark.django_db
def test_the_database_refuses_a_sent_intake_whose_red_flags_have_no_urgency(alice):
    intake = make_submitted(make_client(alice), red_flags=["saddle_numbness"])
    assert intake.red_flag_urgency == "emergency"
    with pytest.raises(IntegrityError), transaction.atomic():
        Intake.objects.filter(pk=intake.pk).update(red_flag_urgency="")


@pytest.mark.django_db
def test_the_database_refuses_a_sent_intake_without_signature_or_snapshot(alice):
    intake = make_submitted(make_client(alice))
    for wiped in [{"submitted_at": None}, {"consent_agreed": False}, {"suggestion": None}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Intake.objects.filter(pk=intake.pk).update(**wiped)
