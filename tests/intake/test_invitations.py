import re
from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from intake.models import Client, Intake, Invitation

NEW_PASSWORD = {"new_password1": "lovely-long-phrase-26", "new_password2": "lovely-long-phrase-26"}


def invite(client, name="Nina New", email="Nina@Example.com"):
    return client.post(reverse("intake:invite_client"), {"legal_name": name, "email": email})


def link_path(response) -> str:
    return re.search(r"(/invitations/[^/\"]+/)", response.content.decode()).group(1)


def test_a_therapist_invites_a_client_who_sets_a_password_and_starts(client, tara):
    client.force_login(tara)
    response = invite(client)
    assert response.status_code == 200
    path = link_path(response)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@example.com"]
    assert path in mail.outbox[0].body
    new_client = Client.objects.get(email="nina@example.com")
    assert new_client.assigned_therapist == tara
    assert new_client.legal_name == "Nina New"

    client.post(reverse("logout"))
    assert "Welcome, Nina New" in client.get(path).content.decode()
    response = client.post(path, NEW_PASSWORD)
    intake = Intake.objects.get(client=new_client)
    assert response.url == reverse("intake:intake_resume", args=[intake.pk])
    new_client.refresh_from_db()
    assert new_client.user.email == "nina@example.com"
    assert new_client.user.role == Role.CLIENT
    about = client.get(reverse("intake:intake_step", args=[intake.pk, "about"]))
    assert 'value="Nina New"' in about.content.decode()


def test_the_link_works_once(client, tara):
    client.force_login(tara)
    path = link_path(invite(client))
    client.post(reverse("logout"))
    client.post(path, NEW_PASSWORD)
    client.post(reverse("logout"))
    response = client.get(path)
    assert response.status_code == 410
    assert "cannot be used" in response.content.decode()
    assert client.post(path, NEW_PASSWORD).status_code == 410


def test_the_link_expires_after_seven_days(client, tara):
    client.force_login(tara)
    path = link_path(invite(client))
    client.post(reverse("logout"))
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(path).status_code == 410
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at <= timedelta(days=7, seconds=1)


def test_only_a_digest_of_the_token_is_stored(client, tara):
    client.force_login(tara)
    token = link_path(invite(client)).split("/")[2]
    assert not Invitation.objects.filter(token_digest=token).exists()
    assert Invitation.find_usable(token) is not None
    assert Invitation.find_usable(token + "x") is None


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
    path = link_path(invite(client))
    client.post(reverse("logout"))
    response = client.post(path, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert Invitation.objects.usable().count() == 1
