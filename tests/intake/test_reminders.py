from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from intake.models import Intake
from tests.factories import make_client, make_draft, make_submitted


def age(intake: Intake, days: float) -> None:
    Intake.objects.filter(pk=intake.pk).update(updated_at=timezone.now() - timedelta(days=days))


def test_reminders_go_once_to_drafts_untouched_for_two_days(alice, bob, db):
    stale = make_draft(make_client(alice), steps_done=["about"])
    fresh = make_draft(make_client(bob))
    age(stale, 2.1)
    age(fresh, 1.5)

    call_command("send_intake_reminders")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert f"/my/intakes/{stale.pk}/" in message.body
    stale.refresh_from_db()
    assert stale.reminder_sent_at is not None

    call_command("send_intake_reminders")
    assert len(mail.outbox) == 1  # once per draft


def test_no_reminders_for_submitted_intakes_or_archived_clients(alice, bob, db):
    submitted = make_submitted(make_client(alice))
    archived_client = make_client(bob, archived=True)
    archived = make_draft(archived_client)
    age(submitted, 5)
    age(archived, 5)
    call_command("send_intake_reminders")
    assert mail.outbox == []


def test_reminders_carry_no_health_data(alice, db):
    draft = make_draft(make_client(alice), main_complaint="Sciatica after a fall")
    age(draft, 3)
    call_command("send_intake_reminders")
    assert "Sciatica" not in mail.outbox[0].body
