"""``{% body_map locations interactive=False %}``: the body map as an inline SVG.

A page that shows a map adds these two lines (the stylesheet in the head,
the script only where the map is interactive, inside a ``<form>``)::

    <link rel="stylesheet" href="{% static 'css/body_map.css' %}">
    <script src="{% static 'js/body_map.js' %}" defer></script>

``locations`` is any iterable of objects or dicts with ``region``, ``side``
and ``intensity`` (0-10, None means 5), such as ``PainLocation`` rows. Side
"both" shades the left and the right shape; unknown regions or sides are
left out. With ``interactive=True`` the script lets a client tap a shape to
tick the form's matching ``data-body-key`` checkbox; the checkboxes stay the
way in for keyboards and screen readers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from intake.body_map import (
    BELT_LINE_Y,
    BODY_OUTLINE,
    DEFAULT_INTENSITY,
    DETAILS,
    EMPTY_FILL,
    PHONE_VIEWBOXES,
    SELECTED_OUTLINE,
    SHADES,
    SHAPES,
    SIDE_WORDS,
    VIEW_ORIGINS,
    VIEWBOX,
    VIEWS,
    intensity_shade,
    shape_label,
)
from intake.rules.codes import REGIONS

register = template.Library()


def _field(location: Any, name: str) -> Any:
    if isinstance(location, Mapping):
        return location.get(name)
    return getattr(location, name, None)


def _intensity(value: Any) -> int:
    try:
        return max(0, min(10, int(value)))
    except (TypeError, ValueError):
        return DEFAULT_INTENSITY


def _marked(locations: Iterable[Any] | None) -> tuple[dict[str, int], list[str]]:
    """The intensity of each shape to shade, and the summary phrases in the order given."""
    shaded: dict[str, int] = {}
    summary: list[str] = []
    for location in locations or ():
        region, side = _field(location, "region"), _field(location, "side")
        if region not in REGIONS or side not in SIDE_WORDS or side not in REGIONS[region].sides:
            continue
        intensity = _intensity(_field(location, "intensity"))
        keys = [f"{region}-left", f"{region}-right"] if side == "both" else [f"{region}-{side}"]
        for key in keys:
            shaded[key] = max(intensity, shaded.get(key, 0))
        summary.append(f"{shape_label(region, side)} ({intensity} of 10)")
    return shaded, summary


@lru_cache(maxsize=len(SHAPES) * 12)
def _shape_path(key: str, intensity: int | None) -> str:
    """One place's ``<path>``, unmarked or marked at an intensity: built here once per
    process rather than in the template, as a map draws some sixty on every page with one."""
    region, side = key.split("-")
    label, d = shape_label(region, side), SHAPES[key].d
    if intensity is None:
        return format_html(
            '<path class="body-map-shape" data-key="{}" data-label="{}" d="{}" fill="{}"'
            ' stroke="#b4bcc4" stroke-width="1" stroke-linejoin="round"><title>{}</title></path>',
            key,
            label,
            d,
            EMPTY_FILL,
            label,
        )
    return format_html(
        '<path class="body-map-shape selected" data-key="{}" data-label="{}" data-intensity="{}"'
        ' d="{}" fill="{}" stroke="{}" stroke-width="2.5" stroke-linejoin="round">'
        "<title>{}, intensity {} of 10</title></path>",
        key,
        label,
        intensity,
        d,
        intensity_shade(intensity),
        SELECTED_OUTLINE,
        label,
        intensity,
    )


def _lines(paths: list[str], indent: str) -> str:
    """A view's shapes, a line each, as one piece of HTML."""
    return "".join(f"{indent}{path}\n" for path in paths)


# Stand-ins for what differs from one map to the next, in a map's frame drawn once.
SUMMARY_MARK = "BODYMAPSUMMARY"
SHAPES_MARK = "BODYMAPSHAPES{}"


def _frame_context(interactive: bool) -> dict[str, Any]:
    return {
        "interactive": interactive,
        "summary": SUMMARY_MARK,
        "viewbox": " ".join(str(n) for n in VIEWBOX),
        "views": [
            {
                "name": view,
                "title": view.capitalize(),
                "x": VIEW_ORIGINS[view][0],
                "y": VIEW_ORIGINS[view][1],
                # Back view: the client's left is on the viewer's left.
                "sides": ("L", "R") if view == "back" else ("R", "L"),
                "details": DETAILS[view],
                "shapes": SHAPES_MARK.format(view),
            }
            for view in VIEWS
        ],
        "outline": BODY_OUTLINE,
        "belt_line_y": BELT_LINE_Y,
        "shades": ",".join(SHADES),
        "default_intensity": DEFAULT_INTENSITY,
        "empty_fill": EMPTY_FILL,
    }


@lru_cache(maxsize=4)
def _frame(interactive: bool, phone: bool) -> str:
    """The map's template drawn once a process, with stand-ins for its summary and its
    shapes: the same for every map (the template was a twentieth of the review page)."""
    if not phone:
        return render_to_string("intake/_body_map.html", _frame_context(interactive))
    context = _frame_context(True)
    for view in context["views"]:
        view["viewbox"] = " ".join(str(n) for n in PHONE_VIEWBOXES[view["name"]])
        view["edge"] = PHONE_VIEWBOXES[view["name"]][0] + PHONE_VIEWBOXES[view["name"]][2]
    return render_to_string("intake/_body_map_phone.html", context)


def _draw(locations: Iterable[Any] | None, interactive: bool, phone: bool) -> str:
    shaded, summary = _marked(locations)
    paths: dict[str, list[str]] = {view: [] for view in VIEWS}
    for key, shape in SHAPES.items():
        paths[shape.view].append(_shape_path(key, shaded.get(key)))
    html = _frame(interactive, phone).replace(
        SUMMARY_MARK, escape("Body map: " + ("; ".join(summary) if summary else "nothing marked"))
    )
    indent = "      " if phone else "    "
    for view in VIEWS:
        html = html.replace(SHAPES_MARK.format(view), _lines(paths[view], indent))
    return mark_safe(html)


@register.simple_tag
def body_map(locations: Iterable[Any] | None, interactive: bool = False) -> str:
    return _draw(locations, bool(interactive), phone=False)


@register.simple_tag
def body_map_phone(locations: Iterable[Any] | None) -> str:
    """The interactive map for phones: each view in its own picture, zoomed in on the
    places that can be marked. Pages show it instead of ``body_map`` on narrow screens
    (body_map.css); both pictures follow the same checkboxes."""
    return _draw(locations, True, phone=True)
