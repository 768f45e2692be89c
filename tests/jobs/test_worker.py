"""A real `manage.py db_worker` takes a queued job from PostgreSQL and runs it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.roles import Role
from intake.models import Client
from jobs.models import Job, job_storage
from jobs.tasks import send_email, start_job
from tests.concurrency.helpers import postgresql_only
from tests.conftest import make_user, signed_in
from tests.factories import make_client, make_submitted
from tests.jobs.mail_backends import OutageBackend

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    """Everything waiting in the queue, then stop (as a worker would, one task at a time)."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--worker-id", "test")


def test_a_worker_runs_a_queued_export(settings):
    settings.TASKS = DATABASE_QUEUE
    admin = make_user("adam@example.com", Role.ADMIN)
    person = make_client(legal_name="Ann Archer")
    make_submitted(person)

    job = start_job(Job.Kind.EXPORT_RECORDS, [person.pk], by=admin)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED  # the request only queued it
    assert DBTaskResult.objects.get().status == "READY"
    browser = signed_in(admin)
    waiting = browser.get(job.get_absolute_url()).content.decode()
    assert "Waiting for a worker" in waiting and 'data-following="true"' in waiting

    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done) == (Job.Status.DONE, 1)
    assert job_storage().exists(job.file_name)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert "Download client-records-" in browser.get(job.get_absolute_url()).content.decode()


def test_a_worker_erases_each_client_in_its_own_transaction(settings):
    settings.TASKS = DATABASE_QUEUE
    admin = make_user("adam@example.com", Role.ADMIN)
    people = [make_client(legal_name=f"Quill {n}", email=f"q{n}@example.com") for n in range(2)]
    job = start_job(Job.Kind.DELETE, [p.pk for p in people], by=admin)
    assert Client.objects.count() == 2

    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done, job.failed_ids) == (Job.Status.DONE, 2, [])
    assert not Client.objects.exists()


def test_a_sent_email_leaves_no_copy_in_the_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    send_email.enqueue(subject="Reset", body="https://x.example/reset/secret", to=["a@b.c"])
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1

    run_worker()
    assert [message.subject for message in mail.outbox] == ["Reset"]
    assert not DBTaskResult.objects.exists()


def test_an_email_that_meets_a_mail_outage_is_sent_by_a_later_run(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_BACKEND = "tests.jobs.mail_backends.OutageBackend"
    OutageBackend.failures_left = 1
    send_email.enqueue(subject="Reset", body="https://x.example/reset/secret", to=["a@b.c"])

    run_worker()  # the server is away: the email waits for a later run
    assert mail.outbox == []
    retry = DBTaskResult.objects.get()
    assert retry.status == "READY" and retry.run_after > timezone.now()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    run_worker()  # too early: the retry is not taken yet
    assert DBTaskResult.objects.get().status == "READY"

    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    assert [message.subject for message in mail.outbox] == ["Reset"]
    assert not DBTaskResult.objects.exists()  # sent: its link is forgotten


def test_an_email_that_fails_every_time_stays_failed_in_the_queue(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.EMAIL_BACKEND = "tests.jobs.mail_backends.OutageBackend"
    OutageBackend.failures_left = 99
    send_email.enqueue(subject="Reset", body="Hi", to=["a@b.c"])
    for _attempt in range(5):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()

    assert mail.outbox == []
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]
    assert DBTaskResult.objects.get().args_kwargs["kwargs"]["attempt"] == 5


def test_a_job_whose_worker_died_is_started_again_and_a_worker_finishes_it(settings):
    settings.TASKS = DATABASE_QUEUE
    admin = make_user("adam@example.com", Role.ADMIN)
    person = make_client(legal_name="Ann Archer")
    job = start_job(Job.Kind.EXPORT_RECORDS, [person.pk], by=admin)
    # A worker took it, then was killed: both rows stay "running".
    DBTaskResult.objects.update(status="RUNNING")
    job.start()
    Job.objects.filter(pk=job.pk).update(progress_at=timezone.now() - timedelta(hours=1))

    browser = signed_in(admin)
    browser.post(reverse("jobs:job_restart", args=[job.pk]))
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done) == (Job.Status.DONE, 1)
    assert job_storage().exists(job.file_name)
