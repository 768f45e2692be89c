"""The small faults of issue 13, each seen by a user: a test for each."""

import re

import pytest
from django.urls import reverse

from tests.conftest import signed_in
from tests.factories import ALL_FORM_STEPS, make_client, make_draft, make_submitted
from tests.review.test_plans import approved_plan, finding_url

pytestmark = pytest.mark.django_db


def test_the_client_home_and_the_steps_agree_on_the_count(client, alice):
    intake = make_draft(make_client(alice), steps_done=ALL_FORM_STEPS)
    client.force_login(alice)
    home = client.get(reverse("intake:client_home")).content.decode()
    step = client.get(reverse("intake:intake_step", args=[intake.pk, "review"])).content.decode()
    assert "Step 7 of 7" in step
    assert "6 of 7 steps done" in home
    assert "of 6 steps" not in home


def test_the_pain_questions_say_what_is_missing(client, alice):
    intake = make_draft(make_client(alice), steps_done=["about", "health", "where"])
    client.force_login(alice)
    response = client.post(reverse("intake:intake_step", args=[intake.pk, "pain"]), {})
    page = response.content.decode()
    assert "This field is required." not in page
    assert "Please tell us briefly what brings you here." in page
    assert "Please give the date the pain started, even a rough one." in page


def test_sign_up_starts_at_the_full_name(client):
    page = client.get(reverse("account_signup")).content.decode()
    autofocused = re.findall(r"<input[^>]*autofocus[^>]*>", page)
    assert len(autofocused) == 1
    assert 'name="full_name"' in autofocused[0]


def test_the_findings_form_has_no_blank_choice_and_uses_our_message(client, tara):
    intake = make_submitted(
        make_client(legal_name="Ann Archer"),
        treatment_areas=["buttocks"],
        pain=[("buttock", "left", 6), ("low_back", "center", 5)],
    )
    plan = approved_plan(client, intake, tara)
    page = client.get(reverse("intake:plan_detail", args=[plan.pk])).content.decode()
    assert "---------" not in page
    assert not re.search(r'<input[^>]*name="m\d+-trigger_point"[^>]*checked', page)
    forms = re.findall(r'<form[^>]*action="[^"]*/findings/"[^>]*>', page)
    assert forms and all("novalidate" in form for form in forms)
    planned = plan.planned_muscles()[0]
    response = client.post(finding_url(planned), {}, follow=True)
    assert f"Please answer all three questions for {planned.name}." in response.content.decode()


def test_a_signed_in_client_opening_the_admin_gets_our_403_page(alice):
    response = signed_in(alice).get("/admin/")
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


def test_a_therapist_opening_the_admin_gets_our_403_page(tara):
    response = signed_in(tara).get("/admin/intake/intake/")
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


def test_signed_out_people_still_go_to_the_sign_in_page(client):
    response = client.get("/admin/")
    assert response.status_code == 302
