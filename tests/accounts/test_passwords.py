import re

from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


def test_password_change(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-phrase-2026",
            "new_password2": "another-long-phrase-2026",
        },
    )
    assert response.url == reverse("password_change_done")
    alice.refresh_from_db()
    assert alice.check_password("another-long-phrase-2026")


def test_password_change_with_a_wrong_old_password_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "x-long-2026-a",
            "new_password2": "x-long-2026-a",
        },
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors


def test_password_reset_by_email_link(client, alice):
    response = client.post(reverse("password_reset"), {"email": "ALICE@example.com"})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)

    form_url = client.get(link).url  # Django swaps the token for a session key
    response = client.post(
        form_url, {"new_password1": "fresh-phrase-2026-x", "new_password2": "fresh-phrase-2026-x"}
    )
    assert response.url == reverse("password_reset_complete")
    alice.refresh_from_db()
    assert alice.check_password("fresh-phrase-2026-x")
    assert "already been used" in client.get(link, follow=True).content.decode()


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []
