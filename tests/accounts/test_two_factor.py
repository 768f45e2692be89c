"""Two-factor sign-in: required for therapists and admins before any client data, optional
for clients; an authenticator app (TOTP, with recovery codes) or a passkey."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.helpers import sign_in, sign_in_with_code
from tests.conftest import PASSWORD, make_user
from tests.factories import make_client, make_submitted
from tests.totp import totp_code


@pytest.fixture
def newcomer(db):
    """A therapist who has not set up a second factor yet."""
    return make_user("new.therapist@example.com", Role.THERAPIST, second_factor=False)


def test_staff_without_a_second_factor_are_sent_to_set_one_up_before_any_client_page(
    client, newcomer, alice
):
    submitted = make_submitted(make_client(alice, assigned_therapist=newcomer))
    assert sign_in(client, newcomer.email).status_code == 302
    for url in [
        reverse("home"),
        reverse("intake:review_queue"),
        reverse("intake:intake_review", args=[submitted.pk]),
        reverse("intake:client_history", args=[submitted.client_id]),
        reverse("intake:invite_client"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_index"), url
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account")).status_code == 200


def test_admins_too_even_in_the_records(client, db):
    admin = make_user("new.admin@example.com", Role.ADMIN, second_factor=False)
    sign_in(client, admin.email)
    assert client.get(reverse("admin:index")).url == reverse("mfa_index")
    assert client.get("/admin/intake/client/").url == reverse("mfa_index")


def test_setting_up_an_authenticator_app_opens_the_pages(client, newcomer):
    sign_in(client, newcomer.email)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))  # the password again
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    form = client.get(reverse("mfa_activate_totp")).context["form"]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(form.secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=newcomer, type="totp").exists()
    assert Authenticator.objects.filter(user=newcomer, type="recovery_codes").exists()
    assert client.get(reverse("intake:review_queue")).status_code == 200


def test_staff_with_an_authenticator_app_sign_in_with_its_code(client, tara):
    response = sign_in(client, tara.email)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session  # the password alone opens nothing
    assert client.get(reverse("intake:review_queue")).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    sign_in_with_code(client, tara.email)
    assert client.get(reverse("intake:review_queue")).status_code == 200


def test_the_admin_site_signs_in_through_the_same_form_and_code(client, adam):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('login')}?next=%2Fadmin%2F"
    response = client.post(
        response.redirect_chain[-1][0], {"login": adam.email, "password": PASSWORD}
    )
    assert response.url == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert response.url == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200


def test_two_factor_is_optional_for_clients(client, alice):
    sign_in(client, alice.email)
    assert client.get(reverse("intake:client_home")).status_code == 200


def test_a_client_may_turn_it_on(client, alice):
    sign_in(client, alice.email)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    form = client.get(reverse("mfa_activate_totp")).context["form"]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(form.secret)})
    client.post(reverse("logout"))
    assert sign_in(client, alice.email).url == reverse("mfa_authenticate")


def test_staff_cannot_remove_their_only_second_factor(client, tara):
    client.force_login(tara)
    client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(user=tara, type="totp").exists()
    assert client.get(reverse("intake:review_queue")).status_code == 200


def test_removing_a_staff_members_last_factor_in_the_admin_signs_them_out(client, tara, adam):
    tara_browser = type(client)()
    tara_browser.force_login(tara)
    assert tara_browser.get(reverse("intake:review_queue")).status_code == 200
    client.force_login(adam)
    authenticator = Authenticator.objects.get(user=tara, type="totp")
    url = reverse("admin:mfa_authenticator_delete", args=[authenticator.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(user=tara).exists()
    assert tara_browser.get(reverse("intake:review_queue")).url.startswith(reverse("login"))
