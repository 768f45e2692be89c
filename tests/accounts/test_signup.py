"""Sign-up: a verified email before the account opens, and never a word on whether the email
already has an account (that would say who is a patient of the clinic)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.roles import Role

GOOD = {
    "full_name": "  New   Client ",
    "email": "New.Client@Example.com",
    "password1": "a-long-pass-phrase-2026",
    "password2": "a-long-pass-phrase-2026",
}


def emailed_code() -> str:
    return re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M).group(1)


def test_sign_up_asks_for_the_emailed_code_then_opens_a_client_account(client, db):
    response = client.post(reverse("signup"), GOOD)
    assert response.url == reverse("account_email_verification_sent")
    user = get_user_model().objects.get()
    assert user.email == "new.client@example.com"
    assert user.full_name == "New Client"
    assert user.role == Role.CLIENT and not user.is_staff
    assert "_auth_user_id" not in client.session  # not before the email is verified
    assert mail.outbox[-1].to == ["new.client@example.com"]

    response = client.post(reverse("account_email_verification_sent"), {"code": emailed_code()})
    assert response.status_code == 302
    assert client.get(reverse("home")).url == reverse("intake:client_home")
    assert user.emailaddress_set.get().verified


def test_a_wrong_code_opens_nothing(client, db):
    client.post(reverse("signup"), GOOD)
    response = client.post(reverse("account_email_verification_sent"), {"code": "AAAA-AAAA"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_up_with_a_taken_email_answers_as_for_a_new_one(client, alice, tara):
    new = Client().post(reverse("signup"), {**GOOD, "email": "someone.new@example.com"})
    for email in ["ALICE@example.com", "tara@example.com"]:
        taken = Client().post(reverse("signup"), {**GOOD, "email": email})
        assert taken.status_code == new.status_code == 302
        assert taken.url == new.url
    # The owner is told by email; the page said nothing.
    assert [m.to for m in mail.outbox[1:]] == [["alice@example.com"], ["tara@example.com"]]
    assert "already exists" in mail.outbox[1].body
    assert get_user_model().objects.filter(email="alice@example.com").count() == 1


def test_the_verification_page_reads_the_same_for_a_taken_email(db, alice):
    def page_for(email: str) -> str:
        browser = Client()
        browser.post(reverse("signup"), {**GOOD, "email": email})
        page = browser.get(reverse("account_email_verification_sent")).content.decode()
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
        return page.replace(email, "EMAIL")

    assert page_for("alice@example.com") == page_for("fresh@example.com")


def test_sign_up_errors_keep_what_was_typed(client, db):
    response = client.post(reverse("signup"), {**GOOD, "password2": "different"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "same password" in page
    assert 'value="New Client"' in page or 'value="  New   Client "' in page


def test_sign_up_needs_a_name(client, db):
    response = client.post(reverse("signup"), {**GOOD, "full_name": "   "})
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors


@pytest.mark.parametrize(
    "password", ["12345678", "aaaaaaaaaaaa", "jordan2026", "password2026", "clinicintake"]
)
def test_weak_passwords_are_refused(client, db, password):
    response = client.post(
        reverse("signup"), {**GOOD, "password1": password, "password2": password}
    )
    assert response.status_code == 200
    assert "password1" in response.context["form"].errors
    assert not get_user_model().objects.exists()


def test_signed_in_people_are_sent_home_from_sign_up(client, alice):
    client.force_login(alice)
    assert client.get(reverse("signup")).url == reverse("home")


def test_the_database_refuses_an_email_that_differs_only_in_case(db):
    from django.db import IntegrityError, transaction

    User = get_user_model()
    User.objects.create_user(email="sam@example.com", password="a-long-pass-phrase-2026")
    with pytest.raises(IntegrityError), transaction.atomic():
        User(email="Sam@Example.com").save()  # bypasses the manager's normalising
