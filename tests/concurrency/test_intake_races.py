"""Races on the client's questionnaire, with real concurrent transactions on PostgreSQL.

The deterministic tests hold the intake's (or client's) row lock from another connection, queue
the requests behind it in a known order, then let go; the barrier tests fire the requests at the
same moment. Either way a submitted intake must stay submitted, agree with its own answers, and
keep every change the client was told was saved.
"""

import threading

import pytest
from django.urls import reverse

from intake.models import Client, Intake
from tests.concurrency.helpers import (
    postgresql_only,
    raise_server_errors,
    row_lock,
    start,
    wait_for_lock_waiters,
)
from tests.conftest import signed_in
from tests.factories import make_client, make_complete_draft

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]


def safety_answers(**yes) -> dict:
    from intake.rules import codes

    return {code: ("yes" if code in yes else "no") for code in codes.RED_FLAGS}


def step_url(intake: Intake, step: str) -> str:
    return reverse("intake:intake_step", args=[intake.pk, step])


def sign(intake: Intake) -> dict:
    return {"agree": "on", "signature": intake.client.legal_name}


@pytest.fixture
def tab(alice):
    """A new browser tab of Alice's: each request thread needs its own test client."""
    return lambda: raise_server_errors(signed_in(alice))


@pytest.fixture
def draft(alice):
    client = make_client(alice, legal_name="Alice Archer")
    return make_complete_draft(client, red_flags=[], goals="Sleep through the night.")


def assert_consistent(intake: Intake) -> None:
    """A submitted intake agrees with its own answers: signature, snapshot and red flags."""
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.submitted_at is not None
    assert intake.consent_agreed and intake.consent_name == "Alice Archer"
    assert intake.suggestion is not None and intake.ruleset
    flagged = {flag["code"] for flag in intake.suggestion["red_flags"]}
    assert set(intake.red_flags) <= flagged
    assert bool(intake.red_flags) <= bool(intake.red_flag_urgency)


def test_step_saved_while_submit_waits_does_not_revert_the_submission(tab, draft):
    with row_lock(Intake, draft.pk):
        submit = start(tab(), "post", step_url(draft, "review"), sign(draft))
        wait_for_lock_waiters(1)
        goals = start(tab(), "post", step_url(draft, "goals"), {"goals": "Run a 10k"})
        wait_for_lock_waiters(2)
    assert submit.result().status_code == 302
    goals_response = goals.result()
    assert goals_response.status_code == 302
    assert goals_response.url == reverse("intake:intake_detail", args=[draft.pk])

    draft.refresh_from_db()
    assert_consistent(draft)
    assert draft.goals == "Sleep through the night."  # the late step changed nothing


def test_safety_answer_after_submit_cannot_hide_behind_a_submitted_intake(tab, draft):
    with row_lock(Intake, draft.pk):
        submit = start(tab(), "post", step_url(draft, "review"), sign(draft))
        wait_for_lock_waiters(1)
        safety = start(
            tab(), "post", step_url(draft, "safety"), safety_answers(saddle_numbness=True)
        )
        wait_for_lock_waiters(2)
    submit.result(), safety.result()

    draft.refresh_from_db()
    assert_consistent(draft)
    assert draft.red_flags == []  # refused: the intake was already sent


def test_safety_answer_saved_just_before_submit_reaches_the_snapshot(tab, draft):
    with row_lock(Intake, draft.pk):
        safety = start(
            tab(), "post", step_url(draft, "safety"), safety_answers(saddle_numbness=True)
        )
        wait_for_lock_waiters(1)
        submit = start(tab(), "post", step_url(draft, "review"), sign(draft))
        wait_for_lock_waiters(2)
    safety.result(), submit.result()

    draft.refresh_from_db()
    assert_consistent(draft)
    assert draft.red_flags == ["saddle_numbness"]
    assert draft.red_flag_urgency == "emergency"


def test_submit_keeps_a_step_change_committed_a_moment_earlier(tab, draft):
    with row_lock(Intake, draft.pk):
        goals = start(tab(), "post", step_url(draft, "goals"), {"goals": "Run a 10k"})
        wait_for_lock_waiters(1)
        submit = start(tab(), "post", step_url(draft, "review"), sign(draft))
        wait_for_lock_waiters(2)
    goals.result(), submit.result()

    draft.refresh_from_db()
    assert_consistent(draft)
    assert draft.goals == "Run a 10k"


TAB_ONE = {"pain-buttock-left": "on", "intensity-buttock-left": "6", "pain-low_back-center": "on"}
TAB_TWO = {"pain-buttock-left": "on", "intensity-buttock-left": "8", "pain-hip-right": "on"}


def places(intake: Intake) -> set:
    return {(p.region, p.side, p.intensity) for p in intake.pain_locations.all()}


def test_two_tabs_saving_the_body_map_leave_one_tabs_places(tab, draft):
    with row_lock(Intake, draft.pk):
        first = start(tab(), "post", step_url(draft, "where"), TAB_ONE)
        wait_for_lock_waiters(1)
        second = start(tab(), "post", step_url(draft, "where"), TAB_TWO)
        wait_for_lock_waiters(2)
    assert first.result().status_code == 302
    assert second.result().status_code == 302
    assert places(draft) == {("buttock", "left", 8), ("hip", "right", 5)}


def test_two_tabs_starting_an_intake_make_one_draft(tab, alice):
    client = make_client(alice)
    with row_lock(Client, client.pk):
        one = start(tab(), "post", reverse("intake:intake_start"))
        two = start(tab(), "post", reverse("intake:intake_start"))
        wait_for_lock_waiters(2)
    assert one.result().url == two.result().url
    assert client.intakes.drafts().count() == 1


@pytest.mark.parametrize("round_", range(5))
def test_step_and_submit_at_the_same_moment_agree(tab, draft, round_):
    barrier = threading.Barrier(2)
    submit = start(tab(), "post", step_url(draft, "review"), sign(draft), barrier)
    safety = start(
        tab(), "post", step_url(draft, "safety"), safety_answers(saddle_numbness=True), barrier
    )
    submit.result(), safety.result()
    draft.refresh_from_db()
    assert_consistent(draft)


@pytest.mark.parametrize("round_", range(5))
def test_two_starts_at_the_same_moment_make_one_draft(tab, alice, round_):
    client = make_client(alice)
    barrier = threading.Barrier(2)
    requests = [start(tab(), "post", reverse("intake:intake_start"), barrier=barrier) for _ in "ab"]
    assert len({request.result().url for request in requests}) == 1
    assert client.intakes.drafts().count() == 1
