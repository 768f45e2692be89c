"""The README's screenshots, taken from the real pages: `make screenshots`.

Run by pytest with the project's test fixtures (``-p tests.conftest``): a live server on
a fresh test database holding the demo people and the demo clinic (``seed_demo_people``,
as ``manage.py seed_demo`` makes them), Debian's Chromium through Playwright, the admin
signing in with the demo authenticator code (``DEMO_TOTP_SECRET``, the code
``manage.py demo_code`` prints). The pictures are written to docs/screenshots/ and
committed, so the README shows the pages as they are.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from intake.demo import seed_demo_people
from intake.models import Client
from tests.browser.pages import sign_in
from tests.factories import make_complete_draft

pytestmark = pytest.mark.browser

OUT = Path(__file__).resolve().parent / "screenshots"


def test_clinic_settings_admin_page(page):
    seed_demo_people()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "admin@example.com", "/")
    page.goto(reverse("admin:clinic_settings_clinicsettings_changelist"))
    page.locator("#content").wait_for()
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=OUT / "clinic-settings.png", full_page=True)


def test_client_consent_step(page):
    seed_demo_people()
    client = Client.objects.get(user__email="client@example.com")
    intake = make_complete_draft(client)
    sign_in(page, "client@example.com", "/my/intakes/")
    page.goto(reverse("intake:intake_step", args=[intake.pk, "review"]))
    form = page.locator("main form")
    form.get_by_role("heading", name="Consent", exact=True).wait_for()
    OUT.mkdir(exist_ok=True)
    form.screenshot(path=OUT / "consent-step.png")
