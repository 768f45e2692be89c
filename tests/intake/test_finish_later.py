""" "Save and finish later" keeps what was typed on an unfinished step as a draft of that
step, without marking it done."""

from django.urls import reverse

from intake.models import Intake
from tests.factories import make_client, make_draft


def step_url(intake, step):
    return reverse("intake:intake_step", args=[intake.pk, step])


def test_an_unfinished_step_is_kept_as_a_draft_and_shown_again(client, alice):
    intake = make_draft(make_client(alice), steps_done=["about", "health", "where"])
    client.force_login(alice)
    response = client.post(
        step_url(intake, "pain"),
        {
            "main_complaint": "Sore low back after gardening",
            "current_pain": "7",
            "finish_later": "1",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("intake:client_home")
    intake.refresh_from_db()
    assert "pain" not in intake.steps_done
    assert intake.main_complaint == ""  # nothing half-done reaches the answers
    assert intake.step_drafts["pain"]["main_complaint"] == ["Sore low back after gardening"]

    page = client.get(step_url(intake, "pain")).content.decode()
    assert "Sore low back after gardening" in page
    assert 'value="7"' in page
    assert "is-invalid" not in page  # shown as typed, not as errors


def test_a_draft_of_ticked_boxes_comes_back_ticked(client, alice):
    intake = make_draft(make_client(alice), steps_done=["about"])
    client.force_login(alice)
    client.post(
        step_url(intake, "health"),
        {"precautions": ["anticoagulants"], "allergies": "x" * 1200, "finish_later": "1"},
    )
    intake.refresh_from_db()
    assert "health" not in intake.steps_done
    page = client.get(step_url(intake, "health")).content.decode()
    import re

    box = re.search(r'<input[^>]*value="anticoagulants"[^>]*>', page).group(0)
    assert "checked" in box


def test_completing_the_step_clears_its_draft(client, alice):
    intake = make_draft(make_client(alice), steps_done=["about"])
    client.force_login(alice)
    client.post(step_url(intake, "health"), {"allergies": "x" * 1200, "finish_later": "1"})
    assert "health" in Intake.objects.get(pk=intake.pk).step_drafts
    response = client.post(step_url(intake, "health"), {"allergies": "Nuts"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert "health" in intake.steps_done
    assert "health" not in intake.step_drafts
    assert intake.allergies == "Nuts"


def test_save_and_continue_with_errors_still_shows_the_errors(client, alice):
    intake = make_draft(make_client(alice), steps_done=["about", "health", "where"])
    client.force_login(alice)
    response = client.post(step_url(intake, "pain"), {"main_complaint": "Ache"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert Intake.objects.get(pk=intake.pk).step_drafts == {}


def test_a_draft_keeps_only_the_steps_own_fields_and_no_control_characters(client, alice):
    intake = make_draft(make_client(alice), steps_done=["about"])
    client.force_login(alice)
    response = client.post(
        step_url(intake, "health"),
        {
            "conditions": "Asthma\x00 and \u202ehay fever",
            "precautions": "not-a-code",
            "smuggled": "x" * 50,
            "finish_later": "1",
        },
    )
    assert response.status_code == 302
    intake.refresh_from_db()
    draft = intake.step_drafts["health"]
    assert draft["conditions"] == ["Asthma and hay fever"]
    assert "smuggled" not in draft
