"""System checks of the project's settings (run by `manage.py check`, `migrate` and `runserver`)."""

from django.conf import settings
from django.core.checks import Error, register

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


@register()
def console_email_in_production(app_configs=None, **kwargs) -> list[Error]:
    """The console backend writes every email, password-reset links and invitations included,
    into the log: whoever reads the log could take over an account."""
    if settings.DEBUG or settings.EMAIL_BACKEND != CONSOLE_EMAIL:
        return []
    if getattr(settings, "ALLOW_CONSOLE_EMAIL", False):
        return []
    return [
        Error(
            "EMAIL_BACKEND is the console backend with DEBUG off: every email, with its "
            "password-reset and invitation links, would be written to the log.",
            hint="Set EMAIL_BACKEND to django.core.mail.backends.smtp.EmailBackend (with "
            "EMAIL_HOST and its credentials), or the file backend for a trial; set "
            "ALLOW_CONSOLE_EMAIL=1 only if you accept the risk.",
            id="clinic.E001",
        )
    ]
