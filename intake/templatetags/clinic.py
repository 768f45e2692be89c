"""Small filters for showing the rules' codes and results to people."""

from django import template

from intake.rules import codes

register = template.Library()

URGENCY_BADGE = {"emergency": "text-bg-danger", "refer": "text-bg-warning"}


@register.filter
def region_label(code: str) -> str:
    region = codes.REGIONS.get(code)
    return region.label if region else code


@register.filter
def sides_label(sides) -> str:
    return " and ".join(codes.SIDES[s].label.lower() for s in sides if s in codes.SIDES) or "-"


@register.filter
def precaution_label(code: str) -> str:
    precaution = codes.PRECAUTIONS.get(code)
    return precaution.label if precaution else code


@register.filter
def red_flag_label(code: str) -> str:
    flag = codes.RED_FLAGS.get(code)
    return flag.label if flag else code


@register.filter
def urgency_badge(urgency: str) -> str:
    return URGENCY_BADGE.get(urgency, "text-bg-secondary")


@register.filter
def percent(score) -> int:
    return round(float(score) * 100)
