"""Production refuses the console email backend: it prints reset links and invitations."""

import secrets

import pytest
from django.core.checks import Error, run_checks

from tests.test_settings import manage

CONSOLE = "django.core.mail.backends.console.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def email_errors() -> list:
    return [m for m in run_checks() if isinstance(m, Error) and m.id == "clinic.E001"]


def test_the_console_backend_without_debug_is_an_error(settings, monkeypatch):
    monkeypatch.delenv("ALLOW_CONSOLE_EMAIL", raising=False)
    settings.DEBUG = False
    settings.EMAIL_BACKEND = CONSOLE
    [error] = email_errors()
    assert "console" in error.msg
    assert "ALLOW_CONSOLE_EMAIL" in error.hint


def test_the_console_backend_is_fine_when_explicitly_allowed(settings, monkeypatch):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = CONSOLE
    settings.ALLOW_CONSOLE_EMAIL = True
    assert email_errors() == []


def test_the_console_backend_is_fine_in_development(settings):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = CONSOLE
    assert email_errors() == []


@pytest.mark.parametrize("backend", [SMTP, "django.core.mail.backends.filebased.EmailBackend"])
def test_other_backends_pass(settings, backend):
    settings.DEBUG = False
    settings.EMAIL_BACKEND = backend
    assert email_errors() == []


def production(**env):
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "clinic.example.com",
        "HTTPS": "1",
        **env,
    }


def test_manage_py_refuses_to_start_with_the_console_backend_in_production():
    result = manage("check", **production(EMAIL_BACKEND=CONSOLE))
    assert result.returncode != 0
    assert "clinic.E001" in result.stderr


def test_without_debug_the_default_backend_is_smtp_not_the_console():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        **production(),
    )
    assert result.stdout.strip().splitlines()[-1] == SMTP


def test_in_development_the_default_is_still_the_console():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        DEBUG="1",
    )
    assert result.stdout.strip().splitlines()[-1] == CONSOLE
