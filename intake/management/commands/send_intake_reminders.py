from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from clinic_settings.models import ClinicSettings
from intake.models import Intake
from jobs.tasks import send_email


class Command(BaseCommand):
    help = (
        "Email clients whose draft intake has been untouched for longer than the clinic's "
        "settings say (2 days unless set), once per draft. Run it daily from a scheduler "
        "(cron, systemd timer). The emails go out through the background worker."
    )

    def handle(self, *args, **options):
        clinic = ClinicSettings.load()
        sent = 0
        for intake in Intake.objects.needing_reminder().select_related("client__user"):
            client = intake.client
            address = client.user.email if client.user else client.email
            link = settings.SITE_URL.rstrip("/") + reverse("intake:intake_resume", args=[intake.pk])
            send_email.enqueue(
                subject=f"Your intake for {clinic.name} is waiting for you",
                body=render_to_string(
                    "intake/email/reminder.txt", {"client": client, "link": link, "clinic": clinic}
                ),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[address],
            )
            intake.reminder_sent_at = timezone.now()
            intake.save(update_fields=["reminder_sent_at"])
            sent += 1
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
