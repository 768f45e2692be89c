"""Demo people and records for `manage.py seed_demo`."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role, set_role
from intake.models import Client, Intake, PainLocation
from intake.rules import suggest

DEMO_PASSWORD = "demo-pass-2026"
# Staff must sign in with a second factor: the demo therapists and admin share this
# authenticator-app secret (base32). Known to all, like the password: demo data only, which
# seed_demo loads only with DEBUG on. `manage.py demo_code` prints the current code.
DEMO_TOTP_SECRET = "DEMOCLINICINTAKEDEMOCLINICINTAKE"

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

# email: (date of birth, assigned therapist's email, submitted intakes, oldest first)
DEMO_CLIENTS = {
    "client@example.com": (
        date(1984, 3, 14),
        "therapist@example.com",
        [
            {
                "main_complaint": (
                    "Aching low back and left buttock, worse when I stand up straight."
                ),
                "weeks_ago": 20,
                "pain": [("buttock", "left", 6), ("low_back", "center", 5)],
                "symptoms": ["worse_upright", "braces_with_arms"],
                "precautions": ["anticoagulants"],
                "red_flags": [],
                "ratings": (6, 5, 6, 5),
                "treatment_areas": ["buttocks"],
            }
        ],
    ),
    "robin@example.com": (
        date(1958, 11, 2),
        "therapist2@example.com",
        [
            {
                "main_complaint": "Pain over the right hip and down the side of the thigh.",
                "weeks_ago": 3,
                "pain": [("hip", "right", 7), ("thigh_side", "right", 4)],
                "symptoms": ["worse_lying_on_side", "worse_walking"],
                "precautions": ["osteoporosis"],
                "red_flags": ["night_pain"],
                "ratings": (7, 6, 7, 6),
                "treatment_areas": ["buttocks", "inner_thigh_groin"],
            }
        ],
    ),
    "sam@example.com": (
        date(1991, 6, 30),
        None,
        [
            {
                "main_complaint": "Low back pain on both sides, spreading into the buttock.",
                "weeks_ago": 6,
                "sent_weeks_ago": 8,
                "pain": [("low_back", "both", 7), ("sacral", "center", 6), ("buttock", "left", 4)],
                "symptoms": ["worse_sitting", "worse_rising", "worse_upright"],
                "precautions": [],
                "red_flags": [],
                "ratings": (7, 7, 6, 7),
                "treatment_areas": ["buttocks"],
            },
            {
                "main_complaint": "Both sides of my low back and the sacrum after long drives.",
                "weeks_ago": 14,
                "pain": [("low_back", "both", 5), ("sacral", "center", 4)],
                "symptoms": ["worse_sitting", "worse_rising"],
                "precautions": [],
                "red_flags": [],
                "ratings": (5, 4, 5, 4),
                "treatment_areas": ["buttocks", "abdomen"],
            },
        ],
    ),
    "jordan@example.com": (date(2000, 1, 21), None, []),
    "morgan@example.com": (date(1975, 9, 9), "therapist@example.com", []),
}


@transaction.atomic
def seed_demo_people() -> list:
    """Create or refresh the demo accounts and records; running it twice changes nothing more."""
    User = get_user_model()
    people = {}
    for email, full_name, role in DEMO_PEOPLE:
        user, _ = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        user.full_name = full_name
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        set_role(user, role)
        _verified_email(user)
        if role in (Role.THERAPIST, Role.ADMIN):
            _demo_authenticator(user)
        people[email] = user
    seed_demo_clinic()
    for email, (born, therapist_email, visits) in DEMO_CLIENTS.items():
        client = Client.for_user(people[email])
        client.date_of_birth = born
        client.phone = client.phone or "020 7946 0" + str(100 + len(client.legal_name))
        client.emergency_contact_name = (
            client.emergency_contact_name or "Jamie " + (client.legal_name.split()[-1])
        )
        client.emergency_contact_phone = client.emergency_contact_phone or "020 7946 0999"
        client.address = client.address or "1 Demo Street\nLondon"
        client.assigned_therapist = people.get(therapist_email)
        client.save()
        if not client.intakes.exists():
            for answers in visits:
                _submitted_intake(client, answers)
    return list(people.values())


DEMO_CLINIC = {
    "name": "Harbour Street Massage Clinic",
    "address": "12 Harbour Street\nLondon SE1 7AA",
    "phone": "020 7946 0123",
    "email": "hello@harbour-clinic.example",
    "emergency_number": "999",
    "brand_colour": "#2f6f62",
    "time_zone": "Europe/London",
    "reminder_after_days": 2,
    "consent_text": (
        "I agree to an assessment and to massage and trigger-point therapy of the areas I "
        "have agreed to. I can ask my therapist to stop or change the treatment at any time. "
        "I will tell the clinic about any change in my health before each visit."
    ),
    "cancellation_policy": (
        "Please give us 24 hours' notice to cancel or move an appointment. Late cancellations "
        "and missed appointments may be charged at half the fee."
    ),
    "privacy_policy": (
        "Your answers are kept by the clinic only, to plan and record your treatment. Only "
        "your therapist and the clinic's administrators can read them. You can ask for a "
        "copy of your record, or for it to be deleted, at any time."
    ),
}


def seed_demo_clinic():
    """The demo clinic's settings, filled in once (an admin's later edits are kept)."""
    from django.core.files.base import ContentFile

    from clinic_settings.models import ClinicSettings

    clinic = ClinicSettings.load()
    if clinic.address:
        return clinic
    for field, value in DEMO_CLINIC.items():
        setattr(clinic, field, value)
    clinic.logo.save("demo-logo.png", ContentFile(_demo_logo_png()), save=False)
    clinic.save()
    return clinic


def _demo_logo_png() -> bytes:
    """A small made-up logo: a green disc with a white wave."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (96, 96), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((2, 2, 94, 94), fill=(47, 111, 98, 255))
    draw.arc((18, 30, 58, 70), 200, 340, fill="white", width=7)
    draw.arc((46, 30, 86, 70), 20, 160, fill="white", width=7)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _submitted_intake(client: Client, answers: dict) -> Intake:
    intake = client.start_intake()
    current, peg_pain, peg_enjoyment, peg_activity = answers["ratings"]
    intake.main_complaint = answers["main_complaint"]
    sent_weeks_ago = answers.get("sent_weeks_ago", 0)
    intake.pain_started_on = timezone.localdate() - timedelta(
        weeks=answers["weeks_ago"] + sent_weeks_ago
    )
    intake.symptoms = answers["symptoms"]
    intake.precautions = answers["precautions"]
    intake.red_flags = answers["red_flags"]
    intake.current_pain = current
    intake.peg_pain, intake.peg_enjoyment, intake.peg_activity = (
        peg_pain,
        peg_enjoyment,
        peg_activity,
    )
    intake.goals = "Sit through a working day and sleep without waking from the pain."
    intake.treatment_areas = answers["treatment_areas"]
    intake.steps_done = ["about", "health", "where", "pain", "safety", "goals"]
    intake.save()
    for region, side, intensity in answers["pain"]:
        PainLocation.objects.create(intake=intake, region=region, side=side, intensity=intensity)
    intake.submit(consent_name=client.legal_name)
    if sent_weeks_ago:
        # An earlier visit: dated back, with the suggestion it would have had then.
        sent = timezone.now() - timedelta(weeks=sent_weeks_ago)
        Intake.objects.filter(pk=intake.pk).update(started_at=sent, submitted_at=sent)
        intake.refresh_from_db()
        Intake.objects.filter(pk=intake.pk).update(
            suggestion=suggest(intake.rules_case()).to_dict()
        )
    return intake


def _verified_email(user) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _demo_authenticator(user) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.update_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": DEMO_TOTP_SECRET}}
    )
