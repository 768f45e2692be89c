"""A step's post writes each row it changes once, and no row it leaves as it was."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.models import Intake
from tests.conftest import signed_in
from tests.factories import ALL_FORM_STEPS, make_client, make_draft
from tests.intake.test_questionnaire import ABOUT, GOALS, HEALTH, PAIN, SAFETY, WHERE, step_url


def updates_of(captured, table: str) -> int:
    return sum(q["sql"].startswith(f'UPDATE "{table}"') for q in captured.captured_queries)


@pytest.mark.parametrize(
    ("step", "data", "field", "expected"),
    [
        ("health", HEALTH, "medications", "Warfarin"),
        ("pain", PAIN, "current_pain", 6),
        ("safety", SAFETY, "red_flags", ["night_pain"]),
        ("goals", GOALS, "goals", "Sleep well"),
    ],
)
def test_a_steps_answers_and_progress_are_one_write_of_the_intake(
    alice, step, data, field, expected
):
    before = ALL_FORM_STEPS[: ALL_FORM_STEPS.index(step)]
    intake = make_draft(make_client(alice), steps_done=before, pain=[("buttock", "left", 6)])
    with CaptureQueriesContext(connection) as captured:
        response = signed_in(alice).post(step_url(intake, step), data)
    assert response.status_code == 302
    assert updates_of(captured, "intake_intake") == 1
    intake = Intake.objects.get(pk=intake.pk)
    assert getattr(intake, field) == expected
    assert step in intake.steps_done


def test_about_you_writes_the_clients_details_only_when_they_change(alice):
    client = make_client(alice)
    intake = make_draft(client)
    browser = signed_in(alice)
    browser.post(step_url(intake, "about"), ABOUT)
    client.refresh_from_db()
    assert client.legal_name == "Alice Archer" and client.preferred_name == "Ali"

    intake.steps_done = []
    intake.save()
    as_saved = {**ABOUT, "legal_name": "Alice Archer"}
    with CaptureQueriesContext(connection) as captured:
        response = browser.post(step_url(intake, "about"), as_saved)
    assert response.status_code == 302
    assert updates_of(captured, "intake_client") == 0
    assert updates_of(captured, "intake_intake") == 1
    assert "about" in Intake.objects.get(pk=intake.pk).steps_done

    with CaptureQueriesContext(connection) as captured:
        browser.post(step_url(intake, "about"), {**as_saved, "phone": "020 7946 0999"})
    assert updates_of(captured, "intake_client") == 1
    client.refresh_from_db()
    assert client.phone == "020 7946 0999"


def test_the_body_maps_post_reads_the_saved_places_once(alice):
    intake = make_draft(
        make_client(alice), steps_done=["about", "health"], pain=[("neck", "center", 3)]
    )
    with CaptureQueriesContext(connection) as captured:
        response = signed_in(alice).post(step_url(intake, "where"), WHERE)
    assert response.status_code == 302
    listing = f'WHERE "intake_painlocation"."intake_id" = {intake.pk}'
    reads = [q["sql"] for q in captured.captured_queries if listing in q["sql"]]
    assert len(reads) == 1, reads
    assert updates_of(captured, "intake_intake") == 1
    places = {(p.region, p.side, p.intensity) for p in intake.pain_locations.all()}
    assert places == {("buttock", "left", 6), ("low_back", "center", 5)}


@pytest.mark.parametrize("step", ["about", "pain", "goals"])
def test_a_post_reads_the_whole_intake_only_under_its_lock(alice, step):
    """Before the lock, a post reads only what decides whether it may go on (whose intake,
    still a draft, which steps are done); the answers are read under the lock, and by the
    audit log for what changed, and no more."""
    data = {"about": ABOUT, "pain": PAIN, "goals": GOALS}[step]
    before = ALL_FORM_STEPS[: ALL_FORM_STEPS.index(step)]
    intake = make_draft(make_client(alice), steps_done=before, pain=[("buttock", "left", 6)])
    with CaptureQueriesContext(connection) as captured:
        response = signed_in(alice).post(step_url(intake, step), data)
    assert response.status_code == 302
    reads = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "intake_intake"')
    ]
    whole = [sql for sql in reads if '"intake_intake"."medications"' in sql]
    assert len(whole) == 2, reads
