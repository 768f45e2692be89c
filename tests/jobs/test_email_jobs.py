"""Invitations, reminders and allauth's emails go out through a background task: the request
(or the command) only queues them, so a slow mail server never holds it."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, default_task_backend

from intake.models import Intake
from jobs.tasks import enqueue_email, send_email
from tests.factories import make_client, make_draft
from tests.jobs.mail_backends import OutageBackend

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def deferred(settings):
    """A backend that keeps the tasks it is given and runs none: a worker that never came."""
    settings.TASKS = DUMMY
    return default_task_backend


def queued_emails(backend) -> list[dict]:
    return [result.kwargs for result in backend.results if result.task.func is send_email.func]


def test_an_invitation_is_queued_not_sent_by_the_request(client, tara, deferred):
    client.force_login(tara)
    response = client.post(
        reverse("intake:invite_client"), {"legal_name": "Nina New", "email": "nina@example.com"}
    )
    assert response.status_code == 200
    assert mail.outbox == []
    (queued,) = queued_emails(deferred)
    assert queued["to"] == ["nina@example.com"]
    assert "/invitations/accept/#" in queued["body"]


def test_an_invitation_arrives_once_the_task_runs(client, tara):
    client.force_login(tara)
    client.post(
        reverse("intake:invite_client"), {"legal_name": "Nina New", "email": "nina@example.com"}
    )
    assert [message.to for message in mail.outbox] == [["nina@example.com"]]


def test_a_password_reset_email_is_queued_by_allauth(client, alice, deferred):
    response = client.post(reverse("account_reset_password"), {"email": alice.email})
    assert response.status_code == 302
    assert mail.outbox == []
    (queued,) = queued_emails(deferred)
    assert queued["to"] == [alice.email]
    assert queued["subject"].startswith("Clinic intake: ")


def test_a_rendered_message_keeps_its_parts_through_the_queue():
    message = EmailMultiAlternatives(
        "Hello", "Hi", "clinic@example.com", ["a@example.com"], headers={"X-Kind": "test"}
    )
    message.attach_alternative("<p>Hi</p>", "text/html")
    enqueue_email(message)
    (sent,) = mail.outbox
    assert (sent.subject, sent.body, sent.from_email, sent.to) == (
        "Hello",
        "Hi",
        "clinic@example.com",
        ["a@example.com"],
    )
    assert sent.extra_headers == {"X-Kind": "test"}
    assert [tuple(part) for part in sent.alternatives] == [("<p>Hi</p>", "text/html")]


def test_reminders_are_queued_and_marked_sent(alice, db, deferred):
    draft = make_draft(make_client(alice), steps_done=["about"])
    Intake.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=3))

    call_command("send_intake_reminders", stdout=None)
    assert mail.outbox == []
    (queued,) = queued_emails(deferred)
    assert queued["to"] == [alice.email]
    draft.refresh_from_db()
    assert draft.reminder_sent_at is not None


def test_an_html_only_message_keeps_its_type():
    send_email.enqueue(
        subject="Hello", body="<p>Hi</p>", to=["a@example.com"], content_subtype="html"
    )
    assert mail.outbox[0].content_subtype == "html"


@pytest.fixture
def mail_outage(settings):
    """The mail server refuses the next `failures_left` sends (set by the test)."""
    settings.EMAIL_BACKEND = "tests.jobs.mail_backends.OutageBackend"
    OutageBackend.failures_left, OutageBackend.tries = 1, 0
    return OutageBackend


def test_an_email_that_fails_is_queued_again_for_later(deferred, mail_outage):
    before = timezone.now()
    send_email.call(subject="Reset", body="https://x.example/reset/secret", to=["a@b.c"])

    assert mail.outbox == []
    (retry,) = deferred.results
    assert retry.task.func is send_email.func
    assert retry.kwargs["attempt"] == 2
    assert retry.kwargs["to"] == ["a@b.c"] and "reset/secret" in retry.kwargs["body"]
    assert retry.task.run_after >= before + timedelta(minutes=1)


def test_each_retry_waits_longer(deferred, mail_outage):
    waits = []
    for attempt in range(1, 5):
        mail_outage.failures_left = 1
        start = timezone.now()
        send_email.call(subject="Hi", body="Hi", to=["a@b.c"], attempt=attempt)
        waits.append(deferred.results[-1].task.run_after - start)
    assert [round(wait.total_seconds() / 60) for wait in waits] == [1, 5, 30, 120]
    assert [result.kwargs["attempt"] for result in deferred.results] == [2, 3, 4, 5]


def test_after_the_last_attempt_the_email_fails_and_is_not_queued_again(
    deferred, mail_outage, caplog
):
    with pytest.raises(SMTPServerDisconnected):
        send_email.call(subject="Hi", body="secret-body", to=["a@b.c"], attempt=5)
    assert deferred.results == []
    (line,) = [record.getMessage() for record in caplog.records if record.name == "jobs.tasks"]
    assert "SMTPServerDisconnected" in line
    assert "a@b.c" not in line and "secret-body" not in line and "Hi" not in line


def test_a_backend_that_cannot_wait_gets_the_error_at_once(mail_outage):
    # ImmediateBackend (the tests' default) has no run_after: no loop, the task fails.
    result = send_email.enqueue(subject="Hi", body="Hi", to=["a@b.c"])
    assert result.status == TaskResultStatus.FAILED
    assert mail_outage.tries == 1 and mail.outbox == []
