"""A client answers yes to a safety question, sends the doctor's letter from a phone, the
therapist records the clearance and approves the plan, and the client downloads the
home-care handout: in Chromium."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone

from intake.demo import seed_demo_people
from intake.models import Client, Intake, TreatmentPlan
from intake.rules.codes import RED_FLAGS
from intake.rules.knowledge import MUSCLES
from tests.browser.pages import sign_in
from tests.factories import make_draft

pytestmark = pytest.mark.browser


def a_letter(path) -> str:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_clearance_then_plan_then_handout(page, browser, live_server, tmp_path):
    seed_demo_people()
    jordan = Client.objects.get(user__email="jordan@example.com")
    make_draft(
        jordan,
        steps_done=["about", "health", "where", "pain"],
        pain=[("buttock", "left", 6), ("low_back", "center", 5)],
        main_complaint="Buttock pain.",
        pain_started_on=timezone.localdate() - timedelta(weeks=10),
        current_pain=5,
        peg_pain=5,
        peg_enjoyment=4,
        peg_activity=5,
    )

    # The client, on a phone-sized screen, answers yes to a referral question.
    sign_in(page, "jordan@example.com", "/my/intakes/")
    page.get_by_role("button", name="Continue my intake").click()
    page.get_by_role("heading", name="Safety questions", level=1).wait_for()
    for code in RED_FLAGS:
        answer = "yes" if code == "fever_unwell" else "no"
        page.locator(f'input[name="{code}"][value="{answer}"]').check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Goals and treatment areas", level=1).wait_for()
    page.get_by_label("Buttocks").check()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("I confirm my answers").check()
    page.get_by_label("Type your full name").fill("Jordan Lee")
    page.get_by_role("button", name="Sign and send to the clinic").click()
    page.get_by_role("heading", name="My answers").wait_for()
    intake = Intake.objects.get(client=jordan)
    assert intake.red_flag_urgency

    # Home says what is awaited; the letter goes up from the phone.
    page.goto("/my/intakes/")
    assert page.get_by_text("Waiting for your doctor's clearance.").is_visible()
    page.get_by_role("link", name="Send the letter").click()
    page.get_by_label("Or choose a PDF or a photo").set_input_files(a_letter(tmp_path / "l.pdf"))
    page.get_by_role("button", name="Send the letter").click()
    page.get_by_text("we have your letter").wait_for()
    letter = intake.clearance_letters.get()

    # The therapist records the clearance and approves the plan.
    staff = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    therapist = staff.new_page()
    sign_in(therapist, "therapist@example.com", "/review/")
    therapist.goto(f"/review/intakes/{intake.pk}/")
    therapist.get_by_role("link", name="Record the clearance").click()
    therapist.get_by_label("Doctor's name").fill("Dr Rivera")
    therapist.get_by_label("Practice").fill("Riverside Practice")
    therapist.get_by_label("Date of the clearance").fill(timezone.localdate().isoformat())
    therapist.get_by_label("Restrictions the doctor gave").fill("Light pressure for a month.")
    therapist.get_by_label("The doctor's letter").select_option(str(letter.pk))
    therapist.get_by_role("button", name="Record the clearance").click()
    therapist.get_by_text("Clearance recorded").wait_for()
    therapist.get_by_role("button", name="Start a treatment plan").click()
    plan = TreatmentPlan.objects.get(intake=intake)
    first = next(
        row
        for row in plan.muscles.order_by("suggested_rank")
        if not MUSCLES[row.muscle].internal_only and not row.cautions()
    )
    therapist.get_by_role("checkbox", name=f"Plan {first.name}").check()
    therapist.get_by_role("checkbox", name=f"{first.name}, Left").check()
    therapist.get_by_role("button", name="Approve the plan").click()
    therapist.get_by_text("Plan version 1 approved.").wait_for()
    staff.close()

    # The client downloads the home-care handout.
    page.goto(f"/my/plans/{plan.pk}/")
    page.get_by_role("heading", name="Home care between visits").wait_for()
    assert page.get_by_role("heading", name=first.name, exact=True).count() == 1
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the home-care sheet (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"home-care-{plan.pk}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
