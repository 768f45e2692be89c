"""A job whose worker died mid-run (a deploy, out of memory) no longer spins for ever: with no
progress for a while it shows as stopped, and the admin who asked may start it again."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from intake.models import AccessEvent, Client
from jobs.models import STALLED_AFTER, Job, job_storage
from jobs.tasks import run_job, start_job
from tests.conftest import forget_recent_sign_in, make_user, signed_in
from tests.factories import make_client, make_submitted


@pytest.fixture
def ann(db):
    client = make_client(legal_name="Ann Archer")
    make_submitted(client)
    return client


def stopped_job(by, ids, kind=Job.Kind.EXPORT_RECORDS, minutes=20) -> Job:
    """A job a worker started, counted one record of, then died on `minutes` ago."""
    job = Job.objects.create(kind=kind, requested_by=by, object_ids=ids, total=len(ids))
    job.start()
    job.advance(1)
    long_ago = timezone.now() - timedelta(minutes=minutes)
    Job.objects.filter(pk=job.pk).update(started_at=long_ago, progress_at=long_ago)
    job.refresh_from_db()
    return job


def restart_url(job: Job) -> str:
    return reverse("jobs:job_restart", args=[job.pk])


def test_start_and_each_step_record_progress(adam, monkeypatch):
    job = Job.objects.create(kind=Job.Kind.DELETE, requested_by=adam, total=2)
    noon = timezone.now().replace(hour=12, minute=0)
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon)
    job.start()
    assert job.progress_at == noon
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon + timedelta(minutes=9))
    job.advance(1)
    job.refresh_from_db()
    assert job.progress_at == noon + timedelta(minutes=9)


def test_a_running_job_is_stalled_after_a_spell_without_progress(adam, monkeypatch):
    job = Job.objects.create(kind=Job.Kind.DELETE, requested_by=adam, total=2)
    job.start()
    started = job.progress_at
    just_before = started + STALLED_AFTER - timedelta(seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: just_before)
    assert not job.is_stalled and not Job.objects.stalled().exists()
    monkeypatch.setattr("django.utils.timezone.now", lambda: started + STALLED_AFTER)
    assert job.is_stalled and list(Job.objects.stalled()) == [job]


@pytest.mark.parametrize("status", [Job.Status.QUEUED, Job.Status.DONE, Job.Status.FAILED])
def test_only_a_running_job_can_stall(adam, status):
    job = stopped_job(adam, [1])
    Job.objects.filter(pk=job.pk).update(status=status)
    job.refresh_from_db()
    assert not job.is_stalled and not Job.objects.stalled().exists()


def test_a_stopped_job_page_says_so_stops_refreshing_and_offers_to_start_it_again(
    client, adam, ann
):
    job = stopped_job(adam, [ann.pk])
    client.force_login(adam)
    text = client.get(job.get_absolute_url()).content.decode()
    assert "The worker stopped before this finished" in text
    assert 'data-following="false"' in text
    assert f'action="{restart_url(job)}"' in text and "csrfmiddlewaretoken" in text


def test_a_job_that_moves_still_refreshes_and_offers_no_restart(client, adam, ann):
    job = stopped_job(adam, [ann.pk], minutes=2)
    client.force_login(adam)
    text = client.get(job.get_absolute_url()).content.decode()
    assert 'data-following="true"' in text and restart_url(job) not in text


def test_starting_a_stopped_export_again_produces_the_file(client, adam, ann):
    job = stopped_job(adam, [ann.pk])
    client.force_login(adam)
    response = client.post(restart_url(job))
    assert response.status_code == 302 and response.url == job.get_absolute_url()

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.object_ids) == (Job.Status.DONE, 1, 1, [ann.pk])
    assert job_storage().exists(job.file_name)
    page = client.get(job.get_absolute_url()).content.decode()
    assert reverse("jobs:job_download", args=[job.pk]) in page
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 200


def test_a_job_that_still_moves_or_is_done_is_not_started_again(client, adam, ann):
    client.force_login(adam)
    moving = stopped_job(adam, [ann.pk], minutes=2)
    done = start_job(Job.Kind.EXPORT_RECORDS, [ann.pk], by=adam)
    done.refresh_from_db()
    for job in [moving, done]:
        assert client.post(restart_url(job)).url == job.get_absolute_url()
    assert Job.objects.get(pk=moving.pk).status == Job.Status.RUNNING
    assert Job.objects.get(pk=done.pk).finished_at == done.finished_at


def test_a_stopped_erasure_started_again_skips_the_clients_already_erased(client, adam, db):
    people = [make_client(legal_name=f"Quill {n}", email=f"q{n}@example.com") for n in range(2)]
    first = Job.objects.create(
        kind=Job.Kind.ANONYMISE, requested_by=adam, object_ids=[people[0].pk]
    )
    run_job.call(first.pk)  # the first client was anonymised before the worker died
    anonymised = LogEntry.objects.filter(additional_data__client_id=people[0].pk).count()
    job = stopped_job(adam, [p.pk for p in people], kind=Job.Kind.ANONYMISE)

    client.force_login(adam)
    client.post(restart_url(job))
    job.refresh_from_db()
    assert (job.status, job.done, job.failed_ids) == (Job.Status.DONE, 2, [])
    names = set(Client.objects.values_list("legal_name", flat=True))
    assert names == {f"Anonymised client {p.pk}" for p in people}
    assert LogEntry.objects.filter(additional_data__client_id=people[0].pk).count() == anonymised


def test_a_finished_job_is_not_run_again_by_a_second_enqueue(adam, ann, monkeypatch):
    job = start_job(Job.Kind.EXPORT_RECORDS, [ann.pk], by=adam)
    job.refresh_from_db()
    monkeypatch.setattr("jobs.tasks.write_clients_csv_zip", lambda *a, **k: pytest.fail("rerun"))
    run_job.call(job.pk)
    again = Job.objects.get(pk=job.pk)
    assert (again.status, again.done, again.finished_at) == (Job.Status.DONE, 1, job.finished_at)
    assert again.file_name == job.file_name


@pytest.mark.parametrize("persona", ["other_admin", "therapist", "client"])
def test_nobody_else_may_start_it_again(persona, adam, tara, alice, ann):
    job = stopped_job(adam, [ann.pk])
    someone = {
        "other_admin": make_user("amy@example.com", Role.ADMIN),
        "therapist": tara,
        "client": alice,
    }[persona]
    response = signed_in(someone).post(restart_url(job))
    assert response.status_code == (404 if persona == "other_admin" else 403)
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING
    if persona == "other_admin":
        assert AccessEvent.objects.filter(action="refused", actor=someone).count() == 1


def test_signed_out_people_are_sent_to_sign_in(adam, ann):
    job = stopped_job(adam, [ann.pk])
    response = Browser().post(restart_url(job))
    assert response.status_code == 302 and reverse("login") in response.url
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_a_superuser_may_start_another_admins_job_again(adam, ann):
    job = stopped_job(adam, [ann.pk])
    boss = make_user("boss@example.com", Role.ADMIN, is_superuser=True)
    signed_in(boss).post(restart_url(job))
    assert Job.objects.get(pk=job.pk).status == Job.Status.DONE


def test_starting_it_again_asks_for_the_password_after_a_while(client, adam, ann):
    job = stopped_job(adam, [ann.pk])
    client.force_login(adam)
    forget_recent_sign_in(client)
    response = client.post(restart_url(job))
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_starting_it_again_needs_the_pages_csrf_token_and_a_post(adam, ann):
    job = stopped_job(adam, [ann.pk])
    browser = Browser(enforce_csrf_checks=True)
    browser.force_login(adam)
    assert browser.post(restart_url(job)).status_code == 403
    assert browser.get(restart_url(job)).status_code == 405
    assert Job.objects.get(pk=job.pk).status == Job.Status.RUNNING


def test_a_part_file_left_by_the_dead_worker_is_replaced_not_kept(client, adam, ann):
    job = stopped_job(adam, [ann.pk])
    job_storage().save(f"job-{job.pk}.zip", ContentFile(b"half a zip"))  # killed while saving
    client.force_login(adam)
    client.post(restart_url(job))
    job.refresh_from_db()
    assert job.file_name == f"job-{job.pk}.zip"
    assert job_storage().listdir("")[1] == [job.file_name]
