from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from clinic.audited import AuditedQuerySet


class UserManager(BaseUserManager.from_queryset(AuditedQuerySet)):
    use_in_migrations = True

    def normalize_email(self, email: str | None) -> str:
        return (email or "").strip().lower()

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=self.normalize_email(email))

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in by email. Their role comes from their groups (see roles.py)."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_staff = models.BooleanField(
        "staff status",
        default=False,
        help_text="Can sign in to the records (Django admin). Set by the admin role.",
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Unticking this signs the person out and stops them signing in.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]
        constraints = [
            # Emails are stored lower-cased, but the database keeps even a write that skips
            # the manager from making a second account that differs only in case.
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ignoring_case",
                violation_error_message="An account with this email already exists.",
            )
        ]
        permissions = [
            ("fill_intake", "Can fill in their own intake questionnaires (client role)"),
            ("review_intakes", "Can review intakes and write treatment plans (therapist role)"),
            ("manage_records", "Can manage people, roles and records (admin role)"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_additional_data(self) -> dict:
        """Audit entries of a client's account carry the client's id."""
        client = getattr(self, "client", None)
        return {"client_id": client.pk if client else None}

    @classmethod
    def client_lookup(cls) -> str:
        return "client__id"

    @property
    def role(self):
        from accounts.roles import role_of

        return role_of(self)


class SignInEvent(models.Model):
    """A sign-in, failed sign-in, throttled sign-in or sign-out, kept for the audit trail.

    The email is copied from the account at the time, so the entry still says who after the
    account is deleted. No password, and no email that matched no account, is ever stored.
    """

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "signed in"
        FAILED = "failed", "sign-in failed"
        THROTTLED = "throttled", "sign-in refused (too many failures)"
        SIGNED_OUT = "signed_out", "signed out"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(
        blank=True, help_text="The account's email at the time; blank when none matched."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "sign-in event"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.email or 'no matching account'}"
