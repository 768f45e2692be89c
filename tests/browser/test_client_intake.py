"""The demo client fills in a whole intake in Chromium on a phone-sized screen."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.demo import seed_demo_people
from intake.models import Intake
from intake.rules.codes import RED_FLAGS
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def save_and_continue(page, next_heading):
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name=next_heading, level=1).wait_for()
    # The heading is there before the stylesheets are: until they load, both copies of the
    # body map (wide and phone) show, and ':visible' finds each place twice.
    page.wait_for_load_state("load")


def test_demo_client_fills_in_a_whole_intake_with_the_mouse(page):
    seed_demo_people()
    sign_in(page, "client@example.com", "/my/intakes/")
    page.get_by_role("button", name="Start a new intake").click()
    page.get_by_role("heading", name="About you", level=1).wait_for()
    assert page.get_by_label("Full legal name").input_value() == "Casey Client"
    save_and_continue(page, "Health history")

    # Carried forward from the last intake: confirm rather than retype.
    assert page.get_by_label("Do you take blood thinners").is_checked()
    page.get_by_label("Allergies").fill("Nut oils")
    save_and_continue(page, "Where it hurts")

    page.locator('[data-key="buttock-left"]:visible').click()
    page.locator('[data-key="low_back-center"]:visible').click()
    assert page.get_by_role("checkbox", name="Buttock, Left").is_checked()
    assert page.get_by_role("checkbox", name="Low back, Middle").is_checked()
    page.get_by_role("spinbutton", name="Buttock, Left: How bad (0-10)").fill("7")
    save_and_continue(page, "Your pain")

    page.get_by_label("In your own words").fill("Ache in the low back and left buttock.")
    started = (timezone.localdate() - timedelta(weeks=16)).isoformat()
    page.get_by_label("When did this pain start?").fill(started)
    page.get_by_label("How bad is the pain right now?").fill("6")
    page.get_by_label("on average in the past week").fill("5")
    page.get_by_label("enjoyment of life").fill("4")
    page.get_by_label("general activity").fill("5")
    page.get_by_label("The pain is severe when I stand or sit up straight").check()
    save_and_continue(page, "Safety questions")

    for code in RED_FLAGS:
        page.locator(f'input[name="{code}"][value="no"]').check()
    save_and_continue(page, "Goals and treatment areas")

    page.get_by_label("What would you like from treatment?").fill("Sit through work.")
    page.get_by_label("Buttocks").check()
    save_and_continue(page, "Review and consent")

    assert page.get_by_text("Buttock, left: 7 of 10").is_visible()
    page.get_by_label("I confirm my answers").check()
    page.get_by_label("Type your full name").fill("Casey Client")
    page.get_by_role("button", name="Sign and send to the clinic").click()
    page.get_by_role("heading", name="My answers").wait_for()
    assert page.get_by_text("Your intake has been sent").is_visible()

    intake = Intake.objects.filter(client__user__email="client@example.com").latest("pk")
    assert intake.status == Intake.Status.SUBMITTED
    assert {(p.region, p.side, p.intensity) for p in intake.pain_locations.all()} == {
        ("buttock", "left", 7),
        ("low_back", "center", 5),
    }
    assert intake.suggestion["suggestions"][0]["muscle"] == "quadratus_lumborum"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_body_map_step_with_the_keyboard_alone(page):
    seed_demo_people()
    sign_in(page, "client@example.com", "/my/intakes/")
    page.get_by_role("button", name="Start a new intake").click()
    page.get_by_role("heading", name="About you", level=1).wait_for()
    save_and_continue(page, "Health history")
    save_and_continue(page, "Where it hurts")

    checkbox = page.get_by_role("checkbox", name="Buttock, Left")
    for _ in range(200):
        page.keyboard.press("Tab")
        if checkbox.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the left buttock checkbox")
    page.keyboard.press("Space")
    assert checkbox.is_checked()
    page.keyboard.press("Tab")
    intensity = page.get_by_role("spinbutton", name="Buttock, Left: How bad (0-10)")
    assert intensity.evaluate("el => el === document.activeElement")
    page.keyboard.type("8")
    assert "selected" in page.locator('[data-key="buttock-left"]:visible').get_attribute("class")
    page.keyboard.press("Enter")  # submits the form: Save and continue
    page.get_by_role("heading", name="Your pain", level=1).wait_for()

    intake = Intake.objects.drafts().get(client__user__email="client@example.com")
    assert [(p.region, p.side, p.intensity) for p in intake.pain_locations.all()] == [
        ("buttock", "left", 8)
    ]
