"""The clinic's own settings: one row an admin edits in the admin (ClinicSettings.load()).

The consent text and the policies are versioned: editing them makes a new ConsentVersion and
keeps the old ones, and each intake records the version its client accepted.
"""

import zoneinfo
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models, transaction
from django.utils import timezone

from clinic.rows import row_by_pk
from clinic.text import validate_no_bidi_controls

FREE_TEXT = [validate_no_bidi_controls]
LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = ["png", "jpg", "jpeg", "webp"]
TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})

DEFAULT_CONSENT = (
    "I confirm my answers are true to the best of my knowledge, and I consent to assessment "
    "and treatment as described."
)

# The settings read during the current request (ClinicSettingsMiddleware), so a page asks the
# database once however many templates and models read them.
_current: ContextVar["ClinicSettings | None"] = ContextVar("clinic_settings", default=None)


def validate_logo_size(file) -> None:
    if file.size > LOGO_MAX_BYTES:
        raise ValidationError(f"The logo may be at most {LOGO_MAX_BYTES // 1024} KB.")


def validate_time_zone(value: str) -> None:
    if value and value not in TIME_ZONES:
        raise ValidationError(f"“{value}” is not a time zone, e.g. Europe/London.")


class ClinicSettings(models.Model):
    """The one row of clinic settings (primary key 1)."""

    name = models.CharField(max_length=120, default="Clinic intake", validators=FREE_TEXT)
    address = models.TextField(max_length=500, blank=True, validators=FREE_TEXT)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    emergency_number = models.CharField(
        max_length=16,
        blank=True,
        help_text="The number clients are told to call in an emergency, e.g. 999, 911, 112.",
        validators=[RegexValidator(r"^[0-9 +]+$", "Digits only, e.g. 999 or 112.")],
    )
    logo = models.ImageField(
        upload_to="clinic/",
        blank=True,
        help_text="PNG, JPEG or WebP, at most 512 KB; shown in the header and on printed plans.",
        validators=[FileExtensionValidator(LOGO_TYPES), validate_logo_size],
    )
    brand_colour = models.CharField(
        max_length=7,
        default="#2f6f62",
        help_text="A hex colour such as #2f6f62, for the accent line under the header.",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "A hex colour such as #2f6f62.")],
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text="e.g. Europe/London; empty for the server's TIME_ZONE.",
        validators=[validate_time_zone],
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        "days before a reminder",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="A draft untouched this many days gets one reminder email.",
    )
    consent_text = models.TextField(max_length=4000, default=DEFAULT_CONSENT, validators=FREE_TEXT)
    cancellation_policy = models.TextField(max_length=4000, blank=True, validators=FREE_TEXT)
    privacy_policy = models.TextField(max_length=8000, blank=True, validators=FREE_TEXT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "clinic settings"
        verbose_name_plural = "clinic settings"

    def __str__(self) -> str:
        return "Clinic settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.current_consent()
        if _current.get() is not None:
            _current.set(self)

    def delete(self, *args, **kwargs):
        raise PermissionError("The clinic settings are edited, never deleted.")

    @classmethod
    def load(cls) -> "ClinicSettings":
        """The settings: this request's copy, or the row; one query at most."""
        cached = _current.get()
        if cached is not None:
            return cached
        # Every request reads them (clinic.rows). Never written on a read: until an admin
        # saves them, the defaults.
        return row_by_pk(cls, 1) or cls(pk=1)

    def current_consent(self) -> "ConsentVersion":
        """The version of the consent text and policies clients accept now: a new one when
        the text was edited since the last."""
        latest = ConsentVersion.objects.order_by("-number").first()
        text = (self.consent_text, self.cancellation_policy, self.privacy_policy)
        if latest is not None and latest.texts == text:
            return latest
        return ConsentVersion.objects.create(
            number=latest.number + 1 if latest else 1,
            consent_text=self.consent_text,
            cancellation_policy=self.cancellation_policy,
            privacy_policy=self.privacy_policy,
        )

    @property
    def emergency_number_or_default(self) -> str:
        return self.emergency_number or settings.CLINIC_EMERGENCY_NUMBER

    @property
    def reminder_after(self) -> timedelta:
        return timedelta(days=self.reminder_after_days)

    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else None

    def brand_version(self) -> str:
        """Changes whenever the settings do, so the brand stylesheet and logo URLs do too."""
        return str(int(self.updated_at.timestamp())) if self.updated_at else "0"


class ConsentVersion(models.Model):
    """One version of the consent text and policies, kept for as long as an intake names it."""

    number = models.PositiveIntegerField(unique=True)
    consent_text = models.TextField()
    cancellation_policy = models.TextField(blank=True)
    privacy_policy = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Consent version {self.number} ({self.created_at:%d %B %Y})"

    @property
    def texts(self) -> tuple[str, str, str]:
        return (self.consent_text, self.cancellation_policy, self.privacy_policy)

    def delete(self, *args, **kwargs):
        raise PermissionError("A consent version is kept: intakes name the one they accepted.")
