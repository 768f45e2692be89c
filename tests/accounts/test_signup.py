import pytest
from django.urls import reverse

from accounts.roles import Role

GOOD = {
    "full_name": "  New   Client ",
    "email": "New.Client@Example.com",
    "password1": "a-long-pass-phrase-2026",
    "password2": "a-long-pass-phrase-2026",
}


def test_sign_up_creates_a_signed_in_client(client, db):
    response = client.post(reverse("signup"), GOOD)
    assert response.url == reverse("home")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get()
    assert user.email == "new.client@example.com"
    assert user.full_name == "New Client"
    assert user.role == Role.CLIENT
    assert not user.is_staff
    assert client.get(reverse("home")).url == reverse("intake:client_home")


def test_sign_up_errors_keep_what_was_typed(client, alice):
    response = client.post(
        reverse("signup"), {**GOOD, "email": "alice@example.com", "password2": "different"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "already exists" in page
    assert "didn’t match" in page or "didn't match" in page
    assert 'value="New Client"' in page or 'value="  New   Client "' in page


def test_sign_up_needs_a_name(client, db):
    response = client.post(reverse("signup"), {**GOOD, "full_name": "   "})
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors


def test_weak_password_is_refused(client, db):
    response = client.post(
        reverse("signup"), {**GOOD, "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors


def test_signed_in_people_are_sent_home_from_sign_up(client, alice):
    client.force_login(alice)
    assert client.get(reverse("signup")).url == reverse("home")


def test_the_database_refuses_an_email_that_differs_only_in_case(db):
    from django.contrib.auth import get_user_model
    from django.db import IntegrityError, transaction

    User = get_user_model()
    User.objects.create_user(email="sam@example.com", password="a-long-pass-phrase-2026")
    with pytest.raises(IntegrityError), transaction.atomic():
        User(email="Sam@Example.com").save()  # bypasses the manager's normalising
