"""The session engine: Django's database sessions, each request's row read by one statement."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.session_store import SessionStore


def stored_session(**data) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    return store.session_key


def test_the_app_uses_this_engine():
    assert settings.SESSION_ENGINE == "accounts.session_store"


def test_a_live_session_is_read_back(db, django_assert_num_queries):
    key = stored_session(colour="green")
    store = SessionStore(key)
    with django_assert_num_queries(1):
        assert store["colour"] == "green"
    assert store.session_key == key


def test_an_expired_or_unknown_session_reads_as_empty_and_is_not_reused(db):
    key = stored_session(colour="green")
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    for unknown in (key, "x" * 32):
        store = SessionStore(unknown)
        assert dict(store.items()) == {}
        assert store.session_key is None  # a new key is made on the next save, never this one
