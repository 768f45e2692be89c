"""On a phone, a failed submit takes focus to the error summary at the top."""

import pytest

from intake.demo import seed_demo_people
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_a_failed_submit_moves_focus_to_the_error_summary(page):
    seed_demo_people()
    sign_in(page, "client@example.com", "/my/intakes/")
    page.get_by_role("button", name="Start a new intake").click()
    page.get_by_role("heading", name="About you", level=1).wait_for()
    page.get_by_label("Full legal name").fill("")
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert summary.evaluate("el => el === document.activeElement")
    assert summary.bounding_box()["y"] < 740  # on the first screen
    summary.get_by_role("link", name="Full legal name").click()
    assert page.get_by_label("Full legal name").evaluate("el => el === document.activeElement")
