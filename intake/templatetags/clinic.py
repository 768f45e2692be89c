"""Small filters for showing the rules' codes and results to people."""

from django import template

from intake.labels import label_for

register = template.Library()

URGENCY_BADGE = {"emergency": "text-bg-danger", "refer": "text-bg-warning"}


@register.filter
def region_label(code: str) -> str:
    return label_for("region", code)


@register.filter
def sides_label(sides) -> str:
    return " and ".join(label_for("side", side).lower() for side in sides) or "-"


@register.filter
def precaution_label(code: str) -> str:
    return label_for("precaution", code)


@register.filter
def red_flag_label(code: str) -> str:
    return label_for("red_flag", code)


@register.filter
def urgency_badge(urgency: str) -> str:
    return URGENCY_BADGE.get(urgency, "text-bg-secondary")


@register.filter
def percent(score) -> int:
    return round(float(score) * 100)
