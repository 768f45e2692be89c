"""Steps the browser journeys share."""

from intake.demo import DEMO_PASSWORD


def sign_in(page, email: str, landing: str) -> None:
    """Sign in through the form as a demo person and wait for their home page."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{landing}")
