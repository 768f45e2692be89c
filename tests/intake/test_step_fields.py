"""The questionnaire lays out its fields itself (templates/intake/_step_fields.html), in the
markup crispy-forms' Bootstrap 5 pack gives them: the same page, with and without errors."""

import pytest
from django import forms
from django.template import engines
from django.template.loader import render_to_string
from pytest_django.asserts import assertHTMLEqual

from intake.steps import STEPS, STEPS_BY_NAME
from tests.factories import make_client, make_complete_draft, make_draft
from tests.intake.test_questionnaire import ABOUT, GOALS, HEALTH, PAIN, SAFETY

LAID_OUT = [step.name for step in STEPS if step.name != "where"]  # the body map has its own
ANSWERS = {"about": ABOUT, "health": HEALTH, "pain": PAIN, "safety": SAFETY, "goals": GOALS}
CRISPY = engines["django"].from_string("{% load crispy_forms_tags %}{{ form|crispy }}")


def assert_laid_out_as_crispy_does(make_form):
    """Each layout gets a form of its own: crispy-forms adds its classes to the widgets."""
    ours = render_to_string("intake/_step_fields.html", {"form": make_form()})
    assertHTMLEqual(ours, CRISPY.render({"form": make_form()}))


@pytest.mark.parametrize("step", LAID_OUT)
def test_a_new_draft(alice, step):
    intake = make_draft(make_client(alice))
    assert_laid_out_as_crispy_does(lambda: STEPS_BY_NAME[step].form(intake))


@pytest.mark.parametrize("step", LAID_OUT)
def test_a_draft_with_every_answer(alice, step):
    intake = make_complete_draft(make_client(alice), red_flags=["night_pain"])
    assert_laid_out_as_crispy_does(lambda: STEPS_BY_NAME[step].form(intake))


@pytest.mark.parametrize("step", LAID_OUT)
def test_a_step_sent_empty(alice, step):
    intake = make_draft(make_client(alice))

    def sent_empty():
        form = STEPS_BY_NAME[step].form(intake, {})
        form.is_valid()  # every health question may be left blank
        return form

    assert_laid_out_as_crispy_does(sent_empty)


@pytest.mark.parametrize("step", sorted(ANSWERS))
def test_a_step_sent_with_good_answers(alice, step):
    intake = make_draft(make_client(alice))

    def sent():
        form = STEPS_BY_NAME[step].form(intake, ANSWERS[step])
        assert form.is_valid(), form.errors
        return form

    assert_laid_out_as_crispy_does(sent)


@pytest.mark.parametrize("step", ["about", "pain", "safety"])
def test_a_step_with_one_bad_answer_among_good_ones(alice, step):
    intake = make_draft(make_client(alice))
    bad = {
        "about": ("phone", "call me"),
        "pain": ("current_pain", "11"),
        "safety": ("night_pain", "perhaps"),
    }
    name, value = bad[step]

    def sent():
        form = STEPS_BY_NAME[step].form(intake, {**ANSWERS[step], name: value})
        assert list(form.errors) == [name]
        return form

    assert_laid_out_as_crispy_does(sent)


class EveryKindOfField(forms.Form):
    """What no step has yet: help texts, a field without a label, css classes of the form, and
    kinds of widget the questionnaire leaves to crispy-forms (a select, a password)."""

    required_css_class = "required"
    error_css_class = "has-error"

    note = forms.CharField(help_text="A <em>short</em> note.")
    unlabelled = forms.CharField(label="", required=False)
    count = forms.IntegerField(min_value=1, help_text="How many.")
    agree = forms.BooleanField(help_text="Tick to agree.")
    colour = forms.ChoiceField(
        choices=[("red", "Red"), ("blue", "Blue & green")],
        widget=forms.RadioSelect,
        help_text="Pick one.",
    )
    sizes = forms.MultipleChoiceField(
        choices=[("Small", [("s", "S"), ("xs", "XS")]), ("Large", [("l", "L")])],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Something about the whole form.")


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"note": "<b>x</b>", "count": "0", "colour": "blue", "sizes": ["xs", "l"], "kind": "b"},
    ],
    ids=["unbound", "empty", "some-wrong"],
)
def test_every_kind_of_field(data):
    def form():
        made = EveryKindOfField(data)
        if data is not None:
            made.is_valid()
        return made

    assert_laid_out_as_crispy_does(form)


def test_the_questionnaire_pages_lay_out_their_fields_themselves(alice, client):
    """The step page's fields are the layout's (ids of crispy-forms' markup, its speed)."""
    client.force_login(alice)
    intake = make_draft(make_client(alice))
    page = client.get(f"/my/intakes/{intake.pk}/about/")
    assert page.status_code == 200
    names = [template.name for template in page.templates]
    assert "intake/_step_fields.html" in names
    assert "bootstrap5/field.html" not in names
    assert 'id="div_id_legal_name"' in page.content.decode()
