import hashlib
import secrets
from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property

from accounts.roles import therapist_accounts
from clinic.audited import AuditedQuerySet
from clinic.rows import Names, from_rows, instances, placeholders, width
from clinic.text import validate_no_bidi_controls
from intake.rules import codes
from intake.rules.case import DEFAULT_INTENSITY, MAX_AGE

# Validators of every free-text field: no bidirectional control characters (clinic/text.py).
FREE_TEXT = [validate_no_bidi_controls]
# Every pain and interference score, and each place's intensity, is on one 0-10 scale.
SCORE_MIN, SCORE_MAX = 0, 10
SCORE_VALIDATORS = [MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
REGION_CHOICES = codes.choices(codes.REGIONS)
SIDE_CHOICES = codes.choices(codes.SIDES)


def unique(codes_: list) -> list:
    """The codes in their order, each once."""
    return list(dict.fromkeys(codes_))


class ClientScoped:
    """Audit entries of this record carry its client's id, to filter the trail by client.

    `client_via` names the relations from the record to the one holding `client_id`
    ("plan__intake" for a plan's muscle); a queryset write reads them once for all its rows.
    """

    client_via = ""

    @classmethod
    def audit_related(cls) -> list[str]:
        return [cls.client_via] if cls.client_via else []

    @classmethod
    def client_lookup(cls) -> str:
        """The lookup from a row to its client's id, to read it for many rows in one query."""
        return "__".join([*cls.audit_related(), "client_id"])

    def get_additional_data(self) -> dict:
        record = self
        for name in filter(None, self.client_via.split("__")):
            record = getattr(record, name)
        return {"client_id": record.client_id}


def visible_to_q(user, prefix: str = "") -> Q:
    """Whose records a member of staff may see: the one rule behind every therapist page.

    Admins see every client; a therapist sees the clients assigned to them and
    the unassigned ones; nobody else sees any through the staff pages.
    """
    from accounts.roles import Role, has_role

    if has_role(user, Role.ADMIN):
        return Q()
    if has_role(user, Role.THERAPIST):
        return Q(**{f"{prefix}assigned_therapist": user}) | Q(
            **{f"{prefix}assigned_therapist__isnull": True}
        )
    return Q(pk__in=[])


class ClientQuerySet(AuditedQuerySet):
    def visible_to(self, user):
        return self.filter(visible_to_q(user))


class Client(ClientScoped, models.Model):
    """A person the clinic treats; may or may not have an account to sign in with."""

    legal_name = models.CharField(max_length=150, validators=FREE_TEXT)
    preferred_name = models.CharField(max_length=80, blank=True, validators=FREE_TEXT)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    address = models.TextField(max_length=500, blank=True, validators=FREE_TEXT)
    emergency_contact_name = models.CharField(max_length=150, blank=True, validators=FREE_TEXT)
    emergency_contact_phone = models.CharField(max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="client",
    )
    assigned_therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_clients",
        limit_choices_to=therapist_accounts,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived = models.BooleanField(default=False)

    objects = ClientQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name", "pk"]
        indexes = [models.Index(fields=["legal_name"])]
        constraints = [
            # Invited twice, a person is still one client: invitations reuse the record.
            models.UniqueConstraint(
                Lower("email"),
                condition=Q(user__isnull=True) & ~Q(email=""),
                name="one_client_without_account_per_email",
                violation_error_message="A client without an account already has this email.",
            )
        ]

    def __str__(self) -> str:
        return self.legal_name

    def get_additional_data(self) -> dict:
        return {"client_id": self.pk}

    @classmethod
    def client_lookup(cls) -> str:
        return "pk"

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.legal_name.split(" ")[0]

    def age(self, on: date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        on = on or timezone.localdate()
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    @classmethod
    def for_user(cls, user) -> "Client":
        """The client record of a signed-in client, created on first need."""
        client, _ = cls.objects.get_or_create(
            user=user, defaults={"legal_name": user.full_name or user.email, "email": user.email}
        )
        return client

    def latest_approved_plans(self) -> list["TreatmentPlan"]:
        """The newest approved version of each intake's plan, most recently approved first,
        with only what the client's home page shows of each: when it and its intake were
        approved and sent (not the intake's suggestion, large)."""
        plans = TreatmentPlan.objects.filter(intake__client=self).latest_approved()
        return list(
            plans.select_related("intake")
            .only("approved_at", "intake", "intake__submitted_at")
            .order_by("-approved_at", "-pk")
        )

    def sent_intakes(self, fields) -> list["Intake"]:
        """The client's sent intakes, newest first, with these fields and no more. A plain
        statement (clinic.rows): the client's history reads them on every view."""
        connection = connections[router.db_for_read(Intake)]
        sql = _sent_intakes_sql(connection.alias, tuple(fields))  # kept by the fields named
        return instances(Intake, fields, sql, [self.pk, Intake.Status.DRAFT.value])

    def last_submitted_intake(self) -> "Intake | None":
        """The newest sent intake, without its suggestion (large, and read only on the pages
        that show it)."""
        sent = self.intakes.exclude(status=Intake.Status.DRAFT).defer("suggestion")
        return sent.order_by("-submitted_at").first()

    @transaction.atomic
    def start_intake(self) -> "Intake":
        """The client's one draft: the open one, or a new one pre-filled from the last intake.

        The client's row is locked first, so two tabs starting at once get the same draft.
        """
        list(Client.objects.select_for_update().filter(pk=self.pk).values_list("pk", flat=True))
        draft = self.intakes.drafts().first()
        if draft is not None:
            return draft
        intake = Intake(client=self)
        previous = self.last_submitted_intake()
        if previous is not None:
            for field in Intake.CARRIED_FORWARD:
                setattr(intake, field, getattr(previous, field))
        intake.save()
        return intake


class IntakeQuerySet(AuditedQuerySet):
    def visible_to(self, user):
        return self.filter(visible_to_q(user, prefix="client__"))

    def awaiting_review(self):
        return self.filter(status=Intake.Status.SUBMITTED)

    def reviewed(self):
        return self.filter(status=Intake.Status.REVIEWED)

    def newest_first(self):
        return self.order_by("-submitted_at", "-pk")

    def by_urgency(self):
        """Emergency first, then urgent, then refer, then the rest; each newest first."""
        rank = models.Case(
            models.When(red_flag_urgency="emergency", then=0),
            models.When(red_flag_urgency="urgent", then=1),
            models.When(red_flag_urgency="refer", then=2),
            default=3,
            output_field=models.PositiveSmallIntegerField(),
        )
        return self.alias(urgency_rank=rank).order_by("urgency_rank", "-submitted_at", "-pk")

    def with_red_flags(self):
        return self.exclude(red_flag_urgency="")

    def matching_client_name(self, name: str):
        return self.filter(
            Q(client__legal_name__icontains=name) | Q(client__preferred_name__icontains=name)
        )

    def drafts(self):
        return self.filter(status=Intake.Status.DRAFT)

    def submitted(self):
        return self.exclude(status=Intake.Status.DRAFT)

    def needing_reminder(self, now=None):
        """Drafts untouched for longer than the clinic's settings say (two days unless set)
        that have not been reminded yet."""
        from clinic_settings.models import ClinicSettings

        now = now or timezone.now()
        return (
            self.drafts()
            .filter(
                updated_at__lt=now - ClinicSettings.load().reminder_after,
                reminder_sent_at__isnull=True,
                client__archived=False,
            )
            .exclude(Q(client__email="") & Q(client__user__isnull=True))
        )


class ReviewLinks(NamedTuple):
    """What an intake's review page links to besides the intake (Intake.review_links)."""

    has_resuggestions: bool
    has_addenda: bool
    newest_plan: "TreatmentPlan | None"


@cache
def _review_links_sql(alias: str) -> str:
    n, plan = Names(alias), TreatmentPlan
    newest_plan = (
        f"SELECT {n.column(plan, 'id')}, {n.column(plan, 'version')}, {n.column(plan, 'status')}"
        f" FROM {n.table(plan)} WHERE {n.column(plan, 'intake')} = %s"
        f" ORDER BY {n.column(plan, 'version')} DESC LIMIT 1"
    )
    return (
        f"SELECT EXISTS (SELECT 1 FROM {n.table(Resuggestion)}"
        f" WHERE {n.column(Resuggestion, 'intake')} = %s),"
        f" EXISTS (SELECT 1 FROM {n.table(Addendum)} WHERE {n.column(Addendum, 'intake')} = %s),"
        f" p.{n.column(plan, 'id')}, p.{n.column(plan, 'version')}, p.{n.column(plan, 'status')}"
        f" FROM (SELECT 1 AS one) o LEFT JOIN ({newest_plan}) p ON 1 = 1"
    )


@cache
def _sent_intakes_sql(alias: str, fields: tuple[str, ...]) -> str:
    n = Names(alias)
    return (
        f"SELECT {n.columns(Intake, fields)} FROM {n.table(Intake)}"
        f" WHERE {n.column(Intake, 'client')} = %s AND NOT ({n.column(Intake, 'status')} = %s)"
        f" ORDER BY {n.column(Intake, 'submitted_at')} DESC, {n.column(Intake, 'id')} DESC"
    )


@cache
def _previous_submitted_sql(alias: str) -> str:
    n = Names(alias)
    return (
        f"SELECT {n.columns(Intake, Intake.PREVIOUS_FIELDS)} FROM {n.table(Intake)}"
        f" WHERE {n.column(Intake, 'client')} = %s AND NOT ({n.column(Intake, 'status')} = %s)"
        f" AND {n.column(Intake, 'submitted_at')} < %s"
        f" ORDER BY {n.column(Intake, 'submitted_at')} DESC LIMIT 1"
    )


class Intake(ClientScoped, models.Model):
    """One intake questionnaire, saved step by step as a draft until submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        REVIEWED = "reviewed", "Reviewed"

    class TreatmentArea(models.TextChoices):
        BUTTOCKS = "buttocks", "Buttocks"
        INNER_THIGH_GROIN = "inner_thigh_groin", "Inner thigh and groin"
        ABDOMEN = "abdomen", "Abdomen"

    # The default; the clinic's settings hold the days before a reminder.
    REMINDER_AFTER = timedelta(days=2)
    # What a returning client confirms rather than retypes.
    CARRIED_FORWARD = ["conditions", "medications", "allergies", "surgeries", "precautions"]

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="intakes")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    steps_done = models.JSONField(default=list, blank=True)
    # What was typed on a step left with "Save and finish later" before it was complete,
    # by step name; shown again when the client comes back, never counted as done.
    step_drafts = models.JSONField(default=dict, blank=True)

    main_complaint = models.TextField(max_length=2000, blank=True, validators=FREE_TEXT)
    pain_started_on = models.DateField(null=True, blank=True)
    symptoms = models.JSONField(default=list, blank=True)
    red_flags = models.JSONField(default=list, blank=True)
    precautions = models.JSONField(default=list, blank=True)

    conditions = models.TextField(max_length=2000, blank=True, validators=FREE_TEXT)
    medications = models.TextField(max_length=2000, blank=True, validators=FREE_TEXT)
    allergies = models.TextField(max_length=1000, blank=True, validators=FREE_TEXT)
    surgeries = models.TextField(max_length=2000, blank=True, validators=FREE_TEXT)

    current_pain = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_VALIDATORS
    )
    peg_pain = models.PositiveSmallIntegerField(
        "average pain (PEG)", null=True, blank=True, validators=SCORE_VALIDATORS
    )
    peg_enjoyment = models.PositiveSmallIntegerField(
        "interference with enjoyment of life (PEG)",
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    peg_activity = models.PositiveSmallIntegerField(
        "interference with general activity (PEG)",
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )

    goals = models.TextField(max_length=2000, blank=True, validators=FREE_TEXT)
    treatment_areas = models.JSONField(default=list, blank=True)

    consent_agreed = models.BooleanField(default=False)
    consent_name = models.CharField(max_length=150, blank=True, validators=FREE_TEXT)
    consent_at = models.DateTimeField(null=True, blank=True)
    # The consent text and policies the client accepted (clinic settings, versioned).
    consent_version = models.ForeignKey(
        "clinic_settings.ConsentVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    suggestion = models.JSONField(null=True, blank=True)
    ruleset = models.CharField(max_length=40, blank=True)
    # The most urgent red flag at submission ("emergency", "refer" or ""), for the queue.
    red_flag_urgency = models.CharField(max_length=16, blank=True, default="")

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-submitted_at"]),
            models.Index(fields=["status", "red_flag_urgency", "-submitted_at"]),
            models.Index(fields=["status", "updated_at"]),
            models.Index(fields=["-started_at", "-id"], name="intake_started_at_desc"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(current_pain__isnull=True) | Q(current_pain__lte=SCORE_MAX),
                name="intake_current_pain_0_10",
            ),
            models.CheckConstraint(
                condition=Q(peg_pain__isnull=True) | Q(peg_pain__lte=SCORE_MAX),
                name="intake_peg_pain_0_10",
            ),
            models.CheckConstraint(
                condition=Q(peg_enjoyment__isnull=True) | Q(peg_enjoyment__lte=SCORE_MAX),
                name="intake_peg_enjoyment_0_10",
            ),
            models.CheckConstraint(
                condition=Q(peg_activity__isnull=True) | Q(peg_activity__lte=SCORE_MAX),
                name="intake_peg_activity_0_10",
            ),
            # A sent intake is signed and carries its snapshot...
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    Q(submitted_at__isnull=False)
                    & Q(consent_agreed=True)
                    & Q(suggestion__isnull=False)
                    & ~Q(ruleset="")
                ),
                name="intake_sent_is_signed_with_snapshot",
            ),
            # ...and a red flag in its answers always shows in the queue.
            models.CheckConstraint(
                condition=Q(status="draft") | Q(red_flags=[]) | ~Q(red_flag_urgency=""),
                name="intake_sent_red_flags_have_urgency",
            ),
            models.UniqueConstraint(
                fields=["client"], condition=Q(status="draft"), name="one_draft_per_client"
            ),
        ]

    def __str__(self) -> str:
        return f"Intake #{self.pk} ({self.get_status_display().lower()})"

    SCORE_FIELDS = ["current_pain", "peg_pain", "peg_enjoyment", "peg_activity"]

    def validate_constraints(self, exclude=None):
        # The scores' 0-10 checks are their fields' validators, which full_clean() has just
        # run: Django would ask the database again, a query and two savepoints a score.
        super().validate_constraints(exclude={*(exclude or ()), *self.SCORE_FIELDS})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def duration_weeks(self) -> int | None:
        if self.pain_started_on is None:
            return None
        # The clinic's calendar day, not UTC's: a morning in Sydney is the day before in UTC.
        reference = timezone.localdate(self.submitted_at or timezone.now())
        return max(0, (reference - self.pain_started_on).days // 7)

    @property
    def peg_score(self) -> float | None:
        ratings = [self.peg_pain, self.peg_enjoyment, self.peg_activity]
        if any(rating is None for rating in ratings):
            return None
        return round(sum(ratings) / 3, 1)

    def symptom_labels(self) -> list[str]:
        from intake.labels import label_for

        return [label_for("symptom", code, "client_label") for code in self.symptoms]

    @cached_property
    def safety_urgency(self) -> str:
        """The most urgent red flag as the rules judge it: "emergency", "urgent", "refer" or "".

        A sent intake keeps what the rules said at submission; a draft asks them now. Nothing
        else decides it, so a combination the rules escalate reaches the client too.
        """
        if not self.is_draft:
            return self.red_flag_urgency
        from intake.rules import suggest

        flags = suggest(self.rules_case()).red_flags
        return flags[0].urgency if flags else ""

    def safety_advice(self):
        """What the client reads for that urgency (None if none), with the clinic's number."""
        from intake.rules import client_advice

        if not self.safety_urgency:
            return None
        from clinic_settings.models import ClinicSettings

        return client_advice(self.safety_urgency, ClinicSettings.load().emergency_number_or_default)

    def red_flag_questions(self) -> list[str]:
        from intake.labels import label_for

        return [label_for("red_flag", code, "question") for code in self.red_flags]

    def precaution_questions(self) -> list[str]:
        from intake.labels import label_for

        return [label_for("precaution", code, "question") for code in self.precautions]

    def treatment_area_labels(self) -> list[str]:
        from intake.labels import label_for

        return [label_for("treatment_area", code) for code in self.treatment_areas]

    def mark_step_done(self, step: str) -> None:
        if step not in self.steps_done:
            self.steps_done = [*self.steps_done, step]

    def rules_case(self) -> dict:
        """The answers in the rules contract's input language."""
        case = {
            "pain": [
                {"region": p.region, "side": p.side, "intensity": p.intensity}
                for p in self.pain_locations.all()
            ],
            # Repeats stored before the forms refused them must not stop a submission.
            "symptoms": unique(self.symptoms),
            "red_flags": unique(self.red_flags),
            "precautions": unique(self.precautions),
        }
        if self.duration_weeks is not None:
            case["duration_weeks"] = self.duration_weeks
        age = self.client.age(on=timezone.localdate(self.submitted_at or timezone.now()))
        if age is not None and 0 <= age <= MAX_AGE:
            case["age"] = age
        return case

    @classmethod
    def locked(cls, pk: int) -> "Intake":
        """The intake read again under its row lock, for a write in the current transaction.

        Every write to an intake goes through this, so writes queue up one after the other
        and each one sees what the one before it committed.
        """
        return cls.objects.select_related("client").select_for_update(of=("self",)).get(pk=pk)

    SUBMISSION_FIELDS = [
        "status",
        "submitted_at",
        "consent_agreed",
        "consent_name",
        "consent_at",
        "consent_version",
        "suggestion",
        "ruleset",
        "red_flag_urgency",
        "updated_at",
    ]

    def submit(self, *, consent_name: str, consent_version=None) -> bool:
        """Sign, snapshot the suggestion and submit, once; False if it was already submitted.

        The snapshot and the red-flag urgency come from the answers as committed, read under
        the row lock, in the same transaction as the status change.
        """
        from intake.rules import suggest

        with transaction.atomic():
            intake = Intake.locked(self.pk)
            if intake.is_draft:
                now = timezone.now()
                intake.status = self.Status.SUBMITTED
                intake.submitted_at = now
                intake.consent_agreed = True
                intake.consent_name = consent_name
                intake.consent_at = now
                intake.consent_version = consent_version or current_consent_version()
                result = suggest(intake.rules_case())
                intake.suggestion = result.to_dict()
                intake.ruleset = result.ruleset
                intake.red_flag_urgency = result.red_flags[0].urgency if result.red_flags else ""
                intake.save(update_fields=self.SUBMISSION_FIELDS)
                submitted = True
            else:
                submitted = False
        self.refresh_from_db()
        return submitted

    # What "what changed" compares (intake.changes), and when the intake was sent.
    PREVIOUS_FIELDS = ["id", "client", "submitted_at", "current_pain", "precautions", "red_flags"]

    def previous_submitted(self) -> "Intake | None":
        """The same client's intake submitted before this one, with PREVIOUS_FIELDS and no
        more; its places are left to the caller to fetch. A plain statement (clinic.rows):
        the review page reads it on every view."""
        connection = connections[router.db_for_read(Intake)]
        when = connection.ops.adapt_datetimefield_value(self.submitted_at)
        found = instances(
            Intake,
            self.PREVIOUS_FIELDS,
            _previous_submitted_sql(connection.alias),
            [self.client_id, Intake.Status.DRAFT.value, when],
        )
        return found[0] if found else None

    def review_links(self) -> ReviewLinks:
        """What the review page links to: whether there are fresh suggestions and addenda,
        and the newest plan (its id, version and status only, or None). One plain
        statement: built through the ORM, as three subqueries of the intake's query, they
        cost more than the rest of that query."""
        with connections[self._state.db or "default"].cursor() as cursor:
            cursor.execute(_review_links_sql(cursor.db.alias), [self.pk] * 3)
            resuggested, amended, plan_id, version, status = cursor.fetchone()
        newest_plan = None
        if plan_id is not None:
            newest_plan = TreatmentPlan(pk=plan_id, intake=self, version=version, status=status)
        return ReviewLinks(bool(resuggested), bool(amended), newest_plan)

    @property
    def can_resuggest(self) -> bool:
        """Whether the current ruleset's suggestion is missing: neither the one taken at
        submission nor a fresh one kept since was made under it."""
        from intake.rules import RULESET

        return self.ruleset != RULESET and all(
            fresh.ruleset != RULESET for fresh in self.resuggestions.all()
        )

    def resuggest(self, *, by) -> None:
        """Keep a fresh suggestion under the current ruleset beside the one taken at
        submission, once per ruleset (a double click or a colleague makes no second)."""
        from intake.rules import suggest

        result = suggest(self.rules_case())
        try:
            with transaction.atomic():
                Resuggestion.objects.create(
                    intake=self, ruleset=result.ruleset, result=result.to_dict(), created_by=by
                )
        except IntegrityError:
            pass

    def current_plan(self) -> "TreatmentPlan | None":
        return self.plans.order_by("-version").first()


def current_consent_version():
    from clinic_settings.models import ClinicSettings

    return ClinicSettings.load().current_consent()


class Places(NamedTuple):
    """What a list row says of an intake's places: the most painful, and how many in all."""

    strongest: list[str]  # labels, strongest first (ties in the order marked)
    count: int


@cache
def _places_sql(alias: str, count: int) -> str:
    n = Names(alias)
    wanted = ", ".join(
        n.column(PainLocation, name) for name in ["intake", "id", "region", "side", "intensity"]
    )
    return (
        f"SELECT {wanted} FROM {n.table(PainLocation)}"
        f" WHERE {n.column(PainLocation, 'intake')} IN ({placeholders(count)})"
    )


class PainLocation(ClientScoped, models.Model):
    # Read through one_pain_location_per_region_side, which begins with the intake.
    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="pain_locations", db_index=False
    )
    region = models.CharField(max_length=32, choices=REGION_CHOICES)
    side = models.CharField(max_length=8, choices=SIDE_CHOICES)
    intensity = models.PositiveSmallIntegerField(
        default=DEFAULT_INTENSITY, validators=SCORE_VALIDATORS
    )

    client_via = "intake"

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "region", "side"], name="one_pain_location_per_region_side"
            ),
            models.CheckConstraint(
                condition=Q(intensity__lte=SCORE_MAX), name="pain_intensity_0_10"
            ),
        ]

    def __str__(self) -> str:
        return self.label(self.region, self.side)

    @staticmethod
    def label(region: str, side: str) -> str:
        from intake.labels import label_for

        return f"{label_for('region', region)}, {label_for('side', side).lower()}"

    @classmethod
    def places_by_intake(cls, intakes, strongest: int = 3) -> dict[int, Places]:
        """Each of these intakes' `strongest` most painful places and its number of places,
        by intake id. Lists show them on every row: one plain statement of plain values (a
        model instance for each place was a seventh of the review queue's time, and the
        ORM's building of the query half of what remained)."""
        found = {intake.pk: [] for intake in intakes}
        if found:
            with connections[router.db_for_read(cls)].cursor() as cursor:
                cursor.execute(_places_sql(cursor.db.alias, len(found)), list(found))
                for intake_id, pk, region, side, intensity in cursor.fetchall():
                    found[intake_id].append((-intensity, pk, region, side))
        return {
            intake_id: Places(
                [cls.label(region, side) for *_, region, side in sorted(places)[:strongest]],
                len(places),
            )
            for intake_id, places in found.items()
        }


@cache
def _findings_sql(alias: str, count: int) -> str:
    n = Names(alias)
    return (
        f"SELECT {n.columns(Finding, Finding.LATEST_FIELDS)} FROM {n.table(Finding)}"
        f" WHERE {n.column(Finding, 'plan_muscle')} IN ({placeholders(count)})"
        f" ORDER BY {n.column(Finding, 'recorded_at')} DESC, {n.column(Finding, 'id')} DESC"
    )


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(AuditedQuerySet):
    def usable(self, now=None):
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class Invitation(ClientScoped, models.Model):
    """A single-use link that lets a new client set a password and start their intake."""

    LIFETIME = timedelta(days=7)

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation #{self.pk}"

    @classmethod
    def issue(cls, client: Client, *, by) -> tuple["Invitation", str]:
        """A new invitation and its secret token (only its digest is stored)."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            client=client,
            email=client.email,
            token_digest=_token_digest(token),
            created_by=by,
            expires_at=timezone.now() + cls.LIFETIME,
        )
        return invitation, token

    @classmethod
    def find_usable(cls, token: str) -> "Invitation | None":
        return (
            cls.objects.usable()
            .select_related("client")
            .filter(token_digest=_token_digest(token))
            .first()
        )

    def accept(self, password: str):
        """The client's new account, or None when this invitation was used or expired (or its
        client given an account) meanwhile: two tabs, a double click or a sign-up racing it get
        one clean outcome. Older invitations to the same client stop working too."""
        from allauth.account.models import EmailAddress
        from django.contrib.auth import get_user_model

        from accounts.roles import Role, set_role

        try:
            with transaction.atomic():
                client = Client.objects.select_for_update().get(pk=self.client_id)
                now = timezone.now()
                claimed = Invitation.objects.usable(now).filter(pk=self.pk).update(used_at=now)
                if not claimed or client.user_id is not None:
                    return None
                Invitation.objects.usable(now).filter(client=client).update(used_at=now)
                user = get_user_model().objects.create_user(
                    self.email, password, full_name=client.legal_name
                )
                # The invitation reached this address, so the address is verified.
                EmailAddress.objects.create(
                    user=user, email=user.email, verified=True, primary=True
                )
                set_role(user, Role.CLIENT)
                client.user = user
                client.save(update_fields=["user", "updated_at"])
        except IntegrityError:
            return None
        return user


class Resuggestion(ClientScoped, models.Model):
    """A fresh suggestion under a newer ruleset, kept beside the one taken at submission."""

    # Read through one_resuggestion_per_ruleset, which begins with the intake.
    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="resuggestions", db_index=False
    )
    ruleset = models.CharField(max_length=40)
    result = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    client_via = "intake"

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "ruleset"], name="one_resuggestion_per_ruleset"
            )
        ]

    def __str__(self) -> str:
        return f"Suggestion under {self.ruleset} for intake #{self.intake_id}"


# The body areas a muscle is worked through, where the client must have agreed to treatment
# there (the questionnaire's last step). Muscles not listed are reached through the back, hip
# or legs.
CONSENT_AREAS: dict[str, list[str]] = {
    "gluteus_maximus": ["buttocks"],
    "gluteus_medius": ["buttocks"],
    "gluteus_minimus": ["buttocks"],
    "piriformis": ["buttocks"],
    "pectineus": ["inner_thigh_groin"],
    "adductor_longus": ["inner_thigh_groin"],
    "adductor_brevis": ["inner_thigh_groin"],
    "adductor_magnus": ["inner_thigh_groin"],
    "rectus_abdominis": ["abdomen"],
    "abdominal_obliques": ["abdomen"],
    # The psoas is reached through the abdomen, the iliacus at the groin.
    "iliopsoas": ["abdomen", "inner_thigh_groin"],
}


def suggestion_group(item: dict) -> str:
    """The group of one suggested muscle of a snapshot; snapshots from before groups count
    a muscle that explains a marked region as "explains", any other as "approach"."""
    return item.get("group") or ("explains" if item.get("explains") else "approach")


class PlanLink(NamedTuple):
    """What a list row says of a plan version: its link, status and approval."""

    pk: int
    version: int
    status: str
    approved_at: datetime | None
    approved_by: str  # the approver as their account names them now; "" once it is gone

    @property
    def is_approved(self) -> bool:
        return self.status == TreatmentPlan.Status.APPROVED

    def get_status_display(self) -> str:
        return TreatmentPlan.Status(self.status).label


# What a list row shows of a plan version (PlanLink).
LINK_FIELDS = ["intake", "version", "status", "approved_at"]


@cache
def _links_sql(alias: str, count: int) -> str:
    from django.contrib.auth import get_user_model

    n, plan, user = Names(alias), TreatmentPlan, get_user_model()
    # What str() of the approver's account is made of (accounts.models.User.__str__).
    return (
        f"SELECT {n.columns(plan, LINK_FIELDS, 'p')},"
        f" u.{n.column(user, 'full_name')}, u.{n.column(user, 'email')}"
        f" FROM {n.table(plan)} p LEFT JOIN {n.table(user)} u"
        f" ON u.{n.column(user, user._meta.pk.name)} = p.{n.column(plan, 'approved_by')}"
        f" WHERE p.{n.column(plan, 'intake')} IN ({placeholders(count)})"
        f" ORDER BY p.{n.column(plan, 'version')} DESC, p.{n.column(plan, 'id')} DESC"
    )


class TreatmentPlanQuerySet(AuditedQuerySet):
    def approved(self):
        return self.filter(status=TreatmentPlan.Status.APPROVED)

    def latest_approved(self):
        """The newest approved version of each intake's plan."""
        newer = TreatmentPlan.objects.approved().filter(
            intake=models.OuterRef("intake"), version__gt=models.OuterRef("version")
        )
        return self.approved().exclude(models.Exists(newer))

    def for_plan_page(self):
        """What the therapist's plan page shows: the plan but its handout, and of its intake
        only the red flags and the suggestion's precautions (`precaution_notes`), not the
        answers nor the rest of the suggestion (some 13 KB of JSON)."""
        return self.only(
            *["version", "status", "outcome", "outcome_reason", "techniques", "pressure"],
            *["home_care", "approved_by", "approved_at", "approved_by_name"],
            *["intake__red_flags", "intake__client__legal_name"],
        ).annotate(precaution_notes=KeyTransform("precautions", "intake__suggestion"))


class TreatmentPlan(ClientScoped, models.Model):
    """A therapist's plan for one intake. Editing an approved plan makes a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    class Outcome(models.TextChoices):
        TREAT = "treat", "Massage treatment"
        REFERRED = "referred", "No massage: referred to another professional"

    # Read through one_plan_per_version, which begins with the intake.
    intake = models.ForeignKey(
        Intake, on_delete=models.CASCADE, related_name="plans", db_index=False
    )
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.TREAT)
    outcome_reason = models.TextField(
        "why and to whom", max_length=2000, blank=True, validators=FREE_TEXT
    )
    techniques = models.TextField(max_length=4000, blank=True, validators=FREE_TEXT)
    pressure = models.TextField(max_length=2000, blank=True, validators=FREE_TEXT)
    home_care = models.TextField(max_length=4000, blank=True, validators=FREE_TEXT)
    # The client's home-care handout as the therapist edited it; blank: made from the
    # planned muscles and intake/rules/handouts.toml (intake/handouts.py).
    handout = models.TextField("home-care handout", max_length=12000, blank=True)
    # Bumped by every save; a save that read an older revision is refused.
    revision = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # Who approved it, as they were called then: kept when their account is deleted.
    approved_by_name = models.CharField(max_length=300, blank=True, editable=False)

    client_via = "intake"

    objects = TreatmentPlanQuerySet.as_manager()

    class Meta:
        ordering = ["intake", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "version"], name="one_plan_per_version"),
            models.CheckConstraint(
                condition=~Q(status="approved", outcome="referred", outcome_reason=""),
                name="approved_referral_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Plan v{self.version} for intake #{self.intake_id}"

    @classmethod
    def links_by_intake(cls, intakes) -> dict[int, list[PlanLink]]:
        """Each of these intakes' plan versions, newest first, by intake id, with the
        approver's name: one plain statement of what a row shows (as model instances,
        prefetched with their approvers, they were an eighth of the client history's time,
        and the ORM's building of their query half of what remained)."""
        found = {intake.pk: [] for intake in intakes}
        if not found:
            return found
        connection = connections[router.db_for_read(cls)]
        with connection.cursor() as cursor:
            cursor.execute(_links_sql(connection.alias, len(found)), list(found))
            rows = cursor.fetchall()
        split = width(cls, LINK_FIELDS)
        plans = from_rows(cls, LINK_FIELDS, [row[:split] for row in rows], connection.alias)
        for plan, (*_, name, email) in zip(plans, rows, strict=True):
            found[plan.intake_id].append(
                PlanLink(
                    plan.pk,
                    plan.version,
                    plan.status,
                    plan.approved_at,
                    approved_by=name or email or "",
                )
            )
        return found

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_referral(self) -> bool:
        return self.outcome == self.Outcome.REFERRED

    def planned_muscles(self):
        return [m for m in self.muscles.all() if m.included]

    def muscle_problems(self, code: str, sides) -> list[str]:
        """Why this client's plan may not include muscle `code` on `sides` ([] if it may)."""
        from intake.rules.knowledge import MUSCLES

        muscle = MUSCLES.get(code)
        if muscle is None:
            return [f"“{code}” is not a muscle this clinic plans."]
        problems = []
        if not sides:
            problems.append(f"Choose the side or sides of {muscle.name}.")
        elif not isinstance(sides, list) or not all(
            side in codes.SIDES for side in map(str, sides)
        ):
            problems.append(f"The sides of {muscle.name} are left, right, both or middle.")
        if muscle.internal_only:
            problems.append(
                f"{muscle.name} can only be reached internally: refer the client to a "
                "pelvic-health physiotherapist instead of planning it."
            )
        agreed = self.intake.treatment_areas
        missing = [area for area in CONSENT_AREAS.get(code, []) if area not in agreed]
        if missing:
            areas = " and ".join(Intake.TreatmentArea(a).label.lower() for a in missing)
            problems.append(
                f"{muscle.name} is worked through the {areas}, which the client has not "
                "agreed to have treated. Leave it out, or ask the client first."
            )
        return problems

    def approval_problems(self) -> list[str]:
        """Why this plan may not be approved as it stands ([] if it may)."""
        included = self.muscles.filter(included=True).exists()
        if self.is_referral:
            problems = []
            if not self.outcome_reason.strip():
                problems.append("Write why the client was referred, and to whom.")
            if included:
                problems.append(
                    "A referral plans no massage: untick the muscles, or choose massage treatment."
                )
            return problems
        if not included:
            return [
                "Accept at least one muscle, or choose “No massage: referred to another "
                "professional” and write why."
            ]
        # A red flag puts massage on hold until a clearance is recorded; a referral (above)
        # plans no massage, so it is approved without one (clearances/models.py).
        from clearances.models import approval_problem

        if hold := approval_problem(self.intake):
            return [hold]
        return [
            f"{row.name}: {caution.message} Write why you still plan it, or leave it out."
            for row in self.muscles.filter(included=True, caution_reason="")
            for caution in row.forbidding_cautions()
        ]

    @classmethod
    def start_for(cls, intake: Intake, *, by) -> "TreatmentPlan":
        """The intake's plan: its current version, or else a first draft listing every
        suggested muscle for the therapist to accept or reject.

        The intake's row stays locked while we look, so colleagues starting the plan at the
        same moment all get the one plan. No plan is started for an archived client.
        """
        with transaction.atomic():
            locked = Intake.objects.select_for_update().get(pk=intake.pk)
            current = locked.current_plan()
            if current is not None:
                return current
            if Client.objects.filter(pk=locked.client_id, archived=True).exists():
                raise ValidationError(
                    "This client is archived, so no treatment plan can be started. "
                    "An admin can bring them back from the records first."
                )
            return cls._first_draft(locked, by=by)

    @classmethod
    def _first_draft(cls, intake: Intake, *, by) -> "TreatmentPlan":
        plan = cls.objects.create(intake=intake, version=1, created_by=by)
        PlanMuscle.objects.bulk_create(
            PlanMuscle.suggested(plan, item)
            for item in (intake.suggestion or {}).get("suggestions", [])
        )
        return plan

    def new_version(self, *, by) -> "TreatmentPlan":
        """A draft copy of this approved plan (see `revise`)."""
        return self.revise(by=by)[0]

    def revise(self, *, by) -> tuple["TreatmentPlan", bool]:
        """The draft to edit next and whether it was made now.

        A draft copy of this plan if it is the latest version and approved (the approved one
        stays as it was); otherwise the newer version, which a colleague may have made a
        moment ago: the intake's row is locked while we look.
        """
        with transaction.atomic():
            Intake.objects.select_for_update().get(pk=self.intake_id)
            latest = TreatmentPlan.objects.filter(intake=self.intake_id).order_by("-version")[0]
            if latest.pk != self.pk or not latest.is_approved:
                return latest, False
            return self._copy(by=by), True

    def _copy(self, *, by) -> "TreatmentPlan":
        copy = TreatmentPlan.objects.create(
            intake=self.intake,
            version=self.version + 1,
            techniques=self.techniques,
            pressure=self.pressure,
            home_care=self.home_care,
            handout=self.handout,
            outcome=self.outcome,
            outcome_reason=self.outcome_reason,
            created_by=by,
        )
        PlanMuscle.objects.bulk_create(
            PlanMuscle(
                plan=copy,
                muscle=m.muscle,
                sides=m.sides,
                position=m.position,
                included=m.included,
                origin=m.origin,
                suggested_rank=m.suggested_rank,
                suggested_group=m.suggested_group,
            )
            for m in self.muscles.all()
        )
        return copy

    def claim_revision(self, seen_revision: int) -> bool:
        """Take the next revision if nobody saved since `seen_revision` (optimistic locking)."""
        claimed = TreatmentPlan.objects.filter(pk=self.pk, revision=seen_revision).update(
            revision=seen_revision + 1, updated_at=timezone.now()
        )
        if claimed:
            self.revision = seen_revision + 1
        return bool(claimed)

    def approve(self, *, by) -> None:
        """Approve this draft; a ValidationError says why if it may not be approved."""
        problems = self.approval_problems()
        if problems:
            raise ValidationError(problems)
        now = timezone.now()
        self.status = self.Status.APPROVED
        self.approved_by = by
        self.approved_by_name = person_label(by)
        self.approved_at = now
        self.save(
            update_fields=["status", "approved_by", "approved_by_name", "approved_at", "updated_at"]
        )
        Intake.objects.filter(pk=self.intake_id).update(
            status=Intake.Status.REVIEWED, updated_at=now
        )


class PlanMuscle(ClientScoped, models.Model):
    """A muscle the therapist accepted, rejected or added, with its sides and place in order."""

    class Origin(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        ADDED = "added", "Added by the therapist"

    # Read through one_row_per_plan_muscle, which begins with the plan.
    plan = models.ForeignKey(
        TreatmentPlan, on_delete=models.CASCADE, related_name="muscles", db_index=False
    )
    muscle = models.CharField(max_length=40)
    sides = models.JSONField(default=list)
    position = models.PositiveSmallIntegerField(default=0)
    included = models.BooleanField(default=True)
    origin = models.CharField(max_length=16, choices=Origin.choices, default=Origin.SUGGESTED)
    suggested_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    # The rules' group of a suggested muscle (explains, approach, hip_mover), for the
    # agreement figures; blank for a muscle added by hand.
    suggested_group = models.CharField(max_length=16, blank=True, editable=False)
    # Why the therapist plans this muscle although one of its cautions forbids the usual work.
    caution_reason = models.TextField(max_length=1000, blank=True)

    client_via = "plan__intake"

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-included", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "muscle"], name="one_row_per_plan_muscle")
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def suggested(cls, plan: "TreatmentPlan", item: dict) -> "PlanMuscle":
        """A first draft's row for one muscle of the suggestion: in its rank, not yet chosen."""
        return cls(
            plan=plan,
            muscle=item["muscle"],
            sides=item["sides"],
            position=item["rank"],
            included=False,
            suggested_rank=item["rank"],
            suggested_group=suggestion_group(item),
        )

    def cautions(self) -> tuple:
        """The rules' cautions for this muscle, from what the client reported (version 2)."""
        from intake.rules import muscle_cautions

        intake = self.plan.intake
        return muscle_cautions(self.muscle, [*intake.precautions, *intake.red_flags])

    def forbidding_cautions(self) -> list:
        return [caution for caution in self.cautions() if caution.forbids]

    @property
    def name(self) -> str:
        from intake.rules.knowledge import MUSCLES

        muscle = MUSCLES.get(self.muscle)
        return muscle.name if muscle else self.muscle.replace("_", " ").capitalize()

    @property
    def internal_only(self) -> bool:
        from intake.rules.knowledge import MUSCLES

        muscle = MUSCLES.get(self.muscle)
        return bool(muscle and muscle.internal_only)

    def finding_problem(self) -> str:
        """Why no session findings can be recorded on this muscle ("" if they can)."""
        if not self.plan.is_approved:
            return f"The plan is not approved yet, so no findings can be recorded for {self.name}."
        if not self.included:
            return f"{self.name} is not in the plan, so no findings can be recorded for it."
        return ""

    def clean(self):
        if self.plan_id is None:
            return
        if self.plan.is_approved:
            raise ValidationError("An approved plan does not change: make a new version of it.")
        if self.included:
            problems = self.plan.muscle_problems(self.muscle, self.sides)
            if problems:
                raise ValidationError(problems)


class Finding(ClientScoped, models.Model):
    """What the therapist found on a planned muscle in a session: the evidence for the rules."""

    class TriggerPoint(models.TextChoices):
        ACTIVE = "active", "Active"
        LATENT = "latent", "Latent"
        NONE = "none", "None found"

    plan_muscle = models.ForeignKey(PlanMuscle, on_delete=models.CASCADE, related_name="findings")
    trigger_point = models.CharField(max_length=8, choices=TriggerPoint.choices)
    referral_reproduced = models.BooleanField()
    treated = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Who recorded it, as they were called then: kept when their account is deleted.
    recorded_by_name = models.CharField(max_length=300, blank=True, editable=False)
    # The one-time key of the form that recorded it, so a form posted twice records once.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    client_via = "plan_muscle__plan__intake"

    # What the plan page says of a muscle's last session.
    LATEST_FIELDS = [
        "plan_muscle",
        "trigger_point",
        "referral_reproduced",
        "treated",
        "recorded_at",
    ]

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission_key"], name="one_finding_per_submission")
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_point_display()} trigger point"

    def save(self, *args, **kwargs):
        if self.recorded_by_id is not None and not self.recorded_by_name:
            self.recorded_by_name = person_label(self.recorded_by)
        super().save(*args, **kwargs)

    def clean(self):
        if self.plan_muscle_id is not None and (problem := self.plan_muscle.finding_problem()):
            raise ValidationError(problem)

    @classmethod
    def latest_by_muscle(cls, muscles) -> dict[int, "Finding"]:
        """Each of these planned muscles' latest finding, by muscle id (none for a muscle
        without findings). One plain statement (clinic.rows): the plan page shows it on every
        view, and the ORM's prefetch of every finding cost twice as much."""
        if not muscles:
            return {}
        connection = connections[router.db_for_read(cls)]
        sql = _findings_sql(connection.alias, len(muscles))
        latest = {}
        for finding in instances(cls, cls.LATEST_FIELDS, sql, [muscle.pk for muscle in muscles]):
            latest.setdefault(finding.plan_muscle_id, finding)  # newest first
        return latest


@cache
def _access_insert(alias: str, shared: tuple[str, ...], *, rows: int | None) -> str:
    """The statement of AccessEventQuerySet.add_for_rows: the `shared` fields and each row's
    object and client ids, from two arrays (rows=None, PostgreSQL) or as `rows` tuples."""
    connection = connections[alias]
    meta = AccessEvent._meta
    fields = [meta.get_field(name) for name in shared]
    per_row = [meta.get_field("object_id"), meta.get_field("client")]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields + per_row)
    insert = f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns})"
    if rows is None:
        typed = ", ".join(f"%s::{f.db_type(connection)}" for f in fields)
        arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in per_row)
        return f"{insert} SELECT {typed}, v.o, v.c FROM unnest({arrays}) AS v(o, c)"
    one_row = "(" + ", ".join(["%s"] * (len(fields) + 2)) + ")"
    return f"{insert} VALUES {', '.join([one_row] * rows)}"


class AccessEventQuerySet(models.QuerySet):
    ROWS_AN_INSERT = 100

    def add_for_rows(self, *, rows: list[tuple[int, int]], **shared) -> None:
        """One event per (object id, client id) in `rows`, the other fields the same for all
        (`shared`: actor, actor_name, actor_email, object_type, action), written in one
        statement (on SQLite, one a hundred rows). A list page records every client row it
        shows: preparing a model instance for each, as bulk_create does, was a tenth of an
        admin list's time.
        """
        connection = connections[self.db]
        shared = {"at": timezone.now(), **shared}
        if isinstance(shared.get("actor"), models.Model):
            shared["actor"] = shared["actor"].pk
        fields = [self.model._meta.get_field(name) for name in shared]
        values = [f.get_db_prep_save(shared[f.name], connection) for f in fields]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and len(rows) * (len(values) + 2) > 50:
                # psycopg parses a statement of more than 50 parameters again on every call
                # (2 ms for an admin list's 50 rows): a longer list's ids go as two arrays,
                # eight parameters however many rows there are.
                cursor.execute(
                    _access_insert(self.db, tuple(shared), rows=None),
                    [*values, [pk for pk, _ in rows], [client for _, client in rows]],
                )
                return
            for start in range(0, len(rows), self.ROWS_AN_INSERT):
                chunk = rows[start : start + self.ROWS_AN_INSERT]
                cursor.execute(
                    _access_insert(self.db, tuple(shared), rows=len(chunk)),
                    [value for pk, client_id in chunk for value in (*values, pk, client_id)],
                )

    def update(self, **kwargs):
        raise PermissionError("The access log is append-only.")

    def delete(self):
        raise PermissionError("The access log is append-only.")


class AccessEvent(models.Model):
    """Append-only: a page showed, listed, exported or printed a client's record to someone,
    or refused to (a record they may not see, or a page their role may not open)."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        EXPORT = "export", "Exported"
        PRINT = "print", "Printed"
        REFUSED = "refused", "Refused"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The actor's and the client's events are read through the indexes below, which begin
    # with them; an index of their own would only cost every page that writes an event.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    # Who it was, copied when the event is written: kept when their account is deleted.
    actor_name = models.CharField(max_length=150, blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    # Kept when the client is deleted, so the trail still shows that access happened.
    client = models.ForeignKey(
        Client,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_events",
        db_index=False,
    )
    object_type = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=8, choices=Action.choices)

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["client", "-at"]), models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} #{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The access log is append-only.")

    @classmethod
    def client_lookup(cls) -> str:
        return "client_id"

    @property
    def actor_label(self) -> str:
        return (
            person_label(self.actor) if self.actor_id else _label(self.actor_name, self.actor_email)
        )


def _label(name: str, email: str) -> str:
    if name and email:
        return f"{name} <{email}>"
    return name or email or "-"


def person_label(user) -> str:
    """A person as the records keep them once their account may be gone: name and email."""
    if user is None:
        return ""
    return _label(user.full_name, user.email)


class Addendum(ClientScoped, models.Model):
    """A correction or note added to a sent intake. The signed intake itself never changes;
    addenda are added, never edited or deleted."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="addenda")
    text = models.TextField(max_length=4000, validators=FREE_TEXT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who wrote it, as they were called then: kept when their account is deleted.
    author_name = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    client_via = "intake"

    objects = AuditedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum to intake #{self.intake_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("An addendum is never changed: add another.")
        if self.author_id is not None and not self.author_name:
            self.author_name = person_label(self.author)
        super().save(*args, **kwargs)


class StoredPlanPdf(models.Model):
    """The PDF of one approved plan version, rendered once and kept in private storage
    (`intake.plan_pdfs`). An approved version never changes, so neither does its PDF; the
    client's erasure deletes it."""

    plan = models.OneToOneField(
        TreatmentPlan, on_delete=models.CASCADE, related_name="stored_pdf", editable=False
    )
    path = models.CharField(max_length=200, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"PDF of plan #{self.plan_id}"
