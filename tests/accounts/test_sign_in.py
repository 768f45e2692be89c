from django.urls import reverse

from tests.conftest import PASSWORD


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_sign_in_by_email_in_any_case_lands_on_the_role_home(client, alice):
    response = sign_in(client, "  Alice@Example.COM ")
    assert response.status_code == 302
    assert client.get(response.url).url == reverse("intake:client_home")


def test_each_role_lands_on_its_own_home(client, alice, tara, adam):
    for user, home in [
        (alice, "intake:client_home"),
        (tara, "intake:review_queue"),
        (adam, "admin:index"),
    ]:
        client.logout()
        sign_in(client, user.email)
        assert client.get(reverse("home")).url == reverse(home)


def test_wrong_password_is_refused_with_a_message_and_keeps_the_email(client, alice):
    response = sign_in(client, alice.email, "wrong-password")
    assert response.status_code == 200
    assert "Please enter a correct email" in response.content.decode()
    assert 'value="alice@example.com"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client, ivy):
    response = sign_in(client, ivy.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(reverse("intake:client_home")).status_code == 302


def test_a_user_without_a_role_is_sent_to_their_account_page(client, db):
    from tests.conftest import make_user

    client.force_login(make_user("norole@example.com"))
    response = client.get(reverse("home"))
    assert response.url == reverse("account")
    assert "no role yet" in client.get(response.url).content.decode()


def test_admin_sign_in_goes_through_our_form(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
