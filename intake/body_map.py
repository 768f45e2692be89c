"""The body map: where each region is drawn, and the words and colours for it.

Pure data and small helpers, no Django. The template tag in
``intake.templatetags.body_map`` turns them into an inline SVG::

    >>> SHAPES["buttock-left"].view
    'back'
    >>> map_keys()[:3]
    [('thoracolumbar', 'center'), ('thoracolumbar', 'left'), ('thoracolumbar', 'right')]
    >>> shape_label("low_back", "center")
    'Low back, middle'
    >>> intensity_shade(0), intensity_shade(10)
    ('#fef3e6', '#c23b48')

Each view is drawn in its own frame: x runs from -100 to 100 with the
midline at x = 0, y from the top of the head (0) to the soles (580). The
back view shows the client from behind, so their left is on the viewer's
left (x < 0); the front view is a mirror of that.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

from intake.labels import label_for, readable
from intake.rules.case import DEFAULT_INTENSITY  # noqa: F401 (the map draws unrated places so)
from intake.rules.codes import REGIONS

Point = tuple[float, float]


class Shape(NamedTuple):
    view: str
    d: str


VIEWS = ("back", "front")
VIEW_WIDTH = 200
VIEW_HEIGHT = 580

# The top of the iliac crests, where a belt sits: low back above, gluteal below.
BELT_LINE_Y = 238

SIDE_WORDS = {
    "left": "left side",
    "right": "right side",
    "both": "both sides",
    "center": "middle",
}

# Light to strong; the strongest still has 3:1 contrast with SELECTED_OUTLINE.
SHADES = (
    "#fef3e6",
    "#fde0c7",
    "#fbcca7",
    "#f8b987",
    "#f3a474",
    "#ec9068",
    "#e57a5d",
    "#dd6754",
    "#d45950",
    "#cb4b4c",
    "#c23b48",
)
EMPTY_FILL = "#e4e9ee"
SELECTED_OUTLINE = "#181b1f"


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _rounded(points: list[Point], radius: float = 4) -> str:
    """A closed path through ``points`` with softly rounded corners."""
    path = []
    count = len(points)
    for i, (x, y) in enumerate(points):
        before = points[i - 1]
        after = points[(i + 1) % count]
        cut = min(radius, math.dist(before, (x, y)) / 2, math.dist(after, (x, y)) / 2)

        def towards(target: Point, x: float = x, y: float = y, cut: float = cut) -> str:
            length = math.dist(target, (x, y)) or 1
            tx = x + (target[0] - x) * cut / length
            ty = y + (target[1] - y) * cut / length
            return f"{_fmt(tx)},{_fmt(ty)}"

        path.append(f"{'M' if i == 0 else 'L'}{towards(before)}")
        path.append(f"Q{_fmt(x)},{_fmt(y)} {towards(after)}")
    return " ".join(path) + " Z"


def _mirror(points: list[Point]) -> list[Point]:
    return [(-x, y) for x, y in reversed(points)]


def _symmetric(points: list[Point]) -> list[Point]:
    """Points on the viewer's right (x > 0), top to bottom, completed by their mirror."""
    return points + _mirror(points)


def _pair(region: str, view: str, points: list[Point]) -> dict[str, Shape]:
    """A left and a right shape from ``points`` drawn on the viewer's right (x > 0)."""
    near, far = ("right", "left") if view == "back" else ("left", "right")
    return {
        f"{region}-{near}": Shape(view, _rounded(points)),
        f"{region}-{far}": Shape(view, _rounded(_mirror(points))),
    }


def _center(region: str, view: str, points: list[Point]) -> dict[str, Shape]:
    return {f"{region}-center": Shape(view, _rounded(_symmetric(points)))}


_BACK = "back"
_FRONT = "front"

_DRAWN: dict[str, Shape] = {
    # Above the belt-line.
    **_center("thoracolumbar", _BACK, [(8, 180), (8, 208)]),
    **_pair("thoracolumbar", _BACK, [(11, 180), (51, 178), (49.5, 196), (46.5, 208), (11, 208)]),
    **_center("low_back", _BACK, [(8, 211), (8, 235)]),
    **_pair("low_back", _BACK, [(11, 211), (45, 211), (43.5, 223), (45, 235), (11, 235)]),
    # Below it: the sacrum is a downward triangle, the sacroiliac joints along its edges.
    **_center("sacral", _BACK, [(6, 241), (5, 279)]),
    **_pair("sacral", _BACK, [(9, 241), (21, 241), (9, 277)]),
    **_pair("sacroiliac", _BACK, [(24, 241), (33, 241), (22, 271), (13, 279)]),
    **_center("coccyx", _BACK, [(5.5, 283), (4, 296), (0.5, 301)]),
    **_pair(
        "buttock",
        _BACK,
        [
            (36, 241),
            (47, 241),
            (53, 256),
            (46, 266),
            (45, 286),
            (48, 305),
            (38, 317),
            (22, 320),
            (8, 314),
            (8, 285),
            (16, 282),
            (25, 273),
        ],
    ),
    **_pair(
        "hip", _BACK, [(52, 260), (58, 266), (60, 283), (60, 303), (51, 305), (48, 286), (49, 267)]
    ),
    **_pair(
        "thigh_back",
        _BACK,
        [
            (9, 322),
            (23, 324),
            (39, 320),
            (45, 314),
            (45, 345),
            (42, 378),
            (37, 404),
            (16, 407),
            (13, 365),
        ],
    ),
    **_pair(
        "thigh_side",
        _BACK,
        [(51, 309), (60, 307), (59, 340), (54, 378), (47, 404), (41, 404), (46, 378), (48, 345)],
    ),
    **_pair(
        "calf",
        _BACK,
        [
            (19, 438),
            (36, 438),
            (37, 458),
            (36.5, 480),
            (34, 500),
            (29, 518),
            (24, 524),
            (20.5, 520),
            (21.5, 490),
            (22, 466),
            (20.5, 450),
        ],
    ),
    **_pair(
        "leg_side",
        _BACK,
        [
            (40, 433),
            (46, 431),
            (48.5, 448),
            (49, 466),
            (47, 488),
            (43, 506),
            (38, 520),
            (35, 518),
            (38, 500),
            (40, 480),
            (40, 455),
        ],
    ),
    # The front view.
    **_center("lower_abdomen", _FRONT, [(8, 226), (8, 276)]),
    **_pair("lower_abdomen", _FRONT, [(11, 226), (43, 226), (45, 244), (11, 270)]),
    **_pair("groin", _FRONT, [(49, 250), (53, 260), (22, 297), (12, 301), (11, 283)]),
    **_pair(
        "thigh_front",
        _FRONT,
        [
            (56, 266),
            (60, 290),
            (58, 340),
            (52, 385),
            (46, 405),
            (18, 410),
            (13, 370),
            (11, 330),
            (13, 306),
            (25, 302),
        ],
    ),
}


def map_keys() -> list[tuple[str, str]]:
    """Every (region, side) the map draws, in the order of ``REGIONS``; never "both"."""
    return [
        (code, side) for code, region in REGIONS.items() for side in region.sides if side != "both"
    ]


SHAPES: dict[str, Shape] = {
    f"{region}-{side}": _DRAWN[f"{region}-{side}"] for region, side in map_keys()
}


def shape_label(region: str, side: str) -> str:
    """What a person reads for a place, e.g. "Buttock, left side" or "Low back, middle"."""
    return f"{label_for('region', region)}, {SIDE_WORDS.get(side) or readable(side).lower()}"


def intensity_shade(intensity: int) -> str:
    """The fill for a marked place, from light (0) to strong (10)."""
    return SHADES[max(0, min(10, int(intensity)))]


# The silhouette: the viewer's right half from the crown of the head down the
# arm, the flank and the outside of the leg, then up the inside of the leg.
_HALF_OUTLINE = """
M0,0
C15,0 26,11 26,31
C26,47 22,58 17,64
C15,67 15,72 15,78
L15,88
C22,98 44,101 60,107
C73,112 80,125 81,142
C82,170 85,196 87,214
C90,240 94,262 96,282
C100,298 102,316 98,330
C95,339 85,340 83,330
C81,316 79,298 80,284
C77,262 71,240 69,218
C66,196 62,172 59,154
C57,172 55,190 51,204
C48,214 47,223 48,232
C51,248 60,262 63,282
C65,300 63,340 57,380
C53,400 49,412 49,424
C49,436 53,450 52,468
C51,492 41,522 37,542
C40,556 46,566 44,574
C42,580 30,580 22,578
C15,577 13,570 14,560
C15,552 16,548 16,542
C15,515 19,488 19,466
C19,448 16,436 15,426
C14,400 11,350 7,318
C6,310 4,302 0,300
"""


def _segments(path: str) -> tuple[Point, list[tuple[str, list[Point]]]]:
    tokens = re.findall(r"[MLC]|-?\d+(?:\.\d+)?", path)
    start: Point = (float(tokens[1]), float(tokens[2]))
    segments: list[tuple[str, list[Point]]] = []
    i = 3
    while i < len(tokens):
        command = tokens[i]
        count = 3 if command == "C" else 1
        numbers = [float(t) for t in tokens[i + 1 : i + 1 + 2 * count]]
        segments.append((command, list(zip(numbers[::2], numbers[1::2], strict=True))))
        i += 1 + 2 * count
    return start, segments


def _outline(half: str) -> str:
    """The closed outline of the whole body from the path of its right half."""
    start, segments = _segments(half)
    parts = [f"M{_fmt(start[0])},{_fmt(start[1])}"]
    for command, points in segments:
        parts.append(command + " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points))
    # Walk the same half back up, mirrored: each segment reversed, its x negated.
    ends = [start] + [points[-1] for _, points in segments]
    for index in range(len(segments) - 1, -1, -1):
        command, points = segments[index]
        back = [*reversed(points[:-1]), ends[index]]
        parts.append(command + " ".join(f"{_fmt(-x)},{_fmt(y)}" for x, y in back))
    return " ".join(parts) + " Z"


BODY_OUTLINE = _outline(_HALF_OUTLINE)


def _both(path: str) -> str:
    """An open path on the viewer's right and its mirror image."""
    mirrored = re.sub(
        r"(-?\d+(?:\.\d+)?),",
        lambda m: f"{_fmt(-float(m.group(1)))},",
        path,
    )
    return f"{path} {mirrored}"


# Faint lines that make the figure read as a back or a front.
DETAILS = {
    "back": " ".join(
        [
            "M0,96 L0,172",  # the spine above the lowest ribs
            # shoulder blades
            _both("M20,123 C30,119 42,119 51,124 C44,138 34,156 24,168 C22,154 21,138 20,123"),
            _both("M20,433 C26,435 34,435 42,432"),  # backs of the knees
        ]
    ),
    "front": " ".join(
        [
            _both("M6,104 C20,108 36,108 52,110"),  # collarbones
            _both("M16,150 C24,160 38,162 48,156"),  # chest
            "M0,214 m-2.5,0 a2.5,2.5 0 1,0 5,0 a2.5,2.5 0 1,0 -5,0",  # navel
            _both("M24,418 C28,426 38,426 42,418"),  # kneecaps
        ]
    ),
}

# Where the two views sit in the picture: room on the left for the belt-line label.
VIEW_ORIGINS = {"back": (172, 44), "front": (398, 44)}
VIEWBOX = (0, 0, 504, 632)

# On a phone each view is drawn on its own, cropped to the places that can be
# marked, so that every place is at least 24 CSS px on each side at 375 px.
# (x, y, width, height) in the frame of the view.
PHONE_VIEWBOXES = {"back": (-64, 168, 128, 364), "front": (-64, 216, 128, 202)}
