"""The demo admin finds a client, sees who looked at the record, and exports it (confirming
their password first), in Chromium."""

import pytest

from intake.demo import DEMO_PASSWORD, seed_demo_people
from intake.models import AccessEvent, Client
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_demo_admin_finds_a_client_sees_who_looked_and_exports(page):
    seed_demo_people()
    page.set_viewport_size({"width": 1280, "height": 900})

    # A therapist looks at Casey's intake first.
    sign_in(page, "therapist@example.com", "/review/")
    page.get_by_role("link", name="Casey Client").click()
    page.get_by_role("heading", name="Muscles to assess").wait_for()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "admin@example.com", "/admin/")
    page.get_by_role("link", name="Clients").first.click()
    page.locator("#searchbar").fill("casey")
    page.locator("#searchbar").press("Enter")
    page.get_by_role("link", name="Casey Client").click()
    page.get_by_role("link", name="Who saw this record").click()

    rows = page.locator("#result_list tbody tr")
    assert rows.count() >= 2  # the therapist's view and this admin's own
    assert "Tara Therapist" in page.locator("#result_list").inner_text()

    page.goto("/admin/intake/client/")
    casey = Client.objects.get(email="client@example.com")
    page.locator(f'input[name="_selected_action"][value="{casey.pk}"]').check()
    page.locator('select[name="action"]').select_option("export_records")
    page.get_by_role("button", name="Go").click()
    # An export asks for the password again; then the export goes through as asked.
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert not AccessEvent.objects.filter(client=casey, action="export").exists()
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    # The export runs as a background job; its page offers the file when done.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download client-records-").click()
    assert download_info.value.suggested_filename.startswith("client-records-")
    assert AccessEvent.objects.filter(client=casey, action="export").exists()
