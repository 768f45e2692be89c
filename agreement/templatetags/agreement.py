from django import template

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.666 -> "67%"; no share (nothing counted) -> "-"."""
    return "-" if share is None else f"{round(share * 100)}%"
