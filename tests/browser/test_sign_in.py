import pytest

from intake.demo import DEMO_PASSWORD, seed_demo_people
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_demo_client_signs_in_and_lands_on_their_home(page):
    seed_demo_people()

    page.goto("/")
    page.get_by_label("Email").fill("client@example.com")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()

    page.wait_for_url("**/my/intakes/")
    assert page.get_by_role("heading", name="My intakes").is_visible()
    page.get_by_role("button", name="Menu").click()
    assert page.get_by_role("link", name="My intakes").is_visible()
    assert page.get_by_role("link", name="Review queue").count() == 0


def test_wrong_password_keeps_the_email_and_says_so(page):
    seed_demo_people()

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("client@example.com")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in", exact=True).click()

    assert page.get_by_text("password you specified are not correct").is_visible()
    assert page.get_by_label("Email").input_value() == "client@example.com"


def test_demo_therapist_signs_in_with_the_authenticator_code(page):
    seed_demo_people()
    sign_in(page, "therapist@example.com", "/review/")
    assert page.get_by_role("heading", name="Review queue").is_visible()


def test_the_session_warning_offers_to_stay_signed_in(page, settings):
    settings.SESSION_IDLE_TIMEOUT_CLIENT = 63  # the warning comes a minute before the end
    seed_demo_people()
    sign_in(page, "client@example.com", "/my/intakes/")
    warning = page.get_by_role("alertdialog")
    warning.wait_for(timeout=8_000)
    assert "signed out in" in warning.inner_text()
    page.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="hidden")
    page.reload()
    assert page.get_by_role("heading", name="My intakes").is_visible()


def test_an_invitation_link_opens_the_password_form_without_the_code_in_the_url(page):
    import re

    from django.core import mail

    from intake.models import Client, Invitation

    seed_demo_people()
    invited = Client.objects.create(legal_name="Nina New", email="nina@example.com")
    _invitation, token = Invitation.issue(invited, by=None)
    page.goto(f"/invitations/accept/#{token}")
    page.get_by_role("heading", name="Welcome, Nina New").wait_for()
    assert token not in page.url
    assert re.search(r"/invitations/accept/$", page.url)
    assert mail.outbox == []
