from django.urls import reverse

from accounts.models import SignInEvent
from tests.accounts.helpers import sign_in, sign_in_with_code
from tests.conftest import PASSWORD, make_user


def test_sign_in_by_email_in_any_case_lands_on_the_role_home(client, alice):
    response = sign_in(client, "  Alice@Example.COM ")
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("intake:client_home")


def test_each_role_lands_on_its_own_home(client, alice, tara, adam):
    sign_in(client, alice.email)
    assert client.get(reverse("home")).url == reverse("intake:client_home")
    for user, home in [(tara, "intake:review_queue"), (adam, "admin:index")]:
        client.post(reverse("logout"))
        sign_in_with_code(client, user.email)
        assert client.get(reverse("home")).url == reverse(home)


def test_wrong_password_is_refused_with_a_message_and_keeps_the_email(client, alice):
    response = sign_in(client, alice.email, "wrong-password")
    assert response.status_code == 200
    page = response.content.decode()
    assert "email address and/or password you specified are not correct" in page
    assert 'value="alice@example.com"' in page
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client, ivy):
    assert "not correct" in sign_in(client, ivy.email, "wrong-password").content.decode()
    # Only the right password learns that the account is closed.
    response = sign_in(client, ivy.email)
    assert response.url == reverse("account_inactive")
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(reverse("intake:client_home")).status_code == 302


def test_a_user_without_a_role_is_sent_to_their_account_page(client, db):
    client.force_login(make_user("norole@example.com"))
    response = client.get(reverse("home"))
    assert response.url == reverse("account")
    assert "no role yet" in client.get(response.url).content.decode()


def test_admin_sign_in_goes_through_our_form(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))


def test_the_admin_sign_in_page_refuses_signed_in_people_who_are_not_admins(client, tara):
    client.force_login(tara)
    assert client.get(reverse("admin:login")).status_code == 403


def test_an_unverified_email_gets_a_code_before_the_account_opens(client, db):
    from django.contrib.auth import get_user_model
    from django.core import mail

    get_user_model().objects.create_user(email="new@example.com", password=PASSWORD)
    response = sign_in(client, "new@example.com")
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert mail.outbox[-1].to == ["new@example.com"]


def test_every_sign_in_and_failure_is_in_the_trail_without_a_password(client, alice):
    sign_in(client, alice.email, "wrong-password-123")
    sign_in(client, "nobody-here@example.com", "another-guess-456")
    sign_in(client, alice.email)
    client.post(reverse("logout"))

    events = list(SignInEvent.objects.order_by("pk").values_list("kind", "email", "user"))
    assert events == [
        ("failed", "alice@example.com", alice.pk),
        ("failed", "", None),  # matched no account: the typed email is not kept
        ("signed_in", "alice@example.com", alice.pk),
        ("signed_out", "alice@example.com", alice.pk),
    ]
    assert SignInEvent.objects.exclude(ip_address=None).count() == 4
    stored = " ".join(str(v) for row in SignInEvent.objects.values_list() for v in row)
    assert "wrong-password-123" not in stored and "another-guess-456" not in stored
    assert "nobody-here" not in stored


def test_the_trail_keeps_the_email_after_the_account_is_deleted(client, alice):
    sign_in(client, alice.email)
    alice.delete()
    event = SignInEvent.objects.get(kind="signed_in")
    assert event.user is None and event.email == "alice@example.com"
