"""Each step's form on its own: good answers pass, bad ones get a plain message."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from intake.forms import AboutYouForm, ConsentForm, GoalsForm, HealthForm, PainForm, SafetyForm
from intake.rules.codes import RED_FLAGS
from tests.factories import make_client, make_draft
from tests.intake.test_questionnaire import ABOUT, GOALS, HEALTH, PAIN, SAFETY


@pytest.fixture
def intake(alice):
    return make_draft(make_client(alice))


def test_about_you_valid(intake):
    form = AboutYouForm(ABOUT, instance=intake.client)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["legal_name"] == "Alice Archer"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("legal_name", "   ", "Please enter your full name."),
        ("phone", "", "Please enter a phone number"),
        ("date_of_birth", "2999-01-01", "cannot be in the future"),
        ("date_of_birth", "1850-01-01", "check the year"),
        ("date_of_birth", "31/02/1990", "Enter a valid date."),
        ("phone", "call me", "Please enter a phone number"),
        ("emergency_contact_phone", "12", "Please enter a phone number"),
        ("email", "nope", "Enter a valid email address."),
        ("legal_name", "x" * 151, "at most 150 characters"),
    ],
)
def test_about_you_invalid(intake, field, value, message):
    form = AboutYouForm({**ABOUT, field: value}, instance=intake.client)
    assert not form.is_valid()
    assert message in form.errors[field][0]


def test_health_valid_and_codes_checked(intake):
    assert HealthForm(HEALTH, instance=intake).is_valid()
    form = HealthForm({**HEALTH, "precautions": ["made_up"]}, instance=intake)
    assert not form.is_valid() and "precautions" in form.errors


def test_health_text_is_bounded(intake):
    form = HealthForm({**HEALTH, "medications": "x" * 2001}, instance=intake)
    assert not form.is_valid() and "medications" in form.errors


def test_pain_valid(intake):
    form = PainForm(PAIN, instance=intake)
    assert form.is_valid(), form.errors


def test_checking_the_pain_step_asks_the_database_nothing(intake, django_assert_num_queries):
    """The 0-10 limits are the fields' own validators; Django would check each score's
    database constraint again with a query of its own."""
    form = PainForm(PAIN, instance=intake)
    with django_assert_num_queries(0):
        assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("current_pain", "-1"),
        ("peg_pain", "11"),
        ("peg_activity", ""),
        ("peg_enjoyment", "five"),
        ("symptoms", ["not_a_symptom"]),
        ("main_complaint", "   "),
        ("pain_started_on", (timezone.localdate() + timedelta(days=1)).isoformat()),
    ],
)
def test_pain_invalid(intake, field, value):
    form = PainForm({**PAIN, field: value}, instance=intake)
    assert not form.is_valid()
    assert field in form.errors


def test_safety_needs_every_answer(intake):
    form = SafetyForm({"saddle_numbness": "no"}, instance=intake)
    assert not form.is_valid()
    assert set(form.errors) == set(RED_FLAGS) - {"saddle_numbness"}
    assert form.errors["both_legs"] == ["Please answer yes or no."]


def test_safety_saves_the_yes_answers_as_codes(intake):
    form = SafetyForm({**SAFETY, "saddle_numbness": "yes"}, instance=intake)
    assert form.is_valid()
    form.save()
    assert intake.red_flags == ["saddle_numbness", "night_pain"]


def test_safety_refuses_other_answers(intake):
    form = SafetyForm({**SAFETY, "night_pain": "maybe"}, instance=intake)
    assert not form.is_valid() and "night_pain" in form.errors


def test_goals_valid_and_areas_checked(intake):
    assert GoalsForm(GOALS, instance=intake).is_valid()
    form = GoalsForm({**GOALS, "treatment_areas": ["face"]}, instance=intake)
    assert not form.is_valid() and "treatment_areas" in form.errors


def test_consent_needs_the_box_and_the_name(intake):
    form = ConsentForm({"agree": "on", "signature": " ALICE   archer "}, legal_name="Alice Archer")
    assert form.is_valid()
    assert not ConsentForm({"signature": "Alice Archer"}, legal_name="Alice Archer").is_valid()
    assert not ConsentForm({"agree": "on", "signature": ""}, legal_name="Alice Archer").is_valid()


@pytest.mark.parametrize("field", ["current_pain", "peg_pain", "peg_enjoyment", "peg_activity"])
@pytest.mark.parametrize("value", ["-1", "11"])
def test_pain_score_outside_the_scale_gets_the_clinics_message(intake, field, value):
    form = PainForm({**PAIN, field: value}, instance=intake)
    assert not form.is_valid()
    assert form.errors[field] == ["Please choose a number from 0 to 10."]


@pytest.mark.parametrize("field", ["current_pain", "peg_pain", "peg_enjoyment", "peg_activity"])
def test_the_model_refuses_a_pain_score_above_ten(intake, field):
    """The limit lives on the model, so the admin and any other form refuse it too."""
    setattr(intake, field, 11)
    with pytest.raises(ValidationError) as refused:
        intake.full_clean()
    assert field in refused.value.message_dict
