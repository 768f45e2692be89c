from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.totp import totp_code


def sign_in(client: Client, email: str, password: str = PASSWORD):
    """Post the sign-in form (the first step: password)."""
    return client.post(reverse("login"), {"login": email, "password": password})


def sign_in_with_code(client: Client, email: str, password: str = PASSWORD):
    """Sign in as a member of staff: password, then the authenticator app's code."""
    response = sign_in(client, email, password)
    assert response.url == reverse("mfa_authenticate"), response.get("Location")
    return client.post(reverse("mfa_authenticate"), {"code": totp_code()})
