import re
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from intake.models import Client, Intake, Invitation

NEW_PASSWORD = {"new_password1": "lovely-long-phrase-26", "new_password2": "lovely-long-phrase-26"}
ACCEPT = "/invitations/accept/"


def invite(client, name="Nina New", email="Nina@Example.com"):
    return client.post(reverse("intake:invite_client"), {"legal_name": name, "email": email})


def emailed_token() -> str:
    """The code after '#' in the emailed link (the fragment no browser sends to a server)."""
    return re.search(r"/invitations/accept/#(\S+)", mail.outbox[-1].body).group(1)


def open_invitation(browser, token: str):
    """What the link's page does: post the code, then show the password form."""
    response = browser.post(ACCEPT, {"token": token})
    if response.status_code == 302:
        return browser.get(response.url)
    return response


def test_a_therapist_invites_a_client_who_sets_a_password_and_starts(client, tara):
    client.force_login(tara)
    response = invite(client)
    assert response.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@example.com"]
    token = emailed_token()
    assert token in mail.outbox[0].body.split("paste this invitation code:")[1]
    new_client = Client.objects.get(email="nina@example.com")
    assert new_client.assigned_therapist == tara
    assert new_client.legal_name == "Nina New"

    browser = Browser()
    assert "Welcome, Nina New" in open_invitation(browser, token).content.decode()
    response = browser.post(ACCEPT, NEW_PASSWORD)
    intake = Intake.objects.get(client=new_client)
    assert response.url == reverse("intake:intake_resume", args=[intake.pk])
    new_client.refresh_from_db()
    assert new_client.user.email == "nina@example.com"
    assert new_client.user.role == Role.CLIENT
    about = browser.get(reverse("intake:intake_step", args=[intake.pk, "about"]))
    assert 'value="Nina New"' in about.content.decode()


def test_the_inviting_therapist_never_sees_the_link_or_the_token(client, tara):
    client.force_login(tara)
    page = invite(client).content.decode()
    token = emailed_token()
    assert token not in page and ACCEPT not in page
    assert "emailed Nina New" in page
    assert not any(token in value for value in client.session.values() if isinstance(value, str))


def test_the_token_never_sits_in_a_url_path_or_query(client, tara):
    client.force_login(tara)
    invite(client)
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    path_and_query = link.split("#")[0]
    assert emailed_token() not in path_and_query
    browser = Browser()
    response = browser.post(ACCEPT, {"token": emailed_token()})
    assert response.url == ACCEPT  # exchanged for the session: the next page's URL is plain


def test_accepting_verifies_the_email(client, tara):
    client.force_login(tara)
    invite(client)
    browser = Browser()
    open_invitation(browser, emailed_token())
    browser.post(ACCEPT, NEW_PASSWORD)
    address = EmailAddress.objects.get(email="nina@example.com")
    assert address.verified and address.primary


def test_the_page_without_a_code_asks_for_it(client, db):
    page = client.get(ACCEPT).content.decode()
    assert "Invitation code" in page and "js/invitation.js" in page


def test_the_link_works_once(client, tara):
    client.force_login(tara)
    invite(client)
    token = emailed_token()
    browser = Browser()
    open_invitation(browser, token)
    browser.post(ACCEPT, NEW_PASSWORD)
    browser.post(reverse("logout"))
    response = Browser().post(ACCEPT, {"token": token})
    assert response.status_code == 410
    assert "cannot be used" in response.content.decode()


def test_two_tabs_accepting_one_invitation_make_one_account(client, tara):
    client.force_login(tara)
    invite(client)
    token = emailed_token()
    first, second = Browser(), Browser()
    open_invitation(first, token)
    open_invitation(second, token)  # both hold the form
    assert first.post(ACCEPT, NEW_PASSWORD).status_code == 302
    response = second.post(ACCEPT, NEW_PASSWORD)
    assert response.status_code in (302, 410)
    assert "_auth_user_id" not in second.session
    assert Client.objects.get(email="nina@example.com").user is not None
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(email="nina@example.com").count() == 1


def test_the_link_expires_after_seven_days(client, tara):
    client.force_login(tara)
    invite(client)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Browser().post(ACCEPT, {"token": emailed_token()}).status_code == 410
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at <= timedelta(days=7, seconds=1)


def test_an_invitation_that_expires_while_the_form_is_open_is_refused(client, tara):
    client.force_login(tara)
    invite(client)
    browser = Browser()
    open_invitation(browser, emailed_token())
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert browser.post(ACCEPT, NEW_PASSWORD).status_code == 410


def test_only_a_digest_of_the_token_is_stored(client, tara):
    client.force_login(tara)
    invite(client)
    token = emailed_token()
    assert not Invitation.objects.filter(token_digest=token).exists()
    assert Invitation.find_usable(token) is not None
    assert Invitation.find_usable(token + "x") is None


def test_inviting_one_email_twice_keeps_one_client_and_the_newest_link_works(client, tara):
    client.force_login(tara)
    invite(client)
    first_token = emailed_token()
    invite(client, name="Nina N. New", email="NINA@example.com")
    second_token = emailed_token()
    assert Client.objects.filter(email__iexact="nina@example.com").count() == 1
    assert Invitation.objects.filter(client__email="nina@example.com").count() == 2

    browser = Browser()
    open_invitation(browser, second_token)
    browser.post(ACCEPT, NEW_PASSWORD)
    # Accepting one ends the others.
    assert Browser().post(ACCEPT, {"token": first_token}).status_code == 410


def test_the_database_refuses_a_second_client_without_account_for_one_email(db):
    import pytest
    from django.db import IntegrityError, transaction

    Client.objects.create(legal_name="Nina New", email="nina@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.create(legal_name="Nina Again", email="Nina@Example.com")


def test_an_admin_invite_leaves_the_client_unassigned(client, adam):
    client.force_login(adam)
    invite(client)
    assert Client.objects.get(email="nina@example.com").assigned_therapist is None


def test_inviting_an_existing_account_is_refused(client, tara, alice):
    client.force_login(tara)
    response = invite(client, email="ALICE@example.com")
    assert response.status_code == 200
    assert "already has an account" in response.context["form"].errors["email"][0]
    assert mail.outbox == []


def test_invitation_form_needs_a_name_and_a_valid_email(client, tara):
    client.force_login(tara)
    response = invite(client, name="  ", email="not-an-email")
    assert set(response.context["form"].errors) == {"legal_name", "email"}


def test_weak_password_keeps_the_invitation_usable(client, tara):
    client.force_login(tara)
    invite(client)
    browser = Browser()
    open_invitation(browser, emailed_token())
    response = browser.post(ACCEPT, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert Invitation.objects.usable().count() == 1


def test_signed_in_people_are_sent_home(client, alice):
    client.force_login(alice)
    assert client.get(ACCEPT).url == reverse("home")
