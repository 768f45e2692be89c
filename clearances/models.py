"""Medical clearance after a referral.

An intake with a red flag is on hold: no plan of massage is approved until the
clinic records a clearance, either a doctor's (their name and practice, the
date, the restrictions they gave, with the letter the client or staff uploaded)
or, by an admin, "cleared in person" with the reason. The letters themselves
are files in private storage (``clearances.storage``), served only by this
app's views.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from clearances.storage import clearance_storage
from clinic.audited import AuditedQuerySet
from intake.models import ClientScoped, Intake


def _person(user) -> str:
    return f"{user.full_name} <{user.email}>" if user.full_name else user.email


def letter_path(letter: "ClearanceLetter", filename: str) -> str:
    # Never the uploaded name, which may hold the client's name: a random one.
    return f"letters/{uuid.uuid4().hex}{letter.extension}"


class ClearanceLetterQuerySet(AuditedQuerySet):
    def visible_to(self, user):
        from intake.models import visible_to_q

        return self.filter(visible_to_q(user, prefix="intake__client__"))


class ClearanceLetter(ClientScoped, models.Model):
    """A doctor's letter, a photo or a PDF, uploaded by the client or by staff."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="clearance_letters")
    file = models.FileField(storage=clearance_storage, upload_to=letter_path, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who uploaded it, as they were called then: kept when their account is deleted.
    uploaded_by_name = models.CharField(max_length=300, blank=True, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    MAX_PER_INTAKE = 10

    client_via = "intake"

    objects = ClearanceLetterQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"Clearance letter #{self.pk}"

    def save(self, *args, **kwargs):
        if self.uploaded_by_id is not None and not self.uploaded_by_name:
            self.uploaded_by_name = _person(self.uploaded_by)
        super().save(*args, **kwargs)

    @property
    def extension(self) -> str:
        from clearances.files import EXTENSION

        return EXTENSION.get(self.content_type, "")

    @property
    def download_name(self) -> str:
        """A name for the saved file that says what it is and nothing of whose it is."""
        return f"clearance-letter-{self.pk}{self.extension}"

    @property
    def kind_label(self) -> str:
        return "PDF" if self.content_type == "application/pdf" else "Photo"

    def delete_file(self) -> None:
        if self.file.name:
            self.file.storage.delete(self.file.name)


class Clearance(ClientScoped, models.Model):
    """The clinic's record that the client may be treated despite a red flag."""

    class Kind(models.TextChoices):
        DOCTOR = "doctor", "Cleared by a doctor"
        IN_PERSON = "in_person", "Cleared in person"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="clearances")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.DOCTOR)
    doctor_name = models.CharField("doctor's name", max_length=150, blank=True)
    practice = models.CharField(max_length=200, blank=True)
    cleared_on = models.DateField("date of the clearance", null=True, blank=True)
    restrictions = models.TextField("restrictions given", max_length=2000, blank=True)
    letter = models.ForeignKey(
        ClearanceLetter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by_name = models.CharField(max_length=300, blank=True, editable=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    client_via = "intake"

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="in_person", reason__gt="")
                | Q(kind="doctor", doctor_name__gt="", cleared_on__isnull=False),
                name="clearance_says_who_or_why",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for intake #{self.intake_id}"

    def save(self, *args, **kwargs):
        if self.recorded_by_id is not None and not self.recorded_by_name:
            self.recorded_by_name = _person(self.recorded_by)
        super().save(*args, **kwargs)


def awaiting_clearance(intakes):
    """The intakes on hold: a red flag and no clearance recorded yet."""
    cleared = Clearance.objects.filter(intake=OuterRef("pk"))
    return intakes.exclude(red_flag_urgency="").exclude(Exists(cleared))


def clients_intakes_on_hold(client, intakes: list[Intake]) -> list[Intake]:
    """The client's sent intakes awaiting a clearance, newest first, with the letters sent
    for each; `intakes` are all the client's, already read: no query when none of them has
    a red flag, as for most clients."""
    if not any(intake.red_flag_urgency and not intake.is_draft for intake in intakes):
        return []
    return list(
        awaiting_clearance(client.intakes.submitted().defer("suggestion"))
        .annotate(letters_sent=models.Count("clearance_letters"))
        .newest_first()
    )


def is_on_hold(intake: Intake) -> bool:
    return bool(intake.red_flag_urgency) and not intake.clearances.exists()


ON_HOLD = (
    "On hold: the client answered yes to a safety question, so a doctor's clearance must be "
    "recorded before a massage plan is approved (or choose “No massage: referred”)."
)


def approval_problem(intake: Intake) -> str:
    """Why a plan of massage for this intake may not be approved yet ("" if it may)."""
    return ON_HOLD if is_on_hold(intake) else ""
