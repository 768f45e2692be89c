"""Sign-ups racing with one email, with real concurrent transactions on PostgreSQL.

The deterministic test holds the Clients group's row from another connection, so the first
sign-up stops after inserting its account and before committing; the second then passes the
form's "already exists" check and runs into the unique index. The barrier test fires several
sign-ups at the same moment. Either way one account is made. Each sign-up goes on to "enter
the code we emailed you", as a sign-up with a taken email does too, except that allauth
emails one address at most once in 10 seconds: whichever sign-up comes second to the email
gets its plain "too many requests" page instead. Never a server error.
"""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from accounts.roles import ROLE_GROUP, Role
from tests.concurrency.helpers import postgresql_only, row_lock, start, wait_for_lock_waiters

pytestmark = [postgresql_only, pytest.mark.django_db(transaction=True)]

VERIFY = "/accounts/confirm-email/"


def sign_up(email: str) -> dict:
    return {
        "full_name": "Sam Sample",
        "email": email,
        "password1": "a-long-pass-phrase-2026",
        "password2": "a-long-pass-phrase-2026",
    }


def test_a_second_sign_up_queued_behind_the_first_gets_the_form_back():
    clients_group = Group.objects.get(name=ROLE_GROUP[Role.CLIENT])
    with row_lock(Group, clients_group.pk):
        first = start(Client(), "post", reverse("signup"), sign_up("sam@example.com"))
        wait_for_lock_waiters(1)  # the first has inserted its account, not yet committed
        second = start(Client(), "post", reverse("signup"), sign_up("Sam@Example.COM"))
        wait_for_lock_waiters(2)  # the second is waiting on the unique email
    first_response, second_response = first.result(), second.result()

    responses = [first_response, second_response]
    assert {response.status_code for response in responses} <= {302, 429}
    assert [response.url for response in responses if response.status_code == 302] in (
        [VERIFY],
        [VERIFY, VERIFY],
    )
    assert get_user_model().objects.filter(email__iexact="sam@example.com").count() == 1


def test_sign_ups_at_the_same_moment_make_one_account():
    count = 4
    barrier = threading.Barrier(count)
    requests = [
        start(Client(), "post", reverse("signup"), sign_up(email), barrier=barrier)
        for email in ["sam@example.com", "SAM@example.com", "sam@EXAMPLE.com", "Sam@Example.com"]
    ]
    responses = [request.result() for request in requests]

    assert {response.status_code for response in responses} <= {302, 429}
    assert {response.url for response in responses if response.status_code == 302} == {VERIFY}
    assert get_user_model().objects.filter(email__iexact="sam@example.com").count() == 1
