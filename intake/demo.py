"""Demo people (and, as the app grows, their records) for `manage.py seed_demo`."""

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.roles import Role, set_role

DEMO_PASSWORD = "demo-pass-2026"

DEMO_PEOPLE = [
    ("admin@example.com", "Alex Admin", Role.ADMIN),
    ("therapist@example.com", "Tara Therapist", Role.THERAPIST),
    ("therapist2@example.com", "Theo Therapist", Role.THERAPIST),
    ("client@example.com", "Casey Client", Role.CLIENT),
    ("robin@example.com", "Robin Ashdown", Role.CLIENT),
    ("sam@example.com", "Sam Okafor", Role.CLIENT),
    ("jordan@example.com", "Jordan Lee", Role.CLIENT),
    ("morgan@example.com", "Morgan Price", Role.CLIENT),
]


@transaction.atomic
def seed_demo_people() -> list:
    """Create or refresh the demo accounts; running it twice changes nothing more."""
    User = get_user_model()
    people = []
    for email, full_name, role in DEMO_PEOPLE:
        user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        user.full_name = full_name
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        set_role(user, role)
        people.append(user)
    return people
