"""The agreement chart: for each muscle, a bar of the times it was accepted, rejected and
added by hand, drawn by the template as an inline SVG (no JavaScript, no library)."""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 190
RIGHT = WIDTH - 40
ROW = 22
BAR = 14
TOP = 28


@dataclass(frozen=True, slots=True)
class Segment:
    x: float
    width: float
    kind: str  # accepted, rejected, added
    count: int


@dataclass(frozen=True, slots=True)
class Bar:
    y: float
    label_y: float
    name: str
    segments: tuple[Segment, ...]
    total: int
    total_x: float


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    label_x: int
    bars: tuple[Bar, ...]


def agreement_chart(muscles, limit: int = 15) -> Chart:
    """Bars for the `limit` muscles seen most often, scaled to the longest."""
    shown = list(muscles)[:limit]
    longest = max((m.total.accepted + m.total.rejected + m.total.added for m in shown), default=0)
    scale = (RIGHT - LABEL_WIDTH) / longest if longest else 0
    bars = []
    for index, muscle in enumerate(shown):
        y = TOP + index * ROW
        x = float(LABEL_WIDTH)
        segments = []
        for kind in ("accepted", "rejected", "added"):
            count = getattr(muscle.total, kind)
            if count:
                segments.append(Segment(round(x, 1), round(count * scale, 1), kind, count))
                x += count * scale
        total = muscle.total.accepted + muscle.total.rejected + muscle.total.added
        bars.append(Bar(y, y + BAR - 3, muscle.name, tuple(segments), total, round(x + 4, 1)))
    return Chart(WIDTH, TOP + len(bars) * ROW + 10, LABEL_WIDTH - 8, tuple(bars))
