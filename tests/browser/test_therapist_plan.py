"""The demo therapist goes from the queue to an approved plan and its PDF in Chromium."""

import pytest

from intake.demo import seed_demo_people
from intake.models import TreatmentPlan
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_demo_therapist_approves_a_plan_and_downloads_the_pdf(page):
    seed_demo_people()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "therapist@example.com", "/review/")

    page.get_by_role("link", name="Casey Client").click()
    page.get_by_role("heading", name="Muscles to assess").wait_for()
    precautions = page.get_by_role("region", name="Precautions")
    assert precautions.get_by_text("Light pressure only").is_visible()
    page.get_by_role("button", name="Start a treatment plan").click()

    for muscle in ["Quadratus lumborum", "Gluteus medius", "Gluteus maximus"]:
        page.get_by_role("checkbox", name=f"Plan {muscle}").check()
        page.get_by_role("checkbox", name=f"{muscle}, Left").check()
    page.get_by_label("Add a muscle").select_option(label="Tensor fasciae latae")
    page.get_by_role("group", name="Sides of the added muscle").get_by_label("Left").check()
    page.get_by_label("Techniques").fill("Ischaemic compression, then stretch.")
    page.get_by_role("button", name="Approve the plan").click()

    page.get_by_text("Plan version 1 approved.").wait_for()
    plan = TreatmentPlan.objects.get(intake__client__user__email="client@example.com")
    assert plan.is_approved
    assert {m.muscle for m in plan.planned_muscles()} == {
        "quadratus_lumborum",
        "gluteus_medius",
        "gluteus_maximus",
        "tensor_fasciae_latae",
    }

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename == "treatment-plan-casey-client-v1.pdf"  # no database id
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
