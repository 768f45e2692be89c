"""``{% trend_chart_marks chart %}``: the marks of the history page's pain trend.

``intake.charts.pain_trend()`` computes where everything goes; this writes the panels'
grid, axes, lines and markers and the dates under them as SVG elements, inside the
``<svg>`` that ``intake/client_history.html`` opens. Written here rather than in the
template: a few dozen elements with a handful of values each cost the page a quarter of
its time as template nodes.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _panel(chart, panel) -> str:
    y_ticks = "".join(
        f'\n              <line x1="{chart.left}" y1="{tick.position}" x2="{chart.right}"'
        f' y2="{tick.position}" stroke="#dee2e6" stroke-width="1"/>'
        f'\n              <text x="{int(chart.left) - 8}" y="{tick.position}"'
        ' dominant-baseline="middle" text-anchor="end" fill="#495057">'
        f"{escape(str(tick.label))}</text>\n            "
        for tick in panel.y_ticks
    )
    grid = "".join(
        f'<line x1="{tick.position}" y1="{panel.top}" x2="{tick.position}"'
        f' y2="{panel.bottom}" stroke="#f1f3f5" stroke-width="1"/>'
        for tick in chart.x_ticks
    )
    series = "".join(_series(each) for each in panel.series)
    return (
        f'\n            <text x="{chart.left}" y="{int(panel.top) - 14}" font-weight="600"'
        f' fill="#212529">{escape(str(panel.title))}</text>\n            {y_ticks}'
        f"\n            {grid}"
        f'\n            <line x1="{chart.left}" y1="{panel.bottom}" x2="{chart.right}"'
        f' y2="{panel.bottom}" stroke="#6c757d" stroke-width="1.5"/>'
        f'\n            <line x1="{chart.left}" y1="{panel.top}" x2="{chart.left}"'
        f' y2="{panel.bottom}" stroke="#6c757d" stroke-width="1.5"/>'
        f"\n            {series}\n          "
    )


def _series(series) -> str:
    colour = escape(str(series.colour))
    dash = f' stroke-dasharray="{escape(str(series.dash))}"' if series.dash else ""
    lines = "".join(
        f'<polyline points="{escape(str(line))}" fill="none" stroke="{colour}"'
        f' stroke-width="2.5" stroke-linejoin="round"{dash}/>'
        for line in series.lines
    )
    points = "".join(
        f'<path d="{escape(str(point.marker))}" fill="{colour}" stroke="#fff"'
        f' stroke-width="1"><title>{escape(str(point.label))}</title></path>'
        for point in series.points
    )
    return (
        f'\n              <g class="trend-{escape(str(series.key))}">'
        f"\n                {lines}\n                {points}\n              </g>\n            "
    )


def _date(chart, tick) -> str:
    wide_only = "" if tick.narrow else ' class="trend-wide-only"'
    return (
        f'\n            <line x1="{tick.position}" y1="{chart.x_axis_y}" x2="{tick.position}"'
        f' y2="{int(chart.x_axis_y) + 5}" stroke="#6c757d" stroke-width="1.5"/>'
        f'\n            <text x="{tick.position}" y="{int(chart.x_axis_y) + 22}"'
        f' text-anchor="middle" fill="#495057"{wide_only}>{escape(str(tick.label))}</text>'
        "\n          "
    )


@register.simple_tag
def trend_chart_marks(chart) -> str:
    panels = "".join(_panel(chart, panel) for panel in chart.panels)
    dates = "".join(_date(chart, tick) for tick in chart.x_ticks)
    return mark_safe(f"{panels}\n          {dates}")
