"""axe-core (from npm) finds no serious accessibility violations on the main pages."""

from pathlib import Path

import pytest
from django.urls import reverse

from intake.demo import seed_demo_people
from intake.models import Intake
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    # Through the browser's devtools, so the page's CSP (no inline script) stays as it is.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def test_signed_out_pages(page):
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"]:
        page.goto(url)
        assert violations(page) == [], url


def test_client_pages(page):
    seed_demo_people()
    sign_in(page, "client@example.com", "/my/intakes/")
    assert violations(page) == []
    page.get_by_role("button", name="Start a new intake").click()
    intake = Intake.objects.drafts().get(client__user__email="client@example.com")
    for step in ["about", "health", "where"]:
        page.goto(reverse("intake:intake_step", args=[intake.pk, step]))
        assert violations(page) == [], step


def test_therapist_pages(page):
    seed_demo_people()
    sign_in(page, "therapist@example.com", "/review/")
    assert violations(page) == []
    intake = Intake.objects.get(client__user__email="client@example.com")
    page.goto(reverse("intake:intake_review", args=[intake.pk]))
    assert violations(page) == []
    page.goto(reverse("intake:plan_edit", args=[intake.pk]))
    assert violations(page) == []
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_role("button", name="Approve the plan").wait_for()
    assert violations(page) == []


def test_the_check_finds_a_real_violation(page):
    page.set_content('<html lang="en"><body><main><img src="x.png"></main></body></html>')
    assert any(v.startswith("image-alt") for v in violations(page))
