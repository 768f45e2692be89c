"""Saves made in the records (Django admin) write only what the admin changed.

An admin's change form is a copy read when the page opened; saving it must not put back what
the client or the app changed since, nor take a sent intake back to a draft.
"""

import pytest
from django.urls import reverse

from intake.models import Intake
from tests.factories import make_client, make_complete_draft, make_submitted


@pytest.fixture
def admin_(client, adam):
    client.force_login(adam)
    return client


def form_data(response) -> dict:
    """What the browser would post back: the change form's initial values, inlines included."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        prefix = formset.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": formset.total_form_count(),
                f"{prefix}-INITIAL_FORMS": formset.initial_form_count(),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        forms.extend(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or value is False:
                continue
            key = form.add_prefix(name)
            if isinstance(value, (list, tuple)):
                data[key] = list(value)
            elif hasattr(value, "pk"):
                data[key] = value.pk
            elif field.__class__.__name__ == "JSONField":
                data[key] = field.prepare_value(value)
            else:
                data[key] = value
    return data


def test_a_sent_intake_cannot_be_put_back_to_draft_in_the_admin(admin_, db):
    intake = make_submitted(make_client(legal_name="Ann Archer"))
    url = reverse("admin:intake_intake_change", args=[intake.pk])
    form = admin_.get(url).context["adminform"].form
    assert "status" not in form.fields
    assert "consent_agreed" not in form.fields and "consent_name" not in form.fields

    admin_.post(url, {"status": "draft", "consent_name": "", "goals": "changed"})
    intake.refresh_from_db()
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.consent_name == "Ann Archer"


def test_an_admin_save_of_a_draft_cannot_undo_what_the_client_saved_meanwhile(admin_, db):
    intake = make_complete_draft(make_client(), goals="Walk", conditions="Asthma")
    url = reverse("admin:intake_intake_change", args=[intake.pk])
    data = form_data(admin_.get(url))
    intake.goals = "Run a 10k"  # the client's goals step, a moment later
    intake.save(update_fields=["goals", "updated_at"])
    data["conditions"] = "Asthma, hay fever"

    response = admin_.post(url, data)
    assert response.status_code == 200
    assert "Someone changed this record after you opened it" in response.content.decode()
    intake.refresh_from_db()
    assert (intake.goals, intake.conditions) == ("Run a 10k", "Asthma")

    fresh = form_data(admin_.get(url))
    fresh["conditions"] = "Asthma, hay fever"
    assert admin_.post(url, fresh).status_code == 302
    intake.refresh_from_db()
    assert (intake.goals, intake.conditions) == ("Run a 10k", "Asthma, hay fever")


def test_an_admin_save_of_a_client_cannot_undo_what_the_client_saved_meanwhile(admin_, db):
    client = make_client(legal_name="Ann Archer", phone="020 7946 0123")
    url = reverse("admin:intake_client_change", args=[client.pk])
    data = form_data(admin_.get(url))
    client.phone = "07700 900123"  # the client's "about you" step, meanwhile
    client.save(update_fields=["phone", "updated_at"])
    data["address"] = "3 New Road"

    response = admin_.post(url, data)
    assert "Someone changed this record after you opened it" in response.content.decode()
    client.refresh_from_db()
    assert (client.phone, client.address) == ("07700 900123", "2 Test Road")
