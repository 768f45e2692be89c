"""Free text never carries bidirectional control characters (U+202E and its kind).

"Ann \u202eremmA" shows to staff as "Ann Ammer" read backwards; forms strip such
characters, model fields (and so the admin) refuse them.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.text import BIDI_CONTROLS, has_bidi_controls, strip_bidi_controls
from intake.forms import InviteClientForm
from intake.models import Client, Intake, TreatmentPlan
from intake.review_forms import QueueFilterForm
from tests.factories import make_client, make_draft, make_submitted

RLO = "\u202e"
EVERY_CONTROL = "".join(sorted(BIDI_CONTROLS))
TRICKY_NAME = f"Ann {RLO}remmA"


def test_every_control_listed_in_the_finding_is_stripped():
    wanted = {
        chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x61C]
    }
    assert wanted == set(BIDI_CONTROLS)
    assert strip_bidi_controls(f"a{EVERY_CONTROL}b") == "ab"
    assert not has_bidi_controls("Zoë O'Brien-Łukasz, 山田 \u200d")  # ordinary text stays
    assert strip_bidi_controls("שלום עולם") == "שלום עולם"  # right-to-left letters are fine


def test_the_about_you_step_strips_them_from_names_and_address(client, alice):
    client.force_login(alice)
    intake = make_draft(make_client(alice))
    data = {
        "legal_name": TRICKY_NAME,
        "preferred_name": f"{RLO}nnA",
        "date_of_birth": "1985-04-02",
        "email": "alice@example.com",
        "phone": "+44 20 7946 0000",
        "address": f"1 High {RLO}teertS",
        "emergency_contact_name": "Sam\u2066 Archer\u2069",
        "emergency_contact_phone": "020 7946 0001",
    }
    response = client.post(reverse("intake:intake_step", args=[intake.pk, "about"]), data)
    assert response.status_code == 302
    saved = Client.objects.get(pk=intake.client_id)
    assert saved.legal_name == "Ann remmA"
    assert saved.preferred_name == "nnA"
    assert saved.address == "1 High teertS"
    assert saved.emergency_contact_name == "Sam Archer"


def test_the_health_and_pain_steps_strip_them_from_free_text(client, alice):
    client.force_login(alice)
    intake = make_draft(make_client(alice), steps_done=["about"])
    health = {
        "conditions": f"Asthma{RLO}",
        "medications": "\u200fWarfarin",
        "allergies": "",
        "surgeries": "",
    }
    response = client.post(reverse("intake:intake_step", args=[intake.pk, "health"]), health)
    assert response.status_code == 302
    intake.refresh_from_db()
    assert (intake.conditions, intake.medications) == ("Asthma", "Warfarin")


def test_the_consent_signature_is_stripped(db):
    from intake.forms import ConsentForm

    form = ConsentForm({"agree": "on", "signature": TRICKY_NAME}, legal_name="Ann remmA")
    form.is_valid()
    assert RLO not in str(form.cleaned_data.get("signature", ""))


def test_the_invitation_form_strips_the_clients_name(db):
    form = InviteClientForm({"legal_name": TRICKY_NAME, "email": "new@example.com"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["legal_name"] == "Ann remmA"


def test_the_queue_filter_strips_the_name(db):
    form = QueueFilterForm({"name": TRICKY_NAME})
    form.is_valid()
    assert RLO not in form.cleaned_data.get("name", "")


def test_the_plan_form_strips_notes(db, tara):
    from intake.plan_forms import PlanForm

    intake = make_submitted(make_client(legal_name="Ann Archer"), treatment_areas=["buttocks"])
    plan = TreatmentPlan.start_for(intake, by=tara)
    data = {
        "revision": plan.revision,
        "techniques": f"Compression {RLO}evisserp",
        "pressure": "",
        "home_care": "\u202aStretch",
        **{f"order-{row.muscle}": row.position for row in plan.muscles.all()},
    }
    form = PlanForm(data, plan=plan)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["techniques"] == "Compression evisserp"
    assert form.cleaned_data["home_care"] == "Stretch"


@pytest.mark.parametrize(
    ("model", "field"),
    [
        (Client, "legal_name"),
        (Client, "preferred_name"),
        (Client, "address"),
        (Client, "emergency_contact_name"),
        (Intake, "main_complaint"),
        (Intake, "conditions"),
        (Intake, "medications"),
        (Intake, "allergies"),
        (Intake, "surgeries"),
        (Intake, "goals"),
        (Intake, "consent_name"),
        (TreatmentPlan, "outcome_reason"),
        (TreatmentPlan, "techniques"),
        (TreatmentPlan, "pressure"),
        (TreatmentPlan, "home_care"),
    ],
)
def test_model_fields_refuse_them(model, field):
    with pytest.raises(ValidationError):
        model._meta.get_field(field).clean(TRICKY_NAME, None)


def test_the_admin_refuses_a_name_with_an_override(client, adam):
    person = make_client(legal_name="Ann Archer")
    client.force_login(adam)
    url = reverse("admin:intake_client_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "legal_name": TRICKY_NAME,
            "date_of_birth": "1980-05-17",
            "intakes-TOTAL_FORMS": "0",
            "intakes-INITIAL_FORMS": "0",
        }
    )
    data.pop("user", None)
    data.pop("assigned_therapist", None)
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "change the direction of the text" in response.content.decode()
    person.refresh_from_db()
    assert person.legal_name == "Ann Archer"


def test_sign_up_strips_them_from_the_full_name(client, db):
    from accounts.forms import SignUpForm

    form = SignUpForm(
        {
            "full_name": TRICKY_NAME,
            "email": "new.person@example.com",
            "password1": "a-long-and-unusual-passphrase-42",
            "password2": "a-long-and-unusual-passphrase-42",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == "Ann remmA"
