"""A plan's home-care handout: made from its planned muscles and the client's precautions
(intake/rules/handouts.py), or the therapist's edited text when they changed it."""

from intake.models import TreatmentPlan
from intake.rules.handouts import Handout, as_text, handout


def made_from_plan(plan: TreatmentPlan) -> Handout:
    muscles = [row.muscle for row in plan.muscles.order_by("position", "pk") if row.included]
    intake = plan.intake
    return handout(muscles, [*intake.precautions, *intake.red_flags])


def handout_text(plan: TreatmentPlan) -> str:
    """The text the therapist edits: theirs if they changed it, else the one made now."""
    return plan.handout or as_text(made_from_plan(plan))
