"""axe-core (from npm) finds no accessibility violations, of any impact, on every page of
the app: as each kind of user, on a phone (375 px) and on a desktop (1280 px), and on each
form after a failed submit."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from intake.demo import seed_demo_people
from intake.models import Intake, TreatmentPlan
from intake.rules.codes import RED_FLAGS
from jobs.models import Job
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (375, 1280)


def violations(page) -> list[str]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    # Through the browser's devtools, so the page's CSP (no inline script) stays as it is.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} "
        f"({', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in result
    ]


class Checker:
    """Runs axe on the page as it is at each width and keeps what it finds, by page."""

    def __init__(self, page):
        self.page = page
        self.found: dict[str, list[str]] = {}

    def here(self, name: str) -> None:
        for width in WIDTHS:
            self.page.set_viewport_size({"width": width, "height": 900})
            found = violations(self.page)
            if found:
                self.found[f"{name} at {width} px"] = found
        self.page.set_viewport_size({"width": 375, "height": 740})

    def report(self) -> str:
        return self.report_of(self.found)

    @staticmethod
    def report_of(found: dict[str, list[str]]) -> str:
        return "\n".join(f"{name}:\n  " + "\n  ".join(v) for name, v in found.items())

    def visit(self, url: str, name: str | None = None) -> None:
        self.page.goto(url)
        self.here(name or url)

    def submit(self, button: str | None, name: str) -> None:
        """Submit the form with its button and check the page that answers, errors shown."""
        with self.page.expect_navigation():
            if button is None:  # the form's own submit button
                self.page.locator("main form [type=submit]").first.click()
            else:
                self.page.get_by_role("button", name=button, exact=True).first.click()
        errors = self.page.locator("[data-error-summary], .invalid-feedback, .errorlist")
        assert errors.count() > 0, f"{name}: no errors shown at {self.page.url}"
        self.here(name)


def test_signed_out_pages(page):
    seed_demo_people()
    check = Checker(page)
    for url in ["/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"]:
        check.visit(url)
    check.visit("/accounts/signup/")
    check.submit(None, "sign-up with errors")
    check.visit("/accounts/login/")
    check.submit("Sign in", "sign-in with errors")
    assert check.found == {}, check.report()


def test_client_pages(page):
    seed_demo_people()
    check = Checker(page)
    sign_in(page, "client@example.com", "/my/intakes/")
    check.here("client home")
    check.visit("/accounts/", "account")
    page.goto("/my/intakes/")
    page.get_by_role("button", name="Start a new intake").click()

    def next_step(heading):
        with page.expect_navigation():
            page.get_by_role("button", name="Save and continue").click()
        page.get_by_role("heading", name=heading, level=1).wait_for()

    page.get_by_role("heading", name="About you", level=1).wait_for()
    check.here("about")
    next_step("Health history")
    check.here("health")
    next_step("Where it hurts")
    check.here("where")
    check.submit("Save and continue", "where with errors")
    page.locator('[data-key="buttock-left"]:visible').click()
    next_step("Your pain")
    check.here("pain")
    check.submit("Save and continue", "pain with errors")
    page.get_by_label("In your own words").fill("Ache in the left buttock.")
    page.get_by_label("When did this pain start?").fill("2026-01-05")
    for label in [
        "How bad is the pain right now?",
        "on average in the past week",
        "enjoyment of life",
        "general activity",
    ]:
        page.get_by_label(label).fill("5")
    next_step("Safety questions")
    check.here("safety")
    check.submit("Save and continue", "safety with errors")
    for code in RED_FLAGS:
        page.locator(f'input[name="{code}"][value="no"]').check()
    next_step("Goals and treatment areas")
    check.here("goals")
    page.get_by_label("Buttocks").check()
    next_step("Review and consent")
    check.here("review")
    check.submit("Sign and send to the clinic", "review with errors")
    page.get_by_label("I confirm my answers").check()
    page.get_by_label("Type your full name").fill("Casey Client")
    page.get_by_role("button", name="Sign and send to the clinic").click()
    page.get_by_role("heading", name="My answers").wait_for()
    check.here("answers")
    page.goto("/my/intakes/")
    check.here("client home after sending")
    assert check.found == {}, check.report()


def test_therapist_pages_and_the_clients_plan(page, browser, live_server):
    seed_demo_people()
    check = Checker(page)
    sign_in(page, "therapist@example.com", "/review/")
    check.here("review queue")
    intake = Intake.objects.filter(client__user__email="client@example.com").latest("pk")
    check.visit(reverse("intake:intake_review", args=[intake.pk]), "intake review")
    check.visit(reverse("intake:plan_edit", args=[intake.pk]), "plan start")
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_role("button", name="Approve the plan").wait_for()
    check.here("plan editor")
    page.locator('input[type="number"]').first.fill("-4")
    check.submit("Save draft", "plan editor with errors")
    draft = TreatmentPlan.objects.filter(intake=intake).latest("pk")
    check.visit(reverse("intake:handout_edit", args=[draft.pk]), "handout of a draft")
    page.goto(reverse("intake:plan_edit", args=[intake.pk]))
    page.get_by_role("checkbox", name="Plan Quadratus lumborum").check()
    page.get_by_role("button", name="Approve the plan").click()
    page.get_by_text("approved.").first.wait_for()
    plan = TreatmentPlan.objects.filter(intake=intake).latest("pk")
    check.here("plan")
    check.visit(reverse("intake:handout_edit", args=[plan.pk]), "handout")
    client_pk = intake.client.pk
    check.visit(reverse("intake:client_history", args=[client_pk]), "client history")
    check.visit(reverse("intake:invite_client"), "invite a client")
    check.submit("Create the invitation", "invite with errors")
    check.visit(reverse("agreement:agreement"), "agreement")
    check.visit("/accounts/", "therapist account")

    client = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    client_page = client.new_page()
    sign_in(client_page, "client@example.com", "/my/intakes/")
    client_check = Checker(client_page)
    client_check.visit(reverse("intake:client_plan", args=[plan.pk]), "client's plan")
    client.close()
    found = {**check.found, **client_check.found}
    assert found == {}, Checker.report_of(found)


def test_clearance_pages(page, browser, live_server):
    seed_demo_people()
    intake = Intake.objects.filter(client__user__email="robin@example.com").latest("pk")
    check = Checker(page)
    sign_in(page, "therapist2@example.com", "/review/")
    check.visit(reverse("clearances:intake_clearance", args=[intake.pk]), "intake clearance")
    client = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    client_page = client.new_page()
    sign_in(client_page, "robin@example.com", "/my/intakes/")
    client_check = Checker(client_page)
    client_check.visit(reverse("clearances:client_clearance", args=[intake.pk]), "clearance")
    client.close()
    found = {**check.found, **client_check.found}
    assert found == {}, Checker.report_of(found)


def test_admin_pages_we_add(page):
    seed_demo_people()
    check = Checker(page)
    sign_in(page, "admin@example.com", "/")
    check.visit(reverse("admin:clinic_settings_clinicsettings_changelist"), "clinic settings")
    page.locator("#id_brand_colour").fill("not a colour")
    page.locator("#id_name").fill("")
    check.submit("Save", "clinic settings with errors")
    check.visit(reverse("admin:clinic_settings_consentversion_changelist"), "consent versions")
    page.locator("#result_list tbody th a").first.click()
    page.locator("#content").wait_for()
    check.here("a consent version")
    admin = User.objects.get(email="admin@example.com")
    for status, progress_at in [
        (Job.Status.RUNNING, timezone.now()),
        (Job.Status.RUNNING, timezone.now() - timedelta(hours=1)),  # its worker stopped
        (Job.Status.FAILED, None),
    ]:
        job = Job.objects.create(
            kind=Job.Kind.ANONYMISE,
            status=status,
            requested_by=admin,
            object_ids=[1, 2],
            total=2,
            done=1,
            progress_at=progress_at,
        )
        check.visit(job.get_absolute_url(), f"a job's page, {job.get_status_display()}")
    assert check.found == {}, check.report()


def test_the_check_finds_a_real_violation(page):
    page.set_content('<html lang="en"><body><main><img src="x.png"></main></body></html>')
    assert any("image-alt" in v for v in violations(page))
