"""A plan's home-care handout: made from its planned muscles and the client's precautions
(intake/rules/handouts.py), or the therapist's edited text when they changed it."""

from intake.models import TreatmentPlan
from intake.rules.handouts import Handout, as_text, handout


def made_from_plan(plan: TreatmentPlan) -> Handout:
    # Sorted here rather than by the database, so that prefetched muscles are used as they are.
    planned = sorted((row for row in plan.muscles.all() if row.included), key=_in_plan_order)
    muscles = [row.muscle for row in planned]
    intake = plan.intake
    return handout(muscles, [*intake.precautions, *intake.red_flags])


def _in_plan_order(row) -> tuple[int, int]:
    return row.position, row.pk


def handout_text(plan: TreatmentPlan) -> str:
    """The text the therapist edits: theirs if they changed it, else the one made now."""
    return plan.handout or as_text(made_from_plan(plan))
