from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.roles import Role
from agreement.demo import seed_agreement_demo
from intake.demo import DEMO_PASSWORD, DEMO_PEOPLE, DEMO_TOTP_SECRET, seed_demo_people


class Command(BaseCommand):
    help = "Load demo people and records for trying the app (refuses to run when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG on: it creates accounts with a known password."
            )
        people = seed_demo_people()
        # Enough approved plans and findings for the agreement page to show something real.
        seed_agreement_demo([person for person in people if person.role == Role.THERAPIST])
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at /accounts/login/ with:"))
        for email, _name, role in DEMO_PEOPLE:
            self.stdout.write(f"  {role.label:<10} {email:<26} password: {DEMO_PASSWORD}")
        staff = [email for email, _name, role in DEMO_PEOPLE if role is not Role.CLIENT]
        self.stdout.write(
            f"Staff ({', '.join(staff)}) then enter the code of an authenticator app holding "
            f"the demo secret {DEMO_TOTP_SECRET}, or the one `python manage.py demo_code` prints."
        )
