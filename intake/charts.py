"""The pain trend on a client's history page, as coordinates for an inline SVG.

Pure Python, no Django: ``templates/intake/client_history.html`` draws what
``pain_trend()`` computes, so the page needs no JavaScript and no chart
library. Two panels share the time axis: current pain and the PEG score
(both 0 to 10) above, the number of painful regions (a count) below, so no
line is read against the wrong scale::

    >>> from datetime import datetime
    >>> chart = pain_trend([Visit(datetime(2026, 3, 2), current_pain=6, peg=5.0, regions=2)])
    >>> [series.name for series in chart.series]
    ['Current pain', 'PEG score', 'Painful regions']
    >>> chart.series[0].points[0].x == (chart.left + chart.right) / 2
    True
    >>> [tick.label for tick in chart.x_ticks]
    ['2 Mar 2026']

A missing rating leaves a gap in its line; a lone value between gaps is
still shown by its marker.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

WIDTH = 560
LEFT = 44
# Room on the right for half of the latest date's label.
RIGHT = 500
# Keeps the first and last markers off the axes.
INSET = 16
RATING_TOP, RATING_BOTTOM = 34, 194
REGIONS_TOP, REGIONS_BOTTOM = 244, 340
HEIGHT = REGIONS_BOTTOM + 60
# Room for one date label ("12 Sep 2026"), at the chart's font size and at the
# larger size a phone uses (NARROW_FONT_SIZE in client_history.html).
DATE_LABEL_WIDTH = 84
NARROW_DATE_LABEL_WIDTH = 126
MARKER_RADIUS = 4.5


@dataclass(frozen=True, slots=True)
class Visit:
    """One submitted intake, as the chart needs it."""

    when: datetime
    current_pain: int | None
    peg: float | None
    regions: int


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str
    narrow: bool = True


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    marker: str
    label: str


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    name: str
    colour: str
    dash: str
    shape: str
    points: tuple[Point, ...]
    # One "x,y x,y ..." per unbroken run of values.
    lines: tuple[str, ...]
    legend_marker: str


@dataclass(frozen=True, slots=True)
class Panel:
    title: str
    top: float
    bottom: float
    y_ticks: tuple[Tick, ...]
    series: tuple[Series, ...]


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    panels: tuple[Panel, ...]
    x_ticks: tuple[Tick, ...]

    @property
    def series(self) -> list[Series]:
        return [series for panel in self.panels for series in panel.series]

    @property
    def x_axis_y(self) -> float:
        return self.panels[-1].bottom


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


def _day(when: datetime) -> str:
    return f"{when.day} {when:%b %Y}"


def marker_path(shape: str, x: float, y: float, r: float = MARKER_RADIUS) -> str:
    """An SVG path for a marker centred on (x, y): a circle, a square or a triangle."""
    if shape == "square":
        side = r * 1.7
        return f"M{x - side / 2:.1f},{y - side / 2:.1f}h{side:.1f}v{side:.1f}h{-side:.1f}Z"
    if shape == "triangle":
        h = r * 1.25
        return f"M{x:.1f},{y - h:.1f}L{x + h:.1f},{y + h * 0.8:.1f}L{x - h:.1f},{y + h * 0.8:.1f}Z"
    return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"


def _x_positions(visits: list[Visit]) -> list[float]:
    """Proportional to time; evenly spread when every intake has the same moment."""
    start, end = LEFT + INSET, RIGHT - INSET
    if len(visits) == 1:
        return [(LEFT + RIGHT) / 2]
    first, last = visits[0].when.timestamp(), visits[-1].when.timestamp()
    if last == first:
        step = (end - start) / (len(visits) - 1)
        return [round(start + i * step, 1) for i in range(len(visits))]
    span = last - first
    return [round(start + (v.when.timestamp() - first) / span * (end - start), 1) for v in visits]


def _spaced(candidates: list[Tick], gap: float) -> list[Tick]:
    """The candidates at least `gap` apart, from the left; the last one always kept."""
    kept: list[Tick] = []
    for tick in candidates:
        if not kept or tick.position - kept[-1].position >= gap:
            kept.append(tick)
        elif tick is candidates[-1] and len(kept) > 1:
            kept[-1] = tick
    return kept


def _x_ticks(visits: list[Visit], xs: list[float]) -> tuple[Tick, ...]:
    """Dates under the points that fit without overlapping, the latest always shown.

    Those marked ``narrow`` still fit when a phone draws the labels larger.
    """
    candidates: list[Tick] = []
    for visit, x in zip(visits, xs, strict=True):
        label = _day(visit.when)
        if candidates and candidates[-1].label == label:
            candidates[-1] = Tick(x, label)
        else:
            candidates.append(Tick(x, label))
    wide = _spaced(candidates, DATE_LABEL_WIDTH)
    narrow = {id(tick) for tick in _spaced(wide, NARROW_DATE_LABEL_WIDTH)}
    return tuple(Tick(t.position, t.label, narrow=id(t) in narrow) for t in wide)


def _series(
    key: str,
    name: str,
    colour: str,
    dash: str,
    shape: str,
    values: list[float | None],
    xs: list[float],
    to_y: Callable[[float], float],
    describe: Callable[[float], str],
    days: list[str],
) -> Series:
    points: list[Point] = []
    lines: list[str] = []
    run: list[str] = []
    for value, x, day in zip(values, xs, days, strict=True):
        if value is None:
            if len(run) > 1:
                lines.append(" ".join(run))
            run = []
            continue
        y = to_y(value)
        points.append(Point(x, y, marker_path(shape, x, y), f"{day}: {describe(value)}"))
        run.append(f"{x:.1f},{y:.1f}")
    if len(run) > 1:
        lines.append(" ".join(run))
    return Series(
        key=key,
        name=name,
        colour=colour,
        dash=dash,
        shape=shape,
        points=tuple(points),
        lines=tuple(lines),
        legend_marker=marker_path(shape, 14, 8),
    )


def _scale(top: float, bottom: float, maximum: float) -> Callable[[float], float]:
    return lambda value: round(bottom - value / maximum * (bottom - top), 1)


def _region_maximum(counts: Iterable[int]) -> tuple[int, int]:
    """A round top for the regions axis and the step between its ticks."""
    highest = max([4, *counts])
    step = 1 if highest <= 5 else 2 if highest <= 10 else math.ceil(highest / 5)
    return math.ceil(highest / step) * step, step


def pain_trend(visits: Iterable[Visit]) -> Chart:
    """The chart of the given intakes (any order), oldest on the left."""
    ordered = sorted(visits, key=lambda visit: visit.when)
    if not ordered:
        raise ValueError("a trend needs at least one intake")
    xs = _x_positions(ordered)
    days = [_day(visit.when) for visit in ordered]
    rating_y = _scale(RATING_TOP, RATING_BOTTOM, 10)
    region_top, region_step = _region_maximum(visit.regions for visit in ordered)
    regions_y = _scale(REGIONS_TOP, REGIONS_BOTTOM, region_top)

    ratings = Panel(
        title="Pain and PEG score (0 to 10)",
        top=RATING_TOP,
        bottom=RATING_BOTTOM,
        y_ticks=tuple(Tick(rating_y(value), str(value)) for value in range(0, 11, 2)),
        series=(
            _series(
                "current_pain",
                "Current pain",
                "#b02a37",
                "",
                "circle",
                [visit.current_pain for visit in ordered],
                xs,
                rating_y,
                lambda value: f"current pain {_number(value)} of 10",
                days,
            ),
            _series(
                "peg",
                "PEG score",
                "#2f6f62",
                "7 4",
                "square",
                [visit.peg for visit in ordered],
                xs,
                rating_y,
                lambda value: f"PEG score {_number(value)} of 10",
                days,
            ),
        ),
    )
    regions = Panel(
        title="Painful regions (number)",
        top=REGIONS_TOP,
        bottom=REGIONS_BOTTOM,
        y_ticks=tuple(
            Tick(regions_y(value), str(value)) for value in range(0, region_top + 1, region_step)
        ),
        series=(
            _series(
                "regions",
                "Painful regions",
                "#3556a0",
                "2 3",
                "triangle",
                [float(visit.regions) for visit in ordered],
                xs,
                regions_y,
                lambda value: f"{_number(value)} painful region{'' if value == 1 else 's'}",
                days,
            ),
        ),
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=RIGHT,
        panels=(ratings, regions),
        x_ticks=_x_ticks(ordered, xs),
    )
