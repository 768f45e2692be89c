import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

NEW = "another-long-phrase-2026"


def emailed_code() -> str:
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M).group(1)


def test_password_change(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW, "password2": NEW},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(NEW)


def test_password_change_with_a_wrong_old_password_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "nope", "password1": NEW, "password2": NEW},
    )
    assert response.status_code == 200
    assert "oldpassword" in response.context["form"].errors


def test_password_reset_by_an_emailed_code(client, alice):
    response = client.post(reverse("account_reset_password"), {"email": "ALICE@example.com"})
    assert response.url == reverse("account_confirm_password_reset_code")
    assert mail.outbox[-1].to == ["alice@example.com"]
    assert "http" not in emailed_code()  # a code to type, no link carrying a secret

    response = client.post(response.url, {"code": emailed_code()})
    assert response.url == reverse("account_complete_password_reset")
    response = client.post(
        response.url, {"password1": "fresh-phrase-2026-x", "password2": "fresh-phrase-2026-x"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("fresh-phrase-2026-x")


def test_a_reset_code_works_only_in_the_browser_that_asked_for_it(client, alice):
    client.post(reverse("account_reset_password"), {"email": alice.email})
    other = Client()
    response = other.post(reverse("account_confirm_password_reset_code"), {"code": emailed_code()})
    assert response.status_code == 302
    assert response.url != reverse("account_complete_password_reset")


def test_password_reset_answers_the_same_for_unknown_addresses(db, alice):
    known = Client().post(reverse("account_reset_password"), {"email": alice.email})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url
    # Both get an email (the unknown one says there is no account), so timing says nothing.
    assert [m.to for m in mail.outbox] == [["alice@example.com"], ["nobody@example.com"]]
    assert "password" not in mail.outbox[1].body.lower() or "account" in mail.outbox[1].body


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaaaa", "jordan2026", "short-2026", "password1234", "123456789012"]
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["demo-pass-2026", PASSWORD, "lovely-long-phrase-26"])
def test_long_uncommon_passphrases_are_accepted(password):
    validate_password(password)
