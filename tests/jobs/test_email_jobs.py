"""Invitations, reminders and allauth's emails go out through a background task: the request
(or the command) only queues them, so a slow mail server never holds it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from intake.models import Intake
from jobs.tasks import enqueue_email, send_email
from tests.factories import make_client, make_draft

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
