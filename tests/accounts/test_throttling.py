"""Brute force: five wrong passwords for one account, then even the right one waits out a
five-minute cool-off; the counters sit in the shared cache (the database by default)."""

import time as clock

import pytest
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import SignInEvent
from tests.accounts.helpers import sign_in

TOO_MANY = "Too many failed login attempts"


class _Later:
    """allauth's rate limiter's clock, moved on."""

    def __init__(self, seconds: float):
        self.seconds = seconds

    def time(self) -> float:
        return clock.time() + self.seconds

    monotonic = staticmethod(clock.monotonic)
    sleep = staticmethod(clock.sleep)


def test_the_cache_is_shared_by_every_worker():
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }


def test_five_failures_then_the_right_password_is_refused_until_the_cool_off(
    client, alice, monkeypatch
):
    for _ in range(5):
        response = sign_in(client, alice.email, "wrong-password")
        assert TOO_MANY not in response.content.decode()
    response = sign_in(client, alice.email)
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(kind="throttled", user=alice).count() == 1

    # From another address (another worker, another machine) it is refused too.
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert TOO_MANY in sign_in(elsewhere, alice.email).content.decode()

    monkeypatch.setattr(ratelimit, "time", _Later(5 * 60 + 1))
    response = sign_in(client, alice.email)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_throttling_one_account_leaves_the_others_alone(client, alice, bob):
    for _ in range(5):
        sign_in(client, alice.email, "wrong-password")
    assert sign_in(Client(REMOTE_ADDR="198.51.100.7"), bob.email).status_code == 302


def test_a_password_reset_request_is_limited_per_email(client, alice):
    for _ in range(3):
        client.post(reverse("account_reset_password"), {"email": alice.email})
    assert len(mail.outbox) == 3
    response = client.post(reverse("account_reset_password"), {"email": alice.email})
    assert len(mail.outbox) == 3
    assert response.status_code == 429


@pytest.mark.parametrize("attempts", [10])
def test_one_address_may_fail_only_ten_times_a_minute_across_accounts(client, db, attempts):
    for number in range(attempts):
        sign_in(client, f"guess{number}@example.com", "wrong-password")
    assert TOO_MANY in sign_in(client, "guess-more@example.com", "x").content.decode()
