"""Treatment plans and findings under real concurrent transactions (PostgreSQL only).

Two kinds of test: requests in threads lined up by a barrier, and a deterministic one where a
second connection holds the row a request needs while the request runs.
"""

import threading
import time
import uuid
from contextlib import contextmanager

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from intake.models import Finding, Intake, TreatmentPlan
from tests.conftest import signed_in
from tests.factories import make_client, make_submitted

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="real concurrent transactions and row locks need PostgreSQL (set DATABASE_URL)",
    ),
]

THREADS = 4


def post_together(clients: list[Client], url: str, data_for) -> list:
    """POST from every client at the same moment; each answer, or the exception it raised."""
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def send(index: int, client: Client):
        try:
            barrier.wait(timeout=10)
            results[index] = client.post(url, data_for(index))
        except Exception as error:  # reported on the test's thread
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=pair) for pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def server_errors(results: list) -> list:
    return [r for r in results if isinstance(r, Exception) or r.status_code >= 500]


def wait_until_blocked(timeout: float = 10) -> None:
    """Wait until another connection is queued behind a lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    raise AssertionError("no request waited for the held lock")


@contextmanager
def held_in_transaction(work):
    """Run `work()` in a transaction on another connection and keep it open until the block ends."""
    ready, release = threading.Event(), threading.Event()
    failure: list[BaseException] = []

    def hold():
        try:
            with transaction.atomic():
                work()
                ready.set()
                release.wait(timeout=30)
        except BaseException as error:
            failure.append(error)
            ready.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    ready.wait(timeout=10)
    if failure:
        raise failure[0]
    try:
        yield
    finally:
        release.set()
        holder.join(timeout=30)


def in_thread(send) -> dict:
    """Run one request in a thread; its answer or exception arrives in the returned dict."""
    outcome: dict = {}

    def run():
        try:
            outcome["response"] = send()
        except Exception as error:
            outcome["error"] = error
        finally:
            connection.close()

    outcome["thread"] = threading.Thread(target=run)
    outcome["thread"].start()
    return outcome


def answer(outcome: dict):
    outcome["thread"].join(timeout=30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["response"]


@pytest.fixture
def intake(tara):
    return make_submitted(
        make_client(legal_name="Ann Archer"),
        treatment_areas=["buttocks"],
        pain=[("buttock", "left", 6), ("low_back", "center", 5)],
    )


@pytest.fixture
def approved(intake, tara) -> TreatmentPlan:
    plan = TreatmentPlan.start_for(intake, by=tara)
    plan.muscles.filter(muscle="quadratus_lumborum").update(included=True, sides=["left"])
    plan.approve(by=tara)
    return plan


def revise_url(plan) -> str:
    return reverse("intake:plan_revise", args=[plan.pk])


# Defect 5a: concurrent "new version" of an approved plan.


def test_concurrent_new_versions_make_one_draft(approved, tara, theo):
    clients = [signed_in(tara if i % 2 else theo) for i in range(THREADS)]
    results = post_together(clients, revise_url(approved), lambda i: {})
    assert server_errors(results) == []
    assert {r.status_code for r in results} == {302}
    versions = TreatmentPlan.objects.filter(intake=approved.intake_id)
    assert sorted(versions.values_list("version", flat=True)) == [1, 2]


def test_new_version_waits_for_a_colleagues_and_shows_it(approved, intake, tara, theo):
    def colleague_revises():
        Intake.objects.select_for_update().get(pk=intake.pk)
        TreatmentPlan.objects.create(intake=intake, version=2, created_by=theo)

    with held_in_transaction(colleague_revises):
        pending = in_thread(lambda: signed_in(tara).post(revise_url(approved), follow=True))
        wait_until_blocked()
    response = answer(pending)
    assert response.status_code == 200
    assert "already started version 2" in response.content.decode()
    assert TreatmentPlan.objects.filter(intake=intake).count() == 2


# Defect 8: starting a plan is one POST, once, under the intake's lock.


def test_concurrent_starts_make_one_plan(intake, tara, theo):
    clients = [signed_in(tara if i % 2 else theo) for i in range(THREADS)]
    url = reverse("intake:plan_edit", args=[intake.pk])
    results = post_together(clients, url, lambda i: {"start": "1"})
    assert server_errors(results) == []
    assert {r.status_code for r in results} == {302}
    assert TreatmentPlan.objects.filter(intake=intake).count() == 1


def test_a_start_waits_for_a_colleagues_and_opens_it(intake, tara, theo):
    def colleague_starts():
        Intake.objects.select_for_update().get(pk=intake.pk)
        TreatmentPlan.objects.create(intake=intake, version=1, created_by=theo)

    url = reverse("intake:plan_edit", args=[intake.pk])
    with held_in_transaction(colleague_starts):
        pending = in_thread(lambda: signed_in(tara).post(url, {"start": "1"}))
        wait_until_blocked()
    response = answer(pending)
    assert (response.status_code, response.url) == (302, url)
    assert TreatmentPlan.objects.filter(intake=intake).count() == 1


# Defect 5d: a finding double-posted at the same moment is recorded once.


def finding_post(planned, key) -> dict:
    prefix = f"m{planned.pk}"
    return {
        f"{prefix}-trigger_point": "active",
        f"{prefix}-referral_reproduced": "True",
        f"{prefix}-treated": "True",
        f"{prefix}-submission_key": str(key),
    }


def test_a_double_posted_finding_is_recorded_once(approved, tara):
    planned = approved.planned_muscles()[0]
    key = uuid.uuid4()
    url = reverse("intake:finding_add", args=[planned.pk])
    results = post_together(
        [signed_in(tara) for _ in range(THREADS)], url, lambda i: finding_post(planned, key)
    )
    assert server_errors(results) == []
    assert Finding.objects.filter(plan_muscle=planned).count() == 1


def test_a_finding_posted_while_its_twin_commits_is_recorded_once(approved, tara):
    planned = approved.planned_muscles()[0]
    key = uuid.uuid4()
    url = reverse("intake:finding_add", args=[planned.pk])

    def twin_records():
        Finding.objects.create(
            plan_muscle=planned,
            trigger_point="active",
            referral_reproduced=True,
            treated=True,
            recorded_by=tara,
            submission_key=key,
        )

    with held_in_transaction(twin_records):
        pending = in_thread(
            lambda: signed_in(tara).post(url, finding_post(planned, key), follow=True)
        )
        wait_until_blocked()
    response = answer(pending)
    assert response.status_code == 200
    assert "already recorded" in response.content.decode()
    assert Finding.objects.filter(plan_muscle=planned).count() == 1
