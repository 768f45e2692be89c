"""The background tasks: exports and erasures of many clients, and emails.

django-tasks is Django 6's Tasks API (``django.tasks``) for Django 5.2: on Django 6 only
the import below changes. Which backend runs them is settings.TASKS: the database, where
`manage.py db_worker` processes take them; at once in the tests.
"""

import logging
import tempfile
from datetime import timedelta

from auditlog.context import set_actor
from django.core.files import File
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django_tasks import TaskResultStatus, task, task_backends
from django_tasks.signals import task_finished
from django_tasks_db import DatabaseBackend

from intake import erasure
from intake.exports import write_clients_csv_zip, write_intakes_fhir_zip
from intake.models import Client, Intake
from jobs.models import Job, job_storage

logger = logging.getLogger(__name__)


def start_job(kind: str, ids, *, by) -> Job:
    """A job over these records' ids, queued for a worker (run at once in the tests)."""
    ids = sorted(ids)
    job = Job.objects.create(kind=kind, requested_by=by, object_ids=ids, total=len(ids))
    run_job.enqueue(job.pk)
    return job


def restart_job(job: Job) -> bool:
    """Queue a stalled job again, from scratch over the same records."""
    if not job.requeue_if_stalled():
        return False
    run_job.enqueue(job.pk)
    return True


@task()
def run_job(job_id: int) -> None:
    Job.objects.delete_expired_files()
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    if not job.start():
        logger.warning("Job %s is %s, not queued: not run again", job.pk, job.status)
        return
    # The audit trail names the admin who asked, not "the system".
    with set_actor(job.requested_by):
        try:
            if job.is_export:
                _export(job)
            else:
                _erase(job)
        except Exception as error:
            # The error's class only: its message may quote a client's record.
            logger.error("Job %s failed: %s", job.pk, type(error).__name__)
            job.finish(Job.Status.FAILED)


def _export(job: Job) -> None:
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    with tempfile.TemporaryFile() as archive:
        if job.kind == Job.Kind.EXPORT_RECORDS:
            clients = Client.objects.filter(pk__in=job.object_ids)
            write_clients_csv_zip(clients, archive, progress=job.advance)
            job.download_name = f"client-records-{stamp}.zip"
        else:
            intakes = Intake.objects.filter(pk__in=job.object_ids).submitted()
            write_intakes_fhir_zip(intakes, archive, progress=job.advance)
            job.download_name = f"fhir-intakes-{stamp}.zip"
        job.save(update_fields=["download_name"])
        archive.seek(0)
        # A worker killed while saving leaves part of a file under this name: only a queued
        # job runs, so it is never a finished job's file.
        job_storage().delete(f"job-{job.pk}.zip")
        name = job_storage().save(f"job-{job.pk}.zip", File(archive))
    job.finish(Job.Status.DONE, name)


def _erase(job: Job) -> None:
    erase = erasure.anonymise if job.kind == Job.Kind.ANONYMISE else erasure.delete
    for client_id in job.object_ids:
        # Each client in its own transaction (erasure.py): one that fails undoes no other.
        client = Client.objects.filter(pk=client_id).first()
        failed = []
        # Deleted, or anonymised, meanwhile or by an earlier run of this job: nothing to do.
        if client is not None and not _already_anonymised(client, job):
            try:
                erase(client, by=job.requested_by)
            except Exception as error:
                logger.error("Job %s: a client was not erased: %s", job.pk, type(error).__name__)
                failed = [client_id]
        job.advance(1, failed)
    job.finish(Job.Status.DONE)


def _already_anonymised(client: Client, job: Job) -> bool:
    return job.kind == Job.Kind.ANONYMISE and erasure.is_anonymised(client)


# An email that meets a mail server outage is tried again after these waits, then fails.
EMAIL_RETRY_DELAYS = [timedelta(minutes=minutes) for minutes in (1, 5, 30, 120)]


@task()
def send_email(
    subject: str,
    body: str,
    to: list[str],
    from_email: str | None = None,
    headers: dict | None = None,
    alternatives: list | None = None,
    content_subtype: str = "plain",
    attempt: int = 1,
) -> None:
    """Send an email from a worker, so a slow mail server never holds a request."""
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers)
    message.content_subtype = content_subtype
    for content, mimetype in alternatives or []:
        message.attach_alternative(content, mimetype)
    try:
        message.send()
    except Exception as error:
        # The error's class only: the address and the message (a reset link) stay out of logs.
        if attempt > len(EMAIL_RETRY_DELAYS):
            logger.error(
                "An email was not sent after %s attempts: %s", attempt, type(error).__name__
            )
            raise
        if not send_email.get_backend().supports_defer:
            raise
        logger.warning("An email will be tried again: %s", type(error).__name__)
        later = timezone.now() + EMAIL_RETRY_DELAYS[attempt - 1]
        # This run then ends as successful, so its row (and its link) is deleted.
        send_email.using(run_after=later).enqueue(
            subject=subject,
            body=body,
            to=to,
            from_email=from_email,
            headers=headers,
            alternatives=alternatives,
            content_subtype=content_subtype,
            attempt=attempt + 1,
        )


def enqueue_email(message: EmailMessage) -> None:
    """Send a rendered message (allauth's, for instance) through the `send_email` task."""
    send_email.enqueue(
        subject=str(message.subject),
        body=message.body,
        to=list(message.to),
        from_email=message.from_email,
        headers=dict(message.extra_headers),
        alternatives=[list(pair) for pair in getattr(message, "alternatives", [])],
        content_subtype=message.content_subtype,
    )


def _forget_sent_email(sender, task_result, **kwargs) -> None:
    """A sent email's row no longer holds its message: links to reset a password or
    accept an invitation are secrets, kept only while the email waits."""
    from django_tasks_db.models import DBTaskResult

    if (
        task_result.task.module_path == send_email.module_path
        and task_result.status == TaskResultStatus.SUCCESSFUL
        and isinstance(task_backends[task_result.backend], DatabaseBackend)
    ):
        DBTaskResult.objects.filter(id=task_result.id).delete()


def connect_signals() -> None:
    task_finished.connect(_forget_sent_email, dispatch_uid="jobs.forget_sent_email")
