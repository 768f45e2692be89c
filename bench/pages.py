"""The pages the load benchmark measures, on a clinic made by `manage.py generate_clinic`.

Shared by `bench/run.py` (the load run) and the tests (query counts that stay flat as
the clinic grows). Needs Django set up.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from importlib import import_module
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client as TestClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.crypto import get_random_string

from intake.generate import DOMAIN, FORM_STEPS
from intake.models import Client, Intake, PainLocation, TreatmentPlan
from intake.steps import STEPS, STEPS_BY_NAME

CSRF_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@dataclass
class Visitor:
    """A signed-in session (or none), with a CSRF cookie for posts."""

    user: object | None
    session_key: str = ""
    csrf: str = field(default_factory=lambda: get_random_string(32, CSRF_CHARS))

    @property
    def cookie(self) -> str:
        cookies = [f"{settings.CSRF_COOKIE_NAME}={self.csrf}"]
        if self.session_key:
            cookies.append(f"{settings.SESSION_COOKIE_NAME}={self.session_key}")
        return "; ".join(cookies)

    def test_client(self) -> TestClient:
        client = TestClient()
        client.cookies[settings.CSRF_COOKIE_NAME] = self.csrf
        if self.session_key:
            client.cookies[settings.SESSION_COOKIE_NAME] = self.session_key
        return client


def signed_in(user) -> Visitor:
    """A session holding what django.contrib.auth's login() puts in it (without sending the
    signal that records a sign-in: the benchmark measures pages, not sign-ins)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return Visitor(user, store.session_key)


def with_second_factor(user):
    """Staff see client data only with a second factor, where the app asks for one: give
    the benchmark's staff an authenticator app (nobody signs in with it)."""
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        if not Authenticator.objects.filter(user=user).exists():
            secret = get_random_string(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
            Authenticator.objects.create(
                user=user, type=Authenticator.Type.TOTP, data={"secret": secret}
            )
    return user


@dataclass
class Request:
    method: str
    path: str
    visitor: Visitor
    data: dict | None = None  # a form's fields, for a POST

    @property
    def body(self) -> str:
        if self.data is None:
            return ""
        fields = {**self.data, "csrfmiddlewaretoken": self.visitor.csrf}
        return urlencode(fields, doseq=True)


@dataclass
class Page:
    name: str
    requests: list[Request]  # the load cycles through them (one per client, say)
    status: int = 200  # what each answers: 200, or 302 for a post that saved

    @cached_property
    def client(self) -> TestClient:
        """The first request's visitor's test client, kept: a new one loads the middleware
        again (WhiteNoise reads every static file), which is no part of a request."""
        return self.requests[0].visitor.test_client()

    def send(self):
        """One request of this page through Django's test client (in process)."""
        request = self.requests[0]
        if request.method == "POST":
            return self.client.post(request.path, request.data)
        return self.client.get(request.path)

    def measure_queries(self) -> tuple[int, int]:
        """(status, queries) of one request of this page."""
        with CaptureQueriesContext(connection) as queries:
            response = self.send()
        return response.status_code, len(queries)

    def measure_calls(self) -> int:
        """The Python function calls (calls into C included) of one request of this page:
        unlike its throughput, the same on a busy machine as on a quiet one."""
        calls = 0

        def count(frame, event, arg):
            nonlocal calls
            if event in ("call", "c_call"):
                calls += 1

        sys.setprofile(count)
        try:
            self.send()
        finally:
            sys.setprofile(None)
        return calls


@dataclass
class Cast:
    """Who the benchmark signs in as: clients, one therapist, one admin."""

    therapist: object
    admin: object
    clients: list[Client]


def choose_cast(clients: int = 8) -> Cast:
    """The first generated therapist and admin, and up to `clients` of the therapist's
    clients whose latest intake has an approved plan, an earlier intake and no red flag."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    therapist = User.objects.get(email=f"therapist001@{DOMAIN}")
    admin = User.objects.get(email=f"admin001@{DOMAIN}")
    with_plans = (
        TreatmentPlan.objects.approved()
        .filter(intake__client__assigned_therapist=therapist, intake__client__archived=False)
        .values_list("intake__client", flat=True)
        .distinct()
        .order_by("intake__client")
    )
    chosen = []
    for client in Client.objects.filter(pk__in=list(with_plans[: clients * 8])).order_by("pk"):
        latest = client.last_submitted_intake()
        # Their latest intake reviewed, with an earlier one, and (like 93% of intakes) no red
        # flag: the same kinds of things on every page at any clinic size.
        if (
            not latest.red_flags
            and latest.plans.approved().exists()
            and client.intakes.submitted().count() >= 2
        ):
            chosen.append(client)
        if len(chosen) == clients:
            break
    if not chosen:
        raise LookupError("No generated client with an approved plan: run generate_clinic first.")
    return Cast(therapist, admin, chosen)


def draft_for(client: Client) -> Intake:
    """The client's draft with every step answered (as their last intake), via the model code."""
    draft = client.start_intake()
    if draft.steps_done == FORM_STEPS:
        return draft
    last = client.last_submitted_intake()
    for name in ["main_complaint", "pain_started_on", "symptoms", "red_flags", "goals"]:
        setattr(draft, name, getattr(last, name))
    for name in ["current_pain", "peg_pain", "peg_enjoyment", "peg_activity", "treatment_areas"]:
        setattr(draft, name, getattr(last, name))
    draft.steps_done = list(FORM_STEPS)
    draft.save()
    if not draft.pain_locations.exists():
        for place in last.pain_locations.all():
            PainLocation.objects.create(
                intake=draft, region=place.region, side=place.side, intensity=place.intensity
            )
    return draft


def form_data(form) -> dict:
    """What a browser posts back for an unchanged form: each field's current value."""
    data = {}
    for name, formfield in form.fields.items():
        value = form[name].value()
        if isinstance(formfield, forms.BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        elif value is None:
            data[name] = ""
        elif isinstance(value, date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


POSTED_STEPS = ["about", "where", "pain"]


def bench_pages(cast: Cast) -> list[Page]:
    """Every page of issue 12's load test, in its order, with /healthz first."""
    anonymous = Visitor(None)
    therapist = signed_in(with_second_factor(cast.therapist))
    admin = signed_in(with_second_factor(cast.admin))
    people = [(client, signed_in(client.user)) for client in cast.clients]
    drafts = [draft_for(client) for client, _ in people]
    latest = [client.last_submitted_intake() for client, _ in people]
    plans = [
        TreatmentPlan.objects.filter(intake__client=client).approved().order_by("-pk").first()
        for client, _ in people
    ]

    def each(method, name, *args, visitor=None, data=None):
        return [
            Request(method, reverse(name, args=[a(n) for a in args]), visitor or people[n][1], data)
            for n in range(len(people))
        ]

    def get(path, visitor):
        return [Request("GET", path, visitor)]

    step_pages = []
    for step in [step.name for step in STEPS]:  # every step of the questionnaire
        step_pages.append(
            Page(
                f"intake step GET ({step})",
                each("GET", "intake:intake_step", lambda n: drafts[n].pk, lambda n, s=step: s),
            )
        )
    for step in POSTED_STEPS:
        requests = []
        for n, (_client, visitor) in enumerate(people):
            form = STEPS_BY_NAME[step].form(drafts[n])
            path = reverse("intake:intake_step", args=[drafts[n].pk, step])
            requests.append(Request("POST", path, visitor, form_data(form)))
        step_pages.append(Page(f"intake step POST ({step})", requests, status=302))

    queue = reverse("intake:review_queue")

    def plan_id(n):
        return plans[n].pk

    return [
        Page("/healthz", get(reverse("healthz"), anonymous)),
        Page("sign-in", get(reverse("login"), anonymous)),
        Page("client home", each("GET", "intake:client_home")),
        *step_pages,
        Page("client's answers", each("GET", "intake:intake_detail", lambda n: latest[n].pk)),
        Page("client's plan", each("GET", "intake:client_plan", lambda n: plans[n].pk)),
        Page(
            "review page",
            each("GET", "intake:intake_review", lambda n: latest[n].pk, visitor=therapist),
        ),
        Page(
            "history",
            each("GET", "intake:client_history", lambda n: people[n][0].pk, visitor=therapist),
        ),
        Page("plan page", each("GET", "intake:plan_detail", plan_id, visitor=therapist)),
        Page("review queue, page 1", get(queue, therapist)),
        Page("review queue, last page", get(f"{queue}?{last_queue_page(therapist)}", therapist)),
        Page("plan PDF", each("GET", "intake:plan_pdf", lambda n: plans[n].pk, visitor=therapist)),
        Page("admin client list", get(reverse("admin:intake_client_changelist"), admin)),
        Page("admin intake list", get(reverse("admin:intake_intake_changelist"), admin)),
        Page("admin access events", get(reverse("admin:intake_accessevent_changelist"), admin)),
        Page("admin audit trail", get(reverse("admin:auditlog_logentry_changelist"), admin)),
    ]


def last_queue_page(therapist: Visitor) -> str:
    """The query string of the queue's last (oldest) page: keyset pages have no number, so
    the "Newer" link of the oldest rows is followed back one page, then "Older" from it."""
    from intake.queue import Cursor, queue_page
    from intake.review_forms import QueueFilterForm
    from intake.views.review import QUEUE_PAGE_SIZE

    user = therapist.user
    intakes = QueueFilterForm.apply(
        Intake.objects.visible_to(user).filter(client__archived=False),
        QueueFilterForm.DEFAULTS,
        user,
    )
    oldest = intakes.by_urgency().reverse().first()
    if oldest is None:
        return ""
    page = queue_page(intakes, before=Cursor.of(oldest), size=QUEUE_PAGE_SIZE)
    if page.newer is None:
        return ""
    return f"after={page.newer.encode()}"
