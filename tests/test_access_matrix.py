"""Every URL pattern, visited as every persona, gives the expected answer.

A URL name without a row here fails the test: no page can be added without
saying who may see it. POST-only views are also checked with GET (405).
"""

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clearances.models import Clearance, ClearanceLetter
from clinic_settings.models import ClinicSettings
from intake.audit import record_access
from intake.models import AccessEvent, Finding, Invitation, Resuggestion, TreatmentPlan
from jobs.models import Job
from jobs.tasks import start_job
from tests.factories import make_client, make_draft, make_submitted

PERSONAS = [
    "anonymous",
    "client_a",
    "client_b",
    "therapist",
    "other_therapist",
    "admin",
    "inactive",
]

OK = 200
LOGIN = "login"  # redirect to the sign-in page
REDIRECT = "redirect"  # on to another page of the same person's
ADMIN_LOGIN = "admin_login"  # the admin's refusal: back to its sign-in page
DENIED = 403
GONE = 404
WRONG_METHOD = 405


def redirect_to(name: str) -> str:
    return f"redirect:{name}"


def everyone(outcome) -> dict:
    return dict.fromkeys(PERSONAS, outcome)


def signed_in_only(outcome, anonymous=LOGIN) -> dict:
    return {**everyone(outcome), "anonymous": anonymous, "inactive": anonymous}


def role_only(allowed: set[str], outcome=OK) -> dict:
    table = signed_in_only(DENIED)
    table.update(dict.fromkeys(allowed, outcome))
    return table


def admin_only(outcome) -> dict:
    """Signed out: the admin's sign-in page; signed in without the admin role: our 403."""
    return {**signed_in_only(DENIED, anonymous=ADMIN_LOGIN), "admin": outcome}


CLIENTS = {"client_a", "client_b"}
THERAPISTS = {"therapist", "other_therapist", "admin"}
ADMINS = {"admin"}

STAFF_FOR_CLIENT_A = {**role_only(THERAPISTS), "other_therapist": GONE}

HOMES = {
    "client_a": redirect_to("intake:client_home"),
    "client_b": redirect_to("intake:client_home"),
    "therapist": redirect_to("intake:review_queue"),
    "other_therapist": redirect_to("intake:review_queue"),
    "admin": redirect_to("admin:index"),
}

# Signed-in people are sent home from the pages meant for signing in.
SIGNED_OUT_PAGE = {**dict.fromkeys(PERSONAS, OK), **dict.fromkeys(HOMES, redirect_to("home"))}

EXPECTED: dict[str, dict] = {
    "home": {**HOMES, "anonymous": LOGIN, "inactive": LOGIN},
    "healthz": everyone(OK),
    "clinic_settings:brand_css": everyone(OK),
    "clinic_settings:logo": everyone(GONE),  # until an admin uploads one
    "csp_report": everyone(WRONG_METHOD),  # browsers POST their reports
    # Sign-in pages: allauth's, under two names each where the project says "login".
    "login": SIGNED_OUT_PAGE,
    "account_login": SIGNED_OUT_PAGE,
    "signup": SIGNED_OUT_PAGE,
    "account_signup": SIGNED_OUT_PAGE,
    # A GET asks "sign out?"; signing out itself is a POST.
    "logout": signed_in_only(OK),
    "account_logout": signed_in_only(OK),
    "account": signed_in_only(OK),
    "session_status": everyone(OK),  # JSON: how long the session has left
    "account_inactive": everyone(OK),
    "account_change_password": signed_in_only(OK),
    "account_set_password": signed_in_only(redirect_to("account_change_password")),
    "account_email": signed_in_only(OK),
    "account_reauthenticate": signed_in_only(OK),
    # Steps that only follow an earlier one (a code sent) send everyone back.
    "account_email_verification_sent": signed_in_only(redirect_to("account_email")),
    "account_confirm_login_code": signed_in_only(redirect_to("home")),
    "account_reset_password": everyone(OK),
    "account_confirm_password_reset_code": everyone(LOGIN),
    "account_complete_password_reset": everyone(redirect_to("account_reset_password")),
    "account_password_reset_completed": everyone(OK),
    # Two-factor: staff personas have an authenticator app, clients have none.
    "mfa_index": signed_in_only(OK),
    "mfa_activate_totp": {
        **signed_in_only(OK),
        **dict.fromkeys(THERAPISTS, redirect_to("mfa_deactivate_totp")),
    },
    "mfa_deactivate_totp": {**signed_in_only(OK), **dict.fromkeys(CLIENTS, GONE)},
    "mfa_authenticate": signed_in_only(redirect_to("home")),
    "mfa_reauthenticate": {
        **signed_in_only(OK),
        **dict.fromkeys(CLIENTS, redirect_to("account_reauthenticate")),
    },
    "mfa_generate_recovery_codes": signed_in_only(OK),
    "mfa_view_recovery_codes": signed_in_only(GONE),  # none generated yet
    "mfa_download_recovery_codes": signed_in_only(GONE),
    "mfa_list_webauthn": signed_in_only(OK),
    "mfa_add_webauthn": signed_in_only(OK),
    "mfa_edit_webauthn": signed_in_only(GONE),  # someone else's or no such key
    "mfa_remove_webauthn": signed_in_only(GONE),
    "mfa_login_webauthn": signed_in_only(redirect_to("home")),
    "mfa_reauthenticate_webauthn": signed_in_only(redirect_to("account_reauthenticate")),
    "intake:client_home": role_only(CLIENTS),
    "intake:intake_start": role_only(CLIENTS, WRONG_METHOD),
    # Client A's own intakes; client B gets 404, staff have their own pages.
    "intake:intake_resume": {**role_only(CLIENTS, GONE), "client_a": REDIRECT},
    "intake:intake_step": {**role_only(CLIENTS, GONE), "client_a": OK},
    "intake:intake_detail": {**role_only(CLIENTS, GONE), "client_a": OK},
    "intake:invite_client": role_only(THERAPISTS),
    # Asks for the invitation code (the link carries it after "#", posted by the page).
    "intake:accept_invitation": {**SIGNED_OUT_PAGE, "inactive": OK},
    "intake:review_queue": role_only(THERAPISTS),
    # Client A is assigned to the therapist: the other therapist never reaches them.
    "intake:intake_review": STAFF_FOR_CLIENT_A,
    "intake:resuggest": role_only(THERAPISTS, WRONG_METHOD),
    # The plan is approved: editing starts from its page.
    "intake:plan_edit": {**role_only(THERAPISTS, REDIRECT), "other_therapist": GONE},
    "intake:plan_detail": STAFF_FOR_CLIENT_A,
    "intake:plan_revise": role_only(THERAPISTS, WRONG_METHOD),
    "intake:plan_pdf": STAFF_FOR_CLIENT_A,
    "intake:finding_add": role_only(THERAPISTS, WRONG_METHOD),
    "intake:client_history": STAFF_FOR_CLIENT_A,
    "intake:client_plan": {**role_only(CLIENTS, GONE), "client_a": OK},
    # Counts of how often the suggestions are accepted: no client's record.
    "agreement:agreement": role_only(THERAPISTS),
    "agreement:agreement_csv": role_only(THERAPISTS),
    # The home-care handout: the client downloads it, staff read or edit it on the plan.
    "intake:handout_pdf": {**role_only(CLIENTS, GONE), "client_a": OK},
    "intake:handout_edit": STAFF_FOR_CLIENT_A,
    # Medical clearance of client A's intake with a red flag, and the letter she sent.
    "clearances:client_clearance": {**role_only(CLIENTS, GONE), "client_a": OK},
    "clearances:client_letter": {**role_only(CLIENTS, GONE), "client_a": OK},
    "clearances:intake_clearance": STAFF_FOR_CLIENT_A,
    "clearances:staff_letter": STAFF_FOR_CLIENT_A,
    # An export job the admin asked for: its progress page and its file.
    "jobs:job_progress": role_only(ADMINS),
    "jobs:job_download": role_only(ADMINS),
    "jobs:job_restart": role_only(ADMINS, WRONG_METHOD),  # POST, when its worker stopped
    # The Django admin, site pages; model pages follow one rule below.
    "admin:index": admin_only(OK),
    # The admin's sign-in form sends people to ours; signed-in non-admins are refused.
    "admin:login": {**signed_in_only(DENIED), "admin": redirect_to("admin:index")},
    "admin:logout": {
        **signed_in_only(DENIED, anonymous=redirect_to("admin:index")),
        "admin": WRONG_METHOD,
    },
    "admin:password_change": admin_only(OK),
    "admin:password_change_done": admin_only(OK),
    "admin:jsi18n": admin_only(OK),
    "admin:autocomplete": admin_only(DENIED),  # without its query parameters
    "admin:view_on_site": admin_only(GONE),  # no such object
    "admin:app_list": admin_only(OK),
    # Named by the user admin itself, whatever the user model.
    "admin:auth_user_password_change": admin_only(OK),
    # A plan starts from its intake in the app, never from the admin.
    "admin:intake_treatmentplan_add": admin_only(DENIED),
    # The sample person is the admin, named in the audit trail: deactivated, never deleted.
    "admin:accounts_user_delete": admin_only(REDIRECT),
    # Second factors are set up by their owner, never added in the admin.
    "admin:mfa_authenticator_add": admin_only(DENIED),
    # The clinic settings are one row: its list opens it; it is never added or deleted.
    "admin:clinic_settings_clinicsettings_changelist": admin_only(REDIRECT),
    "admin:clinic_settings_clinicsettings_add": admin_only(DENIED),
    "admin:clinic_settings_clinicsettings_delete": admin_only(DENIED),
}
# Model pages of the admin (changelist, add, change, history, delete, password):
# admins only, everyone else is sent back to sign in.
ADMIN_MODEL_PAGE = admin_only(OK)


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern
        # Unnamed patterns are the admin's catch-all redirects; they show no page.


def admin_model_of(name: str):
    for model in apps.get_models():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model
    return None


# The audit trail can be read in the admin but never added to, changed or deleted there.
READ_ONLY_ADMIN_MODELS = {
    "auditlog.logentry",
    "intake.accessevent",
    "accounts.signinevent",
    "clinic_settings.consentversion",
}


def expected_for(name: str) -> dict | None:
    if name in EXPECTED:
        return EXPECTED[name]
    model = admin_model_of(name)
    if model is None:
        return None
    if model._meta.label_lower in READ_ONLY_ADMIN_MODELS and name.endswith(("_add", "_delete")):
        return admin_only(DENIED)
    return ADMIN_MODEL_PAGE


@pytest.fixture
def records(alice, tara, adam):
    """Client A's records (assigned to the therapist), which the URLs with an id point at."""
    ClinicSettings.load().save()  # the settings and their first consent version
    alice_record = make_client(alice, legal_name="Alice Archer", assigned_therapist=tara)
    _invitation, token = Invitation.issue(
        make_client(email="new@example.com", legal_name="New Client"), by=adam
    )
    submitted = make_submitted(alice_record)
    plan = TreatmentPlan.start_for(submitted, by=tara)
    # Every muscle planned, each with a reason where a caution forbids the usual work.
    plan.muscles.update(included=True, caution_reason="Reviewed with the client's doctor.")
    plan.approve(by=tara)
    Finding.objects.create(
        plan_muscle=plan.muscles.first(),
        trigger_point="active",
        referral_reproduced=True,
        treated=True,
        recorded_by=tara,
    )
    Resuggestion.objects.create(intake=submitted, ruleset="old", result={}, created_by=tara)
    record_access(tara, submitted, AccessEvent.Action.VIEW)
    on_hold = make_submitted(alice_record, red_flags=["fever_unwell"], precautions=[])
    letter = ClearanceLetter(
        intake=on_hold, content_type="application/pdf", size=9, sha256="0" * 64, uploaded_by=alice
    )
    letter.file.save("letter", ContentFile(b"%PDF-1.7\n"), save=False)
    letter.save()
    Clearance.objects.create(
        intake=on_hold, kind="in_person", reason="Seen by the admin.", recorded_by=adam
    )
    return {
        "on_hold": on_hold,
        "letter": letter,
        "client": alice_record,
        "draft": make_draft(alice_record, steps_done=["about"]),
        "submitted": submitted,
        "plan": plan,
        "plan_muscle": plan.muscles.first(),
        "token": token,
        "job": start_job(Job.Kind.EXPORT_RECORDS, [alice_record.pk], by=adam),
    }


RECORD_KWARGS = {
    "intake:intake_resume": lambda r: {"pk": r["draft"].pk},
    "intake:intake_step": lambda r: {"pk": r["draft"].pk, "step": "about"},
    "intake:intake_detail": lambda r: {"pk": r["submitted"].pk},
    "intake:intake_review": lambda r: {"pk": r["submitted"].pk},
    "intake:resuggest": lambda r: {"pk": r["submitted"].pk},
    "intake:plan_edit": lambda r: {"pk": r["submitted"].pk},
    "intake:plan_detail": lambda r: {"pk": r["plan"].pk},
    "intake:plan_revise": lambda r: {"pk": r["plan"].pk},
    "intake:plan_pdf": lambda r: {"pk": r["plan"].pk},
    "intake:finding_add": lambda r: {"pk": r["plan_muscle"].pk},
    "intake:client_history": lambda r: {"pk": r["client"].pk},
    "intake:client_plan": lambda r: {"pk": r["plan"].pk},
    "clearances:client_clearance": lambda r: {"pk": r["on_hold"].pk},
    "clearances:client_letter": lambda r: {"pk": r["letter"].pk},
    "intake:handout_pdf": lambda r: {"pk": r["plan"].pk},
    "intake:handout_edit": lambda r: {"pk": r["plan"].pk},
    "clearances:intake_clearance": lambda r: {"pk": r["on_hold"].pk},
    "clearances:staff_letter": lambda r: {"pk": r["letter"].pk},
    "jobs:job_progress": lambda r: {"pk": r["job"].pk},
    "jobs:job_download": lambda r: {"pk": r["job"].pk},
    "jobs:job_restart": lambda r: {"pk": r["job"].pk},
}


def sample_kwargs(name: str, pattern: URLPattern, adam, records) -> dict:
    converters = pattern.pattern.converters if hasattr(pattern.pattern, "converters") else {}
    wanted = set(converters) | set(pattern.pattern.regex.groupindex)
    if name in {"mfa_edit_webauthn", "mfa_remove_webauthn"}:  # the id is in an outer pattern
        return {"pk": 999999}
    if not wanted:
        return {}
    if name in RECORD_KWARGS:
        return RECORD_KWARGS[name](records)
    if name == "admin:app_list":
        return {"app_label": "accounts"}
    if name == "admin:auth_user_password_change":
        return {"id": adam.pk}
    if name == "admin:view_on_site":
        return {"content_type_id": "999999", "object_id": "1"}
    model = admin_model_of(name)
    obj = adam if model is type(adam) else model.objects.order_by("pk").first()
    assert obj is not None, f"no {model.__name__} to visit {name} with"
    key = "id" if "id" in wanted else "object_id"
    return {key: obj.pk}


def all_url_names():
    return sorted({name for name, _ in url_names()})


def test_every_url_has_a_row():
    missing = [name for name in all_url_names() if expected_for(name) is None]
    assert not missing, f"URL names without a row in the access matrix: {missing}"


def check(response, outcome, name, persona):
    where = f"{name} as {persona}"
    if outcome == LOGIN:
        assert response.status_code == 302, where
        assert response.url.startswith(reverse("login")), where
    elif outcome == ADMIN_LOGIN:
        assert response.status_code == 302, where
        assert response.url.startswith(reverse("admin:login")), where
    elif outcome == REDIRECT:
        assert response.status_code == 302, where
        assert not response.url.startswith(reverse("login")), where
    elif isinstance(outcome, str) and outcome.startswith("redirect:"):
        assert response.status_code == 302, where
        assert response.url.split("?")[0] == reverse(outcome.removeprefix("redirect:")), where
    else:
        assert response.status_code == outcome, f"{where}: {response.status_code}"


@pytest.mark.parametrize("name", all_url_names())
def test_access(name, personas, adam, records):
    table = expected_for(name)
    assert table is not None, f"{name} has no row in the access matrix"
    pattern = dict(url_names())[name]
    url = reverse(name, kwargs=sample_kwargs(name, pattern, adam, records))
    for persona in PERSONAS:
        response = personas[persona].get(url)
        check(response, table[persona], name, persona)
        check_headers(response, name, persona)


SIGNED_IN = {"client_a", "client_b", "therapist", "other_therapist", "admin"}


def check_headers(response, name, persona):
    """Every answer carries the CSP and the Permissions-Policy; a signed-in one is never stored."""
    where = f"{name} as {persona}"
    assert "default-src 'self'" in response.get("Content-Security-Policy", ""), where
    assert "camera=()" in response.get("Permissions-Policy", ""), where
    if persona in SIGNED_IN:
        assert "no-store" in response.get("Cache-Control", ""), where


# POST-only views, with a persona who may use them.
POST_ONLY = {
    "intake:intake_start": "client_a",
    "intake:resuggest": "therapist",
    "intake:plan_revise": "therapist",
    "intake:finding_add": "therapist",
    "jobs:job_restart": "admin",
}


@pytest.mark.parametrize(("name", "persona"), POST_ONLY.items())
def test_post_only_views_refuse_get(name, persona, personas, adam, records):
    pattern = dict(url_names())[name]
    url = reverse(name, kwargs=sample_kwargs(name, pattern, adam, records))
    assert personas[persona].get(url).status_code == WRONG_METHOD
