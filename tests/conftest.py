"""Personas and the browser fixture shared by every test.

Personas: anonymous, client A, client B, therapist, other therapist, admin,
and an inactive user. Each persona fixture returns a signed-in test client.

Staff personas (therapists, admins) have an authenticator app holding TEST_TOTP_SECRET, as
the app requires of staff. `Client.force_login` signs in the way allauth's form does after
a password and a second factor: the session records both, just now, so a test that reaches
an export or an erasure is not asked to confirm its password (tests of that confirmation
age the records with `forget_recent_sign_in`).
"""

import os
import shutil
import time

import pytest
from django.test import Client, override_settings

from accounts.roles import Role, set_role
from tests.totp import TEST_TOTP_SECRET

PASSWORD = "correct-horse-battery-2026"
IMMEDIATE_BACKEND = "django_tasks.backends.immediate.ImmediateBackend"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True, scope="session")
def _plain_static_storage():
    """Tests read static files from their sources, without a collectstatic manifest."""
    from django.conf import settings

    storages = {
        **settings.STORAGES,  # other stores (clearance letters) as configured
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture(autouse=True, scope="session")
def _uploads_in_a_temporary_folder(tmp_path_factory):
    """Uploads (the clinic's logo) go to a folder of the test run, not the project's media/."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_folder(tmp_path_factory, _plain_static_storage):
    """Private files (clearance letters) go to a folder of each test, not private/."""
    from django.conf import settings

    private = tmp_path_factory.mktemp("private")
    storages = {
        **settings.STORAGES,
        "clearances": {
            "BACKEND": "clearances.storage.PrivateFileStorage",
            "OPTIONS": {"location": private / "clearances"},
        },
        "jobs": {
            "BACKEND": "clearances.storage.PrivateFileStorage",
            "OPTIONS": {"location": private / "jobs"},
        },
    }
    with override_settings(STORAGES=storages, PRIVATE_FILES_DIR=private):
        yield


@pytest.fixture(autouse=True, scope="session")
def _background_jobs_run_at_once():
    """Background jobs (exports, erasures, emails) run inside the call that enqueues them."""
    with override_settings(TASKS={"default": {"BACKEND": IMMEDIATE_BACKEND}}):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _force_login_as_after_the_sign_in_form(monkeypatch):
    monkeypatch.setattr(Client, "force_login", force_login_with_recent_authentication)


@pytest.fixture(autouse=True)
def _empty_cache(request, django_db_blocker):
    """Rate-limit counters live in the database cache, which flushing does not empty."""
    yield
    if {"db", "transactional_db", "live_server"} & set(request.fixturenames) or (
        request.node.get_closest_marker("django_db")
    ):
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()


_django_force_login = Client.force_login


def force_login_with_recent_authentication(self, user, backend=None):
    _django_force_login(self, user, backend)
    now = time.time()
    session = self.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": now, "email": user.email, "reauthenticated": True},
        {"method": "mfa", "at": now, "type": "totp", "reauthenticated": True},
    ]
    session.save()


def forget_recent_sign_in(client: Client, seconds_ago: int = 3600) -> None:
    """Make the session's sign-in records old, so a sensitive action asks for the password."""
    session = client.session
    session["account_authentication_methods"] = [
        {**entry, "at": entry["at"] - seconds_ago}
        for entry in session.get("account_authentication_methods", [])
    ]
    session.save()


def give_totp(user, secret: str = TEST_TOTP_SECRET):
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": secret}
    )


def make_user(email: str, role: Role | None = None, *, second_factor: bool = True, **fields):
    """A person with a verified email; staff also get an authenticator app unless told not."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    fields.setdefault("full_name", email.split("@")[0].replace(".", " ").title())
    user = get_user_model().objects.create_user(email=email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if role is not None:
        set_role(user, role)
    if second_factor and role in (Role.THERAPIST, Role.ADMIN):
        give_totp(user)
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice(db):
    """Client A."""
    return make_user("alice@example.com", Role.CLIENT, full_name="Alice Archer")


@pytest.fixture
def bob(db):
    """Client B."""
    return make_user("bob@example.com", Role.CLIENT, full_name="Bob Baker")


@pytest.fixture
def tara(db):
    """A therapist."""
    return make_user("tara@example.com", Role.THERAPIST, full_name="Tara Therapist")


@pytest.fixture
def theo(db):
    """Another therapist."""
    return make_user("theo@example.com", Role.THERAPIST, full_name="Theo Therapist")


@pytest.fixture
def adam(db):
    """An admin."""
    return make_user("adam@example.com", Role.ADMIN, full_name="Adam Admin")


@pytest.fixture
def ivy(db):
    """An inactive user (a former client)."""
    return make_user("ivy@example.com", Role.CLIENT, full_name="Ivy Inactive", is_active=False)


@pytest.fixture
def personas(db, alice, bob, tara, theo, adam, ivy):
    """Every persona by name, each as a test client (anonymous is a plain client)."""
    return {
        "anonymous": Client(),
        "client_a": signed_in(alice),
        "client_b": signed_in(bob),
        "therapist": signed_in(tara),
        "other_therapist": signed_in(theo),
        "admin": signed_in(adam),
        "inactive": signed_in(ivy),
    }


def _browser_unavailable_reason() -> str | None:
    if not shutil.which(CHROMIUM):
        return f"Chromium not found at {CHROMIUM} (Debian package 'chromium')"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    reason = _browser_unavailable_reason()
    if reason:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Browser tests are required (REQUIRE_BROWSER is set) but {reason}.")
        pytest.skip(f"Browser tests skipped: {reason}.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls a
    # browser test makes between page actions are still synchronous and safe.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser tab on a phone-sized screen, pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def steady_session_clock(monkeypatch):
    """The session is written again once a spell (accounts.sessions.TOUCH_EVERY) has passed
    since the last request: a test that compares the queries of requests made seconds apart
    on a busy machine would count that write in one and not the other."""
    monkeypatch.setattr("accounts.sessions.TOUCH_EVERY", 24 * 60 * 60)
