"""The questionnaire's steps, in order: one view walks them (see views.intake_step)."""

from dataclasses import dataclass

from intake import forms
from intake.models import Intake


@dataclass(frozen=True)
class Step:
    name: str
    title: str
    form_class: type
    intro: str = ""

    def form(self, intake: Intake, data=None):
        form = self.form_class.for_intake(intake, data)
        if data is None and self.name in intake.step_drafts:
            forms.show_draft(form, intake.step_drafts[self.name])
        return form


STEPS = [
    Step(
        "about",
        "About you",
        forms.AboutYouForm,
        "Your contact details, so the clinic can reach you and someone close to you.",
    ),
    Step(
        "health",
        "Health history",
        forms.HealthForm,
        "Anything that helps your therapist treat you safely. Leave blank what does not apply.",
    ),
    Step(
        "where",
        "Where it hurts",
        forms.BodyMapForm,
        "Tap each place on the body where you feel pain, then say how bad it is from 0 to 10. "
        "You can also use the list below the pictures.",
    ),
    Step("pain", "Your pain", forms.PainForm, "How long, how bad, and what makes it worse."),
    Step(
        "safety",
        "Safety questions",
        forms.SafetyForm,
        "A few questions that tell us whether a doctor should see you before any massage. "
        "Please answer each one.",
    ),
    Step(
        "goals",
        "Goals and treatment areas",
        forms.GoalsForm,
        "What you hope for, and where you are happy to be treated.",
    ),
    Step(
        "review",
        "Review and consent",
        forms.ConsentForm,
        "Check your answers, then sign to send them to the clinic.",
    ),
]
STEPS_BY_NAME = {step.name: step for step in STEPS}
FORM_STEPS = [step.name for step in STEPS if step.name != "review"]


def first_incomplete_step(intake: Intake) -> Step:
    for step in STEPS:
        if step.name not in intake.steps_done:
            return step
    return STEPS[-1]


def step_position(name: str) -> int:
    return [step.name for step in STEPS].index(name)
