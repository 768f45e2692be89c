"""Steps the browser journeys share."""

from intake.demo import DEMO_PASSWORD, DEMO_PEOPLE, DEMO_TOTP_SECRET
from tests.totp import totp_code

DEMO_STAFF = {email for email, _name, role in DEMO_PEOPLE if role.value != "client"}


def sign_in(page, email: str, landing: str) -> None:
    """Sign in through the form as a demo person and wait for their home page; staff also
    type the code their authenticator app shows."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    if email in DEMO_STAFF:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        code = page.get_by_role("textbox", name="Code")
        code.fill(totp_code(DEMO_TOTP_SECRET))
        code.press("Enter")
    page.wait_for_url(f"**{landing}")
