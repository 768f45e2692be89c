"""A generated clinic for load tests: `manage.py generate_clinic` (see its help).

Two phases. `plan_clinic` decides everything from the seed (people, visits, answers,
places, which intakes get a plan, access events): a pure function, so the same seed
gives the same clinic. `write_clinic` then stores it:

- people, their role groups and clients are inserted in bulk;
- every intake goes through the model code of the real path, `Client.start_intake()`,
  `Intake.save()` and `Intake.submit(consent_name=...)`, so constraints, carried-forward
  answers, the stored suggestion, its ruleset and the red-flag urgency are the app's own;
  its pain locations are inserted in bulk;
- treatment plans list every suggested muscle of the stored suggestion, as
  `TreatmentPlan.start_for()` does; the therapist's choices pass `PlanMuscle.clean()`, the
  plan form's own check; plans, muscles, findings and access events are inserted in bulk.

The audit trail: while intakes are written auditlog is switched off, and this module
writes the entries the real path leaves, in auditlog's shape, in bulk (COPY on
PostgreSQL): a create and one update per questionnaire step, the pain locations (about
half the body maps saved twice, which in the code of the time deleted and re-created
every place), the submission (without the suggestion, which is not audited), the plans,
muscles, approvals and findings, the people and clients. That gives about 26 entries an
intake, as in the clinic of issue 12. Every bulk insert here is paired with the entries
this module writes for it, so the bulk writes run under `disable_auditlog()`, which turns
off the entries the audited querysets (clinic/audited.py) would add.

Time: each record is dated within the clinic's history (three years by default): the model
code runs under a simulated clock (`django.utils.timezone.now`), bulk rows carry explicit
dates. On PostgreSQL the clients can be split between processes (`jobs`).

Generated people have emails at `generated.invalid` (a domain that cannot exist) and no
usable password.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from unittest import mock

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, connections, transaction
from django.db.models.signals import pre_save
from django.utils import timezone

from accounts.roles import ROLE_GROUP, Role
from intake.audit import FIELDS_NOT_AUDITED, INTAKE_FIELDS_NOT_AUDITED
from intake.forms import AboutYouForm
from intake.models import (
    AccessEvent,
    Client,
    Finding,
    Intake,
    PainLocation,
    PlanMuscle,
    TreatmentPlan,
    current_consent_version,
)
from intake.rules import codes

DOMAIN = "generated.invalid"
FORM_STEPS = ["about", "health", "where", "pain", "safety", "goals"]


class GenerationRefused(Exception):
    """The database is not one a generated clinic may be written into."""


@dataclass(frozen=True)
class Params:
    clients: int
    intakes_per_client: int = 5
    therapists: int = 20
    admins: int = 2
    seed: int = 1
    # Of the submitted intakes: the share that got a treatment plan, and of those plans
    # the share that was approved (the rest are drafts a therapist left).
    plan_share: float = 0.4
    approved_share: float = 0.6
    # Clients with a questionnaire in progress, and clients archived by an admin.
    draft_share: float = 0.03
    archived_share: float = 0.02
    history_days: int = 3 * 365

    def describe(self) -> str:
        return (
            f"clients={self.clients} intakes_per_client={self.intakes_per_client} "
            f"therapists={self.therapists} admins={self.admins} seed={self.seed}"
        )


# --- the plan: everything decided from the seed ------------------------------------------


@dataclass
class PersonPlan:
    email: str
    full_name: str
    role: Role
    joined: datetime


@dataclass
class FindingPlan:
    trigger_point: str
    referral_reproduced: bool
    treated: bool


@dataclass
class TreatmentPlanPlan:
    started_at: datetime
    therapist: int  # index into ClinicPlan.therapists
    approved_at: datetime | None
    include: int  # how many suggested muscles the therapist accepts
    techniques: str
    pressure: str
    home_care: str
    findings: list[FindingPlan] = field(default_factory=list)


@dataclass
class VisitPlan:
    client: int  # index into ClinicPlan.clients
    number: int  # 0 for a client's first intake
    started_at: datetime
    submitted_at: datetime | None  # None: a draft still being filled in
    answers: dict
    pain: list[tuple[str, str, int]]
    steps_done: list[str]
    plan: TreatmentPlanPlan | None = None


@dataclass
class ClientPlan:
    legal_name: str
    preferred_name: str
    date_of_birth: date
    email: str
    phone: str
    address: str
    emergency_contact_name: str
    emergency_contact_phone: str
    therapist: int | None
    created_at: datetime
    archived: bool = False
    visits: list[VisitPlan] = field(default_factory=list)


@dataclass
class AccessPlan:
    at: datetime
    actor: tuple[str, int] | None  # ("client" | "therapist" | "admin", index)
    client: int
    object_type: str  # "client", "intake" or "plan"
    visit: tuple[int, int]  # (client index, visit number), for intakes and plans
    action: str


@dataclass
class ClinicPlan:
    params: Params
    anchor: datetime
    therapists: list[PersonPlan]
    admins: list[PersonPlan]
    clients: list[ClientPlan]
    access: list[AccessPlan]

    def visits(self) -> list[VisitPlan]:
        """Every visit, in the order they happened (so ids follow time, as in a real clinic)."""
        every = [visit for client in self.clients for visit in client.visits]
        return sorted(every, key=lambda v: (v.started_at, v.client, v.number))


def _words(text: str, sep: str | None = None) -> list[str]:
    return text.split(sep)


FIRST_NAMES = _words(
    "Aisha Alex Amara Ana Ben Bianca Carlos Chen Chloe Dara Daniel Devi Elena Emeka Erin "
    "Farah Felix Grace Hana Hugo Ines Isaac Jade James Jonas Kai Kiran Lara Leo Lina Luca "
    "Maya Mei Mina Nadia Noah Nora Oli Omar Priya Quinn Rafael Rosa Ruth Sami Sara Sofia "
    "Tariq Tess Theo Uma Victor Wren Yara Yusuf Zoe"
)
SURNAMES = _words(
    "Abbott Adeyemi Ahmed Baker Barnes Chandra Clarke Costa Davies Diaz Edwards Evans "
    "Fischer Fraser Garcia Green Hall Hughes Ito Jensen Jones Kaur Khan Kowalski Lam "
    "Lewis Lopez Mensah Moreau Murphy Nguyen Novak Okafor Olsen Patel Perez Quinn Reyes "
    "Roberts Rossi Santos Schmidt Silva Singh Smith Sokolov Tanaka Taylor Thomas Turner "
    "Walker Ward Weber Wilson Wright Young Zhang"
)
STREETS = _words(
    "Mill Lane,Station Road,Church Street,Park Avenue,Queen Street,Victoria Road",
    sep=",",
)
COMPLAINTS = [
    "Aching {place}, worse after sitting at my desk all day.",
    "Pain in my {place} that started after moving house.",
    "Sharp pain in the {place} when I get up from a chair.",
    "Dull ache in my {place}, it wakes me at night sometimes.",
    "My {place} hurts after running, and it has been getting worse.",
    "Stiff and sore {place} in the mornings, easing by lunchtime.",
]
CONDITIONS = ["", "", "", "Asthma", "High blood pressure", "Type 2 diabetes", "Migraine"]
MEDICATIONS = ["", "", "Ibuprofen when needed", "Paracetamol", "Sertraline 50 mg", "Inhaler"]
ALLERGIES = ["", "", "", "Nut oils", "Latex", "Lavender oil"]
SURGERIES = ["", "", "", "Appendix out, 2009", "Knee arthroscopy, 2017", "Caesarean, 2015"]
GOALS = [
    "Sit through a working day without the ache.",
    "Sleep through the night without waking from the pain.",
    "Get back to running twice a week.",
    "Pick up my children without worrying about my back.",
    "Walk the dog for an hour again.",
]
TECHNIQUES = ["Ischaemic compression and stretch", "Deep stroking massage", "Spray and stretch"]
PRESSURE = ["Light to start, firmer as tolerated", "Moderate", "Firm, within comfort"]
HOME_CARE = ["Gentle stretch twice a day", "Heat pack for 15 minutes", "Tennis ball self-release"]
# The share of clients who agree to have each area treated.
AREA_SHARES = {"buttocks": 0.85, "inner_thigh_groin": 0.45, "abdomen": 0.4}
# How many places a client marks: weights for 1..7 (about four on average).
PLACES_WEIGHTS = [5, 15, 20, 25, 15, 12, 8]
# Where clients of a buttock and low-back clinic hurt: weights by region code (others 1).
REGION_WEIGHTS = {"low_back": 10, "buttock": 10, "sacroiliac": 5, "hip": 5, "sacral": 4}


def _utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def default_anchor() -> datetime:
    """The end of the generated history: the start of today (UTC), so a day's runs agree."""
    return _utc(timezone.now().astimezone(UTC).date())


def plan_clinic(params: Params, anchor: datetime | None = None) -> ClinicPlan:
    """Everything about the clinic, decided from `params.seed` alone."""
    anchor = anchor or default_anchor()
    rng = random.Random(params.seed)
    start = anchor - timedelta(days=params.history_days)

    therapists = [
        PersonPlan(
            email=f"therapist{n + 1:03d}@{DOMAIN}",
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
            role=Role.THERAPIST,
            joined=start - timedelta(days=rng.randint(30, 400)),
        )
        for n in range(params.therapists)
    ]
    admins = [
        PersonPlan(
            email=f"admin{n + 1:03d}@{DOMAIN}",
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
            role=Role.ADMIN,
            joined=start - timedelta(days=rng.randint(30, 400)),
        )
        for n in range(params.admins)
    ]

    clients = [_plan_client(rng, params, n, start, anchor) for n in range(params.clients)]
    visits = sorted(
        (v for c in clients for v in c.visits if v.submitted_at is not None),
        key=lambda v: (v.started_at, v.client, v.number),
    )
    # Plans: for a share of the submitted intakes a therapist had time to review.
    reviewable = [v for v in visits if v.submitted_at < anchor - timedelta(days=14)]
    planned = rng.sample(reviewable, min(len(reviewable), round(params.plan_share * len(visits))))
    approved = set(map(id, rng.sample(planned, round(params.approved_share * len(planned)))))
    for visit in sorted(planned, key=lambda v: (v.started_at, v.client, v.number)):
        visit.plan = _plan_treatment(
            rng, params, clients[visit.client], visit, id(visit) in approved
        )
    for n in rng.sample(range(params.clients), round(params.archived_share * params.clients)):
        clients[n].archived = True
    access = _plan_access(rng, params, clients)
    return ClinicPlan(params, anchor, therapists, admins, clients, access)


def _plan_client(rng, params: Params, n: int, start: datetime, anchor: datetime) -> ClientPlan:
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    span = int((anchor - start).total_seconds()) - 3600
    times = sorted(
        start + timedelta(seconds=rng.randrange(span)) for _ in range(params.intakes_per_client)
    )
    created = (times[0] if times else anchor) - timedelta(days=rng.randint(1, 20))
    client = ClientPlan(
        legal_name=f"{first} {last}",
        preferred_name=first if rng.random() < 0.2 else "",
        date_of_birth=date(rng.randint(1940, 2005), rng.randint(1, 12), rng.randint(1, 28)),
        email=f"{first}.{last}.{n + 1:05d}@{DOMAIN}".lower(),
        phone=f"020 7946 {rng.randint(0, 9999):04d}",
        address=f"{rng.randint(1, 200)} {rng.choice(STREETS)}\nLondon",
        emergency_contact_name=f"{rng.choice(FIRST_NAMES)} {last}",
        emergency_contact_phone=f"07700 9{rng.randint(0, 99999):05d}",
        therapist=rng.randrange(params.therapists)
        if params.therapists and rng.random() < 0.7
        else None,
        created_at=created,
    )
    health = _health(rng)
    previous = created
    for number, sent in enumerate(times):
        if number and rng.random() < 0.3:
            health = _health(rng)  # something changed since the last visit
        started = max(sent - timedelta(minutes=rng.randint(8, 40)), previous)
        client.visits.append(_plan_visit(rng, n, number, started, sent, health, FORM_STEPS))
        previous = sent + timedelta(seconds=1)
    if rng.random() < params.draft_share:
        started = max(anchor - timedelta(hours=rng.randint(2, 240)), previous)
        done = FORM_STEPS[: rng.randint(1, len(FORM_STEPS))]
        client.visits.append(_plan_visit(rng, n, len(times), started, None, health, done))
    return client


def _health(rng) -> dict:
    precautions = rng.sample(list(codes.PRECAUTIONS), rng.choice([0, 0, 0, 1, 1, 2]))
    return {
        "conditions": rng.choice(CONDITIONS),
        "medications": rng.choice(MEDICATIONS),
        "allergies": rng.choice(ALLERGIES),
        "surgeries": rng.choice(SURGERIES),
        "precautions": [code for code in codes.PRECAUTIONS if code in precautions],
    }


def _plan_visit(rng, client, number, started, sent, health, steps) -> VisitPlan:
    pain = _pain(rng)
    place = codes.REGIONS[pain[0][0]].label.lower()
    red_flags = []
    if rng.random() < 0.07:
        red_flags = rng.sample(list(codes.RED_FLAGS), rng.choice([1, 1, 1, 2]))
    symptoms = rng.sample(list(codes.SYMPTOMS), rng.randint(0, 4))
    on_day = (sent or started).date()
    areas = [area for area, share in AREA_SHARES.items() if rng.random() < share]
    answers = {
        **health,
        "main_complaint": rng.choice(COMPLAINTS).format(place=place),
        "pain_started_on": on_day - timedelta(days=rng.randint(3, 3 * 365)),
        "symptoms": [code for code in codes.SYMPTOMS if code in symptoms],
        "red_flags": [code for code in codes.RED_FLAGS if code in red_flags],
        "current_pain": rng.randint(1, 9),
        "peg_pain": rng.randint(1, 9),
        "peg_enjoyment": rng.randint(0, 9),
        "peg_activity": rng.randint(0, 9),
        "goals": rng.choice(GOALS),
        "treatment_areas": [a.value for a in Intake.TreatmentArea if a.value in areas],
    }
    return VisitPlan(client, number, started, sent, answers, pain, list(steps))


def _pain(rng) -> list[tuple[str, str, int]]:
    """The places a client marks on the body map, strongest first: in each region the
    middle, one side, or both sides (the map takes the middle or the sides, not both)."""
    regions = list(codes.REGIONS)
    weights = [REGION_WEIGHTS.get(code, 1) for code in regions]
    count = rng.choices(range(1, len(PLACES_WEIGHTS) + 1), PLACES_WEIGHTS)[0]
    places: list[tuple[str, str, int]] = []
    chosen: set[str] = set()
    while len(places) < count and len(chosen) < len(regions):
        region = rng.choices(regions, weights)[0]
        if region in chosen:
            continue
        chosen.add(region)
        sides = codes.REGIONS[region].sides
        options = [["left"], ["right"], ["left", "right"]] if "left" in sides else []
        if "center" in sides:
            options += [["center"]] * 3
        for side in rng.choice(options)[: count - len(places)]:
            places.append((region, side, rng.randint(2, 9)))
    return sorted(places, key=lambda p: (-p[2], p[0], p[1]))


def _plan_treatment(rng, params, client: ClientPlan, visit, approved: bool) -> TreatmentPlanPlan:
    therapist = (
        client.therapist if client.therapist is not None else rng.randrange(params.therapists)
    )
    started = visit.submitted_at + timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 8))
    approved_at = started + timedelta(minutes=rng.randint(5, 90)) if approved else None
    plan = TreatmentPlanPlan(
        started_at=started,
        therapist=therapist,
        approved_at=approved_at,
        include=rng.randint(2, 5),
        techniques=rng.choice(TECHNIQUES),
        pressure=rng.choice(PRESSURE),
        home_care=rng.choice(HOME_CARE),
    )
    if approved:
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            plan.findings.append(
                FindingPlan(
                    trigger_point=rng.choice(["active", "active", "latent", "none"]),
                    referral_reproduced=rng.random() < 0.5,
                    treated=rng.random() < 0.8,
                )
            )
    return plan


def _plan_access(rng, params: Params, clients: list[ClientPlan]) -> list[AccessPlan]:
    """Who read which record when: the client their answers and plans, the therapist the
    review page, history, plan and its print, now and then an admin the client's record."""
    events = []
    for n, client in enumerate(clients):
        therapist = client.therapist
        for visit in client.visits:
            if visit.submitted_at is None:
                continue
            key = (n, visit.number)
            sent = visit.submitted_at
            for _ in range(rng.choice([0, 1, 1, 2])):
                at = sent + timedelta(minutes=rng.randint(1, 60 * 24 * 20))
                events.append(AccessPlan(at, ("client", n), n, "intake", key, "view"))
            reader = visit.plan.therapist if visit.plan else therapist
            who = ("therapist", reader) if reader is not None else None
            for _ in range(rng.choice([1, 2, 2, 3])):
                at = sent + timedelta(minutes=rng.randint(30, 60 * 24 * 10))
                events.append(AccessPlan(at, who, n, "intake", key, "view"))
            if visit.plan is not None:
                at = visit.plan.started_at + timedelta(minutes=rng.randint(1, 600))
                events.append(AccessPlan(at, who, n, "plan", key, "view"))
                if visit.plan.approved_at is not None:
                    for _ in range(rng.choice([0, 1, 2])):
                        at = visit.plan.approved_at + timedelta(days=rng.randint(0, 30))
                        events.append(AccessPlan(at, ("client", n), n, "plan", key, "view"))
                    if rng.random() < 0.3:
                        at = visit.plan.approved_at + timedelta(minutes=rng.randint(1, 60))
                        events.append(AccessPlan(at, who, n, "plan", key, "print"))
        if client.visits and rng.random() < 0.1:
            at = client.visits[-1].started_at + timedelta(days=rng.randint(0, 60))
            admin = ("admin", rng.randrange(params.admins)) if params.admins else None
            events.append(AccessPlan(at, admin, n, "client", (n, -1), "view"))
    return sorted(events, key=lambda e: (e.at, e.client))


# --- writing it ----------------------------------------------------------------------------


class Clock:
    """`django.utils.timezone.now` while generating: the moment being written."""

    def __init__(self, real: Callable[[], datetime]):
        self.real = real
        self.current: datetime | None = None

    def now(self) -> datetime:
        return self.current if self.current is not None else self.real()

    @contextmanager
    def at(self, when: datetime) -> Iterator[None]:
        before = self.current
        self.current = when
        try:
            yield
        finally:
            self.current = before

    def stamp_log_entry(self, sender, instance, **kwargs) -> None:
        """Audit entries the model code writes get the simulated time."""
        if instance._state.adding and self.current is not None:
            instance.timestamp = self.current


@contextmanager
def simulated_time(clock: Clock) -> Iterator[None]:
    pre_save.connect(clock.stamp_log_entry, sender=LogEntry, dispatch_uid="generate_clinic")
    try:
        with mock.patch.object(timezone, "now", clock.now):
            yield
    finally:
        pre_save.disconnect(sender=LogEntry, dispatch_uid="generate_clinic")


@contextmanager
def without_savepoints() -> Iterator[None]:
    """The model code's nested atomic blocks without a SAVEPOINT and a RELEASE round trip
    each: the generator never recovers from an error inside its own transaction, it stops
    (and an error still marks that transaction for rollback)."""
    # The one check both backends make (SQLite's ignores features.uses_savepoints).
    connection._savepoint_allowed = lambda: False
    try:
        yield
    finally:
        del connection._savepoint_allowed


@contextmanager
def explicit_dates(model, *names: str) -> Iterator[None]:
    """Let bulk inserts keep the dates they carry instead of auto_now/auto_now_add's."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _not_audited(obj) -> list[str]:
    """Fields auditlog leaves out for this model beyond FIELDS_NOT_AUDITED (intake.audit)."""
    return INTAKE_FIELDS_NOT_AUDITED if isinstance(obj, Intake) else []


def _plain(value):
    """A value as auditlog's JSON changes hold it."""
    if value is None or isinstance(value, (bool, int, float, str, list, dict)):
        return value
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


def _value(obj, name: str):
    """A field's value, a foreign key as its id (as auditlog stores it, without a query)."""
    field = type(obj)._meta.get_field(name)
    if field.is_relation:
        value = getattr(obj, field.attname)
        return None if value is None else str(value)
    return getattr(obj, name)


AUDIT_COLUMNS = [
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "actor_email",
    "timestamp",
    "additional_data",
]


class AuditBuffer:
    """Audit entries in auditlog's shape, written in batches (COPY on PostgreSQL)."""

    def __init__(self, size: int = 5000):
        self.rows: list[tuple] = []
        self.size = size
        self.types: dict[type, int] = {}

    def add(self, obj, action: int, changes: dict, at: datetime, actor=None, client_id=None):
        """`changes` maps each field to [before, after], as auditlog stores them."""
        model = type(obj)
        if model not in self.types:
            self.types[model] = ContentType.objects.get_for_model(model).pk
        self.rows.append(
            (
                self.types[model],
                str(obj.pk),
                obj.pk,
                str(obj),
                action,
                "",
                json.dumps(changes, cls=DjangoJSONEncoder),
                actor.pk if actor is not None else None,
                actor.email if actor is not None else None,
                at,
                json.dumps({"client_id": client_id}),
            )
        )
        if len(self.rows) >= self.size:
            self.flush()

    def created(self, obj, at, actor=None, client_id=None):
        """A create entry: every field, from nothing to its value."""
        changes = {
            f.attname if f.is_relation else f.name: [None, _plain(getattr(obj, f.attname))]
            for f in type(obj)._meta.concrete_fields
            if f.name not in FIELDS_NOT_AUDITED
            and f.name != "password"
            and f.name not in _not_audited(obj)
        }
        self.add(obj, LogEntry.Action.CREATE, changes, at, actor, client_id)

    def changed(self, obj, before: dict, at, actor=None, client_id=None, after=None):
        """An update entry: `before` maps each changed field to its old value; the new one
        is the object's, or `after`'s."""
        after = after or {}
        changes = {
            name: [_plain(old), _plain(after[name] if name in after else _value(obj, name))]
            for name, old in before.items()
            if name not in _not_audited(obj)
        }
        self.add(obj, LogEntry.Action.UPDATE, changes, at, actor, client_id)

    def flush(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            table = LogEntry._meta.db_table
            with connection.cursor() as cursor:
                sql = f'COPY "{table}" ({", ".join(AUDIT_COLUMNS)}) FROM STDIN'
                with cursor.cursor.copy(sql) as copy:
                    for row in self.rows:
                        copy.write_row(row)
        else:
            entries = [LogEntry(**dict(zip(AUDIT_COLUMNS, row, strict=True))) for row in self.rows]
            for entry in entries:
                entry.changes = json.loads(entry.changes)
                entry.additional_data = json.loads(entry.additional_data)
            LogEntry._default_manager.bulk_create(entries, batch_size=500)
        self.rows = []


def check_database(force: bool = False) -> None:
    """Refuse a database with real clients (unless forced), or a generated clinic already."""
    User = get_user_model()
    if User.objects.filter(email__iendswith="@" + DOMAIN).exists():
        raise GenerationRefused(
            "This database already holds a generated clinic; generate into an empty database "
            "(make bench drops and re-creates its own when the parameters change)."
        )
    real = Client.objects.exclude(email__iendswith="@" + DOMAIN).count()
    if real and not force:
        raise GenerationRefused(
            f"This database holds {real} real client(s): a generated clinic is never mixed "
            "into a real one. Use an empty database (or --force, for a throwaway copy)."
        )
    missing = set(ROLE_GROUP.values()) - set(Group.objects.values_list("name", flat=True))
    if missing:
        raise GenerationRefused(f"Run `manage.py migrate` first (no role groups {missing}).")


@dataclass
class Written:
    """What `write_clinic` stored, for the command's report."""

    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


def write_clinic(
    plan: ClinicPlan, progress: Callable[[str], None] = lambda line: None, jobs: int = 1
) -> Written:
    """Store `plan` (see the module's docstring); the database must pass `check_database`.

    With `jobs` > 1 (PostgreSQL only), the clients are split between that many processes,
    each writing its clients' intakes, plans and access events.
    """
    written = Written()
    began = time.monotonic()

    def lap(name: str) -> None:
        written.seconds[name] = round(time.monotonic() - began - sum(written.seconds.values()), 1)

    _fast_commits()
    audit = AuditBuffer()
    with transaction.atomic(), disable_auditlog():
        people = _write_people(plan, audit)
        clients = _write_clients(plan, people, audit)
        audit.flush()
    # The version clients sign, as the submit view passes the one its form showed.
    consent = current_consent_version()
    lap("people and clients")
    # Processes need their own connections: only on PostgreSQL, outside a transaction.
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        jobs = 1
    jobs = max(1, min(jobs, len(plan.clients)))
    if jobs == 1:
        _write_shard(plan, people, clients, consent, 0, 1, progress)
    else:
        _in_processes(
            jobs, lambda n: _write_shard(plan, people, clients, consent, n, jobs, progress)
        )
    lap("intakes, plans, access events")
    clock = Clock(timezone.now)
    with simulated_time(clock), transaction.atomic():
        for client, planned in zip(clients, plan.clients, strict=True):
            if planned.archived:
                with clock.at(plan.anchor - timedelta(days=1)):
                    client.archived = True
                    client.save(update_fields=["archived", "updated_at"])
    written.counts = {
        "therapists": len(people["therapists"]),
        "admins": len(people["admins"]),
        "clients": Client.objects.count(),
        "submitted intakes": Intake.objects.submitted().count(),
        "draft intakes": Intake.objects.drafts().count(),
        "pain locations": PainLocation.objects.count(),
        "plans": TreatmentPlan.objects.count(),
        "approved plans": TreatmentPlan.objects.approved().count(),
        "findings": Finding.objects.count(),
        "access events": AccessEvent.objects.count(),
        "audit entries": LogEntry.objects.count(),
    }
    return written


def _fast_commits() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A generated clinic can be generated again: no need to wait for each commit.
            cursor.execute("SET synchronous_commit TO OFF")


def _in_processes(jobs: int, work: Callable[[int], None]) -> None:
    """Run work(0..jobs-1) in forked processes, each with its own database connection."""
    context = multiprocessing.get_context("fork")
    connections.close_all()
    processes = [context.Process(target=_child, args=(work, n)) for n in range(jobs)]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    failed = [n for n, process in enumerate(processes) if process.exitcode != 0]
    if failed:
        raise RuntimeError(f"generation failed in worker(s) {failed}; see the output above")


def _child(work: Callable[[int], None], n: int) -> None:
    connections.close_all()  # never share the parent's connection
    _fast_commits()
    try:
        work(n)
    finally:
        connections.close_all()


def _write_people(plan: ClinicPlan, audit: AuditBuffer) -> dict:
    User = get_user_model()
    password = make_password(None)  # unusable: nobody signs in with a password
    groups = {role: Group.objects.get(name=name) for role, name in ROLE_GROUP.items()}
    staff = [*plan.therapists, *plan.admins]
    users = [
        User(
            email=p.email,
            full_name=p.full_name,
            password=password,
            is_staff=p.role is Role.ADMIN,
            date_joined=p.joined,
        )
        for p in staff
    ] + [
        User(email=c.email, full_name=c.legal_name, password=password, date_joined=c.created_at)
        for c in plan.clients
    ]
    users = User._default_manager.bulk_create(users, batch_size=1000)
    roles = [p.role for p in staff] + [Role.CLIENT] * len(plan.clients)
    Through = User.groups.through
    links = [
        Through(user_id=u.pk, group_id=groups[r].pk) for u, r in zip(users, roles, strict=True)
    ]
    Through._default_manager.bulk_create(links, batch_size=2000)
    for user, role in zip(users, roles, strict=True):
        audit.created(user, user.date_joined)
        group = {"groups": {"type": "m2m", "operation": "add", "objects": [ROLE_GROUP[role]]}}
        audit.add(user, LogEntry.Action.UPDATE, group, user.date_joined)
    count = len(plan.therapists)
    return {
        "therapists": users[:count],
        "admins": users[count : len(staff)],
        "clients": users[len(staff) :],
    }


# What the questionnaire's "about you" step asks, the names first.
CLIENT_FIELDS = AboutYouForm._meta.fields


def _write_clients(plan: ClinicPlan, people: dict, audit: AuditBuffer) -> list[Client]:
    therapists = people["therapists"]
    rows = [
        Client(
            **{name: getattr(c, name) for name in CLIENT_FIELDS},
            user=user,
            assigned_therapist=therapists[c.therapist] if c.therapist is not None else None,
            created_at=c.created_at,
            updated_at=c.created_at,
        )
        for c, user in zip(plan.clients, people["clients"], strict=True)
    ]
    with explicit_dates(Client, "created_at", "updated_at"):
        clients = Client._default_manager.bulk_create(rows, batch_size=1000)
    for client, user in zip(clients, people["clients"], strict=True):
        # Signed up with their name, then filled in "about you" on the first step.
        audit.created(client, client.created_at, user, client.pk)
        audit.changed(
            client,
            {name: "" for name in CLIENT_FIELDS[2:] if name != "email"},
            client.created_at,
            user,
            client.pk,
        )
    return clients


# The fields each questionnaire step saves, for the audit entries of step-by-step saves.
STEP_FIELDS = {
    "health": ["conditions", "medications", "allergies", "surgeries", "precautions"],
    "where": [],
    "pain": [
        "main_complaint",
        "pain_started_on",
        "current_pain",
        "peg_pain",
        "peg_enjoyment",
        "peg_activity",
        "symptoms",
    ],
    "safety": ["red_flags"],
    "goals": ["goals", "treatment_areas"],
}


def _write_shard(plan, people, clients, consent, shard: int, shards: int, progress) -> None:
    """The intakes (model code), plans and access events of every `shards`-th client."""
    clock = Clock(timezone.now)
    audit = AuditBuffer()
    visits = [v for v in plan.visits() if v.client % shards == shard]
    intakes: dict[tuple[int, int], Intake] = {}
    plans: dict[tuple[int, int], TreatmentPlan] = {}
    name = f"worker {shard + 1}/{shards}: " if shards > 1 else ""
    began = time.monotonic()
    step = max(1, len(visits) // 10)
    batch = 250
    with simulated_time(clock), disable_auditlog(), without_savepoints():
        for first in range(0, len(visits), batch):
            chunk = visits[first : first + batch]
            with transaction.atomic():
                for visit in chunk:
                    client = clients[visit.client]
                    user = people["clients"][visit.client]
                    intakes[(visit.client, visit.number)] = _write_intake(
                        visit, client, user, consent, clock, audit
                    )
                planned = [v for v in chunk if v.plan is not None]
                plans.update(_write_plans(plan, planned, intakes, clients, people, audit))
                audit.flush()
            done = first + len(chunk)
            if done // step != first // step or done == len(visits):
                elapsed = time.monotonic() - began
                progress(f"  {name}intakes {done:,}/{len(visits):,} ({elapsed:.0f} s)")
        with transaction.atomic():
            _write_access(plan, people, clients, intakes, plans, shard, shards)


def _write_intake(visit: VisitPlan, client: Client, user, consent, clock: Clock, audit) -> Intake:
    """One intake through the model code, and the audit entries a real client's saves leave."""
    with clock.at(visit.started_at):
        intake = client.start_intake()
        audit.created(intake, visit.started_at, user, client.pk)
        for field_name, value in visit.answers.items():
            setattr(intake, field_name, value)
        intake.steps_done = list(visit.steps_done)
        intake.save()
        places = []
        if "where" in visit.steps_done:
            places = PainLocation._default_manager.bulk_create(
                [
                    PainLocation(intake=intake, region=r, side=s, intensity=i)
                    for r, s, i in visit.pain
                ]
            )
    # One save per questionnaire step, spread over the time the client took.
    end = visit.submitted_at or visit.started_at + timedelta(minutes=20)
    steps = visit.steps_done
    for n, step in enumerate(steps[1:], start=1):
        at = visit.started_at + (end - visit.started_at) * n / len(steps)
        before = dict.fromkeys(STEP_FIELDS[step])
        before["steps_done"] = steps[:n]
        after = {"steps_done": steps[: n + 1]}
        audit.changed(intake, before, at, user, client.pk, after=after)
        if step == "where":
            for place in places:
                audit.created(place, at, user, client.pk)
            # About half the clients saved the body map again unchanged; the code of the
            # time deleted and re-created every place on each save.
            if (visit.client + visit.number) % 2 == 0:
                for place in places:
                    gone = {f: [getattr(place, f), None] for f in ["id", *PLACE_FIELDS]}
                    audit.add(place, LogEntry.Action.DELETE, gone, at, user, client.pk)
                    audit.created(place, at, user, client.pk)
    if visit.submitted_at is not None:
        with clock.at(visit.submitted_at):
            if not intake.submit(consent_name=client.legal_name, consent_version=consent):
                raise RuntimeError(f"{intake} was not submitted")
        before = {name: None for name in Intake.SUBMISSION_FIELDS if name != "updated_at"}
        before.update(status=Intake.Status.DRAFT, consent_agreed=False, consent_name="")
        before.update(ruleset="", red_flag_urgency="")
        audit.changed(intake, before, visit.submitted_at, user, client.pk)
    return intake


PLACE_FIELDS = ["intake_id", "region", "side", "intensity"]


def _write_plans(plan, visits, intakes, clients, people, audit) -> dict:
    """Treatment plans in bulk: each suggested muscle listed, some accepted (by the model's
    own check), some plans approved (their intake then reviewed), with findings."""
    if not visits:
        return {}
    therapists = people["therapists"]
    rows = []
    for visit in visits:
        planned = visit.plan
        rows.append(
            TreatmentPlan(
                intake=intakes[(visit.client, visit.number)],
                version=1,
                techniques=planned.techniques,
                pressure=planned.pressure,
                home_care=planned.home_care,
                revision=1,
                created_by=therapists[planned.therapist],
                created_at=planned.started_at,
                updated_at=planned.started_at,
            )
        )
    with explicit_dates(TreatmentPlan, "created_at", "updated_at"):
        rows = TreatmentPlan._default_manager.bulk_create(rows)
    muscles, accepted = [], {}
    for visit, row in zip(visits, rows, strict=True):
        rng = random.Random(f"{plan.params.seed}:{visit.client}:{visit.number}")
        accepted[row.pk] = []
        for item in row.intake.suggestion.get("suggestions", []):
            muscle = PlanMuscle.suggested(row, item)
            if len(accepted[row.pk]) < visit.plan.include and rng.random() < 0.75:
                muscle.included = True
                try:
                    muscle.clean()  # the plan form's own check (consent, internal-only)
                    accepted[row.pk].append(muscle)
                except ValidationError:
                    muscle.included = False
            muscles.append(muscle)
    muscles = PlanMuscle._default_manager.bulk_create(muscles)
    approved, reviewed, findings = [], [], []
    for visit, row in zip(visits, rows, strict=True):
        planned, therapist = visit.plan, therapists[visit.plan.therapist]
        client_id = clients[visit.client].pk
        audit.created(row, planned.started_at, therapist, client_id)
        if planned.approved_at is None or not accepted[row.pk]:
            continue
        row.status = TreatmentPlan.Status.APPROVED
        row.approved_by, row.approved_at = therapist, planned.approved_at
        row.updated_at = planned.approved_at
        approved.append(row)
        row.intake.status = Intake.Status.REVIEWED
        row.intake.updated_at = planned.approved_at
        reviewed.append(row.intake)
        status = {"status": TreatmentPlan.Status.DRAFT, "approved_by": None, "approved_at": None}
        audit.changed(row, status, planned.approved_at, therapist, client_id)
        before = {"status": Intake.Status.SUBMITTED}
        audit.changed(row.intake, before, planned.approved_at, therapist, client_id)
        for n, found in enumerate(planned.findings):
            findings.append(
                Finding(
                    plan_muscle=accepted[row.pk][n % len(accepted[row.pk])],
                    trigger_point=found.trigger_point,
                    referral_reproduced=found.referral_reproduced,
                    treated=found.treated,
                    recorded_by=therapist,
                    recorded_at=planned.approved_at + timedelta(minutes=30 + 10 * n),
                )
            )
    for muscle in muscles:
        visit_row = muscle.plan
        audit.created(
            muscle, visit_row.created_at, visit_row.created_by, visit_row.intake.client_id
        )
        if muscle.included:
            audit.changed(
                muscle,
                {"included": False},
                visit_row.created_at,
                visit_row.created_by,
                visit_row.intake.client_id,
            )
    TreatmentPlan._default_manager.bulk_update(
        approved, ["status", "approved_by", "approved_at", "updated_at"]
    )
    with explicit_dates(Intake, "updated_at"):
        Intake._default_manager.bulk_update(reviewed, ["status", "updated_at"])
    with explicit_dates(Finding, "recorded_at"):
        findings = Finding._default_manager.bulk_create(findings)
    for finding in findings:
        plan_row = finding.plan_muscle.plan
        audit.created(finding, finding.recorded_at, finding.recorded_by, plan_row.intake.client_id)
    return {(v.client, v.number): row for v, row in zip(visits, rows, strict=True)}


def _write_access(plan, people, clients, intakes, plans, shard: int, shards: int) -> None:
    actors = {"client": people["clients"], "therapist": people["therapists"]}
    actors["admin"] = people["admins"]
    rows = []
    for event in plan.access:
        if event.client % shards != shard:
            continue
        client = clients[event.client]
        if event.object_type == "intake":
            object_id = intakes[event.visit].pk
        elif event.object_type == "plan":
            if event.visit not in plans:
                continue
            object_id = plans[event.visit].pk
        else:
            object_id = client.pk
        actor = actors[event.actor[0]][event.actor[1]] if event.actor else None
        rows.append(
            AccessEvent(
                at=event.at,
                actor=actor,
                client=client,
                object_type=event.object_type,
                object_id=object_id,
                action=event.action,
            )
        )
    with explicit_dates(AccessEvent, "at"):
        AccessEvent._default_manager.bulk_create(rows, batch_size=2000)


__all__ = ["DOMAIN", "GenerationRefused", "Params", "check_database", "plan_clinic", "write_clinic"]
