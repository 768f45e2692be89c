"""Open sessions move to the project's authentication backends (accounts.backends), so nobody
is signed out by the upgrade: Django keeps a session only while the backend it names is
still in AUTHENTICATION_BACKENDS."""

import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import migrations
from django.utils import timezone

RENAMED = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "accounts.backends.AuthenticationBackend",
}


def rename_backends(renamed):
    def rename(apps, schema_editor):
        Session = apps.get_model("sessions", "Session")
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        sessions = Session.objects.using(schema_editor.connection.alias).filter(
            expire_date__gt=timezone.now()
        )
        # A session signed under another secret key is as unreadable to the app: it is left,
        # without Django's warning for each.
        unreadable = logging.getLogger("django.security.SuspiciousSession")
        was_disabled, unreadable.disabled = unreadable.disabled, True
        try:
            for session in sessions.iterator():
                data = store.decode(session.session_data)
                if data.get(BACKEND_SESSION_KEY) in renamed:
                    data[BACKEND_SESSION_KEY] = renamed[data[BACKEND_SESSION_KEY]]
                    session.session_data = store.encode(data)
                    session.save(update_fields=["session_data"])
        finally:
            unreadable.disabled = was_disabled

    return rename


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_signinevent_cache_table"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            rename_backends(RENAMED),
            rename_backends({new: old for old, new in RENAMED.items()}),
        ),
    ]
