"""Invitation.accept: a usable invitation becomes the client's account, once; a used or
expired one, or one whose client has an account already, becomes nothing."""

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, role_of
from intake.models import Invitation
from tests.factories import make_client

PASSWORD = "lovely-long-phrase-26"


@pytest.fixture
def nina(tara):
    return make_client(legal_name="Nina New", email="nina@example.com")


def test_accepting_makes_the_clients_account_with_a_verified_email(nina, tara):
    invitation, _token = Invitation.issue(nina, by=tara)
    user = invitation.accept(PASSWORD)
    nina.refresh_from_db()
    assert nina.user == user
    assert user.email == "nina@example.com" and user.full_name == "Nina New"
    assert user.check_password(PASSWORD)
    assert role_of(user) == Role.CLIENT
    assert EmailAddress.objects.get(user=user).verified
    invitation.refresh_from_db()
    assert invitation.used_at is not None


def test_an_invitation_is_accepted_once(nina, tara):
    invitation, _token = Invitation.issue(nina, by=tara)
    assert invitation.accept(PASSWORD) is not None
    assert invitation.accept(PASSWORD) is None
    assert User.objects.filter(email="nina@example.com").count() == 1


def test_an_expired_invitation_is_refused(nina, tara):
    invitation, _token = Invitation.issue(nina, by=tara)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    assert invitation.accept(PASSWORD) is None
    nina.refresh_from_db()
    assert nina.user is None


def test_accepting_ends_the_clients_older_invitations(nina, tara):
    older, _token = Invitation.issue(nina, by=tara)
    newer, _token = Invitation.issue(nina, by=tara)
    assert newer.accept(PASSWORD) is not None
    assert older.accept(PASSWORD) is None
    assert not Invitation.objects.usable().exists()


def test_a_client_who_has_an_account_already_gets_no_second_one(nina, tara):
    invitation, _token = Invitation.issue(nina, by=tara)
    nina.user = User.objects.create_user("nina.other@example.com", PASSWORD)
    nina.save(update_fields=["user"])
    assert invitation.accept(PASSWORD) is None
    assert not User.objects.filter(email="nina@example.com").exists()
