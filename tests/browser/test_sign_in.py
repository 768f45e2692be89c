import pytest

from intake.demo import DEMO_PASSWORD, seed_demo_people

pytestmark = pytest.mark.browser


def test_demo_client_signs_in_and_lands_on_their_home(page):
    seed_demo_people()

    page.goto("/")
    page.get_by_label("Email").fill("client@example.com")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

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
    page.get_by_role("button", name="Sign in").click()

    assert page.get_by_text("Please enter a correct email").is_visible()
    assert page.get_by_label("Email").input_value() == "client@example.com"
