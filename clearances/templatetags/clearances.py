from django import template

register = template.Library()


@register.simple_tag
def clearance_state(intake) -> dict:
    """What the review page shows of an intake's clearance (needed only with a red flag)."""
    if not intake.red_flag_urgency:
        return {"needed": False}
    clearances = list(intake.clearances.all())
    return {
        "needed": True,
        "on_hold": not clearances,
        "clearances": clearances,
        "letters": intake.clearance_letters.count(),
    }
