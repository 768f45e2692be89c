"""Every form page with errors: a summary at the top linking to each field, and each error
tied to its field for screen readers (hand-written inputs included)."""

import re

from django.urls import reverse

from tests.factories import make_client, make_draft
from tests.review.test_plans import edit_url, plan_data, start


def summary(page: str) -> str:
    found = re.search(r"<div[^>]*data-error-summary[^>]*>.*?</div>", page, re.S)
    assert found, "no error summary"
    return found.group(0)


def test_a_step_with_errors_starts_with_a_summary_linking_to_each_field(client, alice):
    intake = make_draft(make_client(alice), steps_done=["about", "health", "where"])
    client.force_login(alice)
    page = client.post(reverse("intake:intake_step", args=[intake.pk, "pain"]), {}).content.decode()
    box = summary(page)
    assert 'tabindex="-1"' in box and 'role="alert"' not in box
    assert page.index("data-error-summary") < page.index('name="main_complaint"')
    for field in ["main_complaint", "pain_started_on", "current_pain"]:
        assert f'href="#id_{field}"' in box, field


def test_body_map_intensity_errors_are_tied_to_their_input(client, alice):
    intake = make_draft(make_client(alice), steps_done=["about", "health"])
    client.force_login(alice)
    page = client.post(
        reverse("intake:intake_step", args=[intake.pk, "where"]),
        {"pain-buttock-left": "on", "intensity-buttock-left": "12"},
    ).content.decode()
    field = re.search(r'<input[^>]*name="intensity-buttock-left"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert re.search(rf'id="{described}"[^>]*>(<[^>]+>)*Choose a number from 0 to 10.', page)
    assert 'href="#id_intensity-buttock-left"' in summary(page)


def test_plan_order_errors_are_tied_to_their_input(client, tara):
    from tests.factories import make_submitted

    intake = make_submitted(make_client(legal_name="Ann Archer"), treatment_areas=["buttocks"])
    client.force_login(tara)
    plan = start(client, intake)
    data = plan_data(plan, order={"quadratus_lumborum": "abc"})
    page = client.post(edit_url(intake), data).content.decode()
    field = re.search(r'<input[^>]*name="order-quadratus_lumborum"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1)
    assert f'id="{described}"' in page
    assert 'href="#id_order-quadratus_lumborum"' in summary(page)


def test_the_sign_up_page_sums_up_its_errors(client, db):
    page = client.post(reverse("account_signup"), {"full_name": "", "email": ""}).content.decode()
    box = summary(page)
    assert 'href="#id_full_name"' in box and 'href="#id_email"' in box
