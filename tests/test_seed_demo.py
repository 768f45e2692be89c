import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.roles import Role
from intake.demo import DEMO_PASSWORD


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()


def test_seed_demo_is_idempotent_and_people_sign_in_by_email(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    count = get_user_model().objects.count()
    call_command("seed_demo")
    assert get_user_model().objects.count() == count >= 8
    printed = capsys.readouterr().out
    assert "client@example.com" in printed and DEMO_PASSWORD in printed

    roles = {
        "admin@example.com": Role.ADMIN,
        "therapist@example.com": Role.THERAPIST,
        "therapist2@example.com": Role.THERAPIST,
        "client@example.com": Role.CLIENT,
    }
    for email, role in roles.items():
        user = authenticate(username=email.upper(), password=DEMO_PASSWORD)
        assert user is not None, email
        assert user.role == role
    assert get_user_model().objects.get(email="admin@example.com").is_staff
    assert not get_user_model().objects.get(email="therapist@example.com").is_staff


def test_demo_staff_sign_in_with_the_demo_authenticator_secret(db, settings, capsys):
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from accounts.totp import totp_code
    from intake.demo import DEMO_TOTP_SECRET

    settings.DEBUG = True
    call_command("seed_demo")
    assert DEMO_TOTP_SECRET in capsys.readouterr().out
    staff = Authenticator.objects.filter(type="totp").values_list("user__email", flat=True)
    assert set(staff) == {"admin@example.com", "therapist@example.com", "therapist2@example.com"}
    assert Authenticator.objects.get(user__email="admin@example.com").data == {
        "secret": DEMO_TOTP_SECRET
    }
    assert not EmailAddress.objects.filter(verified=False).exists()
    call_command("demo_code")
    assert capsys.readouterr().out.strip() in {
        totp_code(DEMO_TOTP_SECRET),
        totp_code(DEMO_TOTP_SECRET, at=__import__("time").time() - 30),
    }
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_code")
