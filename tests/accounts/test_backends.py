"""The project's authentication backends (accounts.backends): Django's and allauth's, with the
signed-in account read by one plain statement; and open sessions kept across the upgrade."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend as DjangosBackend
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse

move_sessions = importlib.import_module(
    "accounts.migrations.0004_sessions_under_the_project_backends"
)
OLD_PATHS = list(move_sessions.RENAMED)


@pytest.mark.parametrize("path", settings.AUTHENTICATION_BACKENDS)
def test_each_backend_reads_the_account_as_djangos_does(path, alice, tara):
    from django.contrib.auth import load_backend

    backend = load_backend(path)
    for person in (alice, tara):
        read = backend.get_user(person.pk)
        assert read == DjangosBackend().get_user(person.pk)
        assert read.get_session_auth_hash() == person.get_session_auth_hash()
    assert backend.get_user(987654) is None
    alice.is_active = False
    alice.save()
    assert backend.get_user(alice.pk) is None


def the_sessions_backend(client) -> str:
    return Session.objects.get(pk=client.session.session_key).get_decoded()[BACKEND_SESSION_KEY]


@pytest.mark.parametrize("old_path", OLD_PATHS)
def test_a_session_opened_before_the_upgrade_stays_signed_in(client, alice, old_path):
    client.force_login(alice, backend=old_path)
    home = reverse("intake:client_home")
    editor = SimpleNamespace(connection=connection)
    move_sessions.rename_backends(move_sessions.RENAMED)(apps, editor)

    assert the_sessions_backend(client) == move_sessions.RENAMED[old_path]
    assert client.get(home).status_code == 200

    backwards = {new: old for old, new in move_sessions.RENAMED.items()}
    move_sessions.rename_backends(backwards)(apps, editor)
    assert the_sessions_backend(client) == old_path


def test_without_the_move_such_a_session_would_be_signed_out(client, alice):
    """Why the migration is there: Django keeps a session only under a listed backend."""
    client.force_login(alice, backend=OLD_PATHS[0])
    response = client.get(reverse("intake:client_home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_other_sessions_are_left_as_they_are(client, alice, bob):
    client.force_login(alice)
    before = Session.objects.get(pk=client.session.session_key).session_data
    move_sessions.rename_backends(move_sessions.RENAMED)(
        apps, SimpleNamespace(connection=connection)
    )
    assert Session.objects.get(pk=client.session.session_key).session_data == before
