from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.totp import totp_code


class Command(BaseCommand):
    help = "Print the demo staff's current sign-in code (DEBUG only; see seed_demo)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code only runs with DEBUG on, like seed_demo.")
        from intake.demo import DEMO_TOTP_SECRET

        self.stdout.write(totp_code(DEMO_TOTP_SECRET))
