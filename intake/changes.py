"""What changed between a client's previous intake and this one."""

from dataclasses import dataclass, field

from intake.body_map import shape_label
from intake.labels import label_for
from intake.rules.codes import expand_sides


@dataclass(frozen=True)
class IntensityChange:
    label: str
    before: int
    after: int


@dataclass(frozen=True)
class Changes:
    new_regions: list[str] = field(default_factory=list)
    gone_regions: list[str] = field(default_factory=list)
    intensity_changes: list[IntensityChange] = field(default_factory=list)
    new_precautions: list[str] = field(default_factory=list)
    new_red_flags: list[str] = field(default_factory=list)
    pain_before: int | None = None
    pain_after: int | None = None

    def __bool__(self) -> bool:
        return any(
            [
                self.new_regions,
                self.gone_regions,
                self.intensity_changes,
                self.new_precautions,
                self.new_red_flags,
                self.pain_before != self.pain_after,
            ]
        )


def _places(intake) -> dict[tuple[str, str], int]:
    places = {}
    for location in intake.pain_locations.all():
        for side in expand_sides(location.side):
            places[(location.region, side)] = location.intensity
    return places


def changes_between(previous, current) -> Changes:
    before, after = _places(previous), _places(current)
    return Changes(
        new_regions=[shape_label(*key) for key in after if key not in before],
        gone_regions=[shape_label(*key) for key in before if key not in after],
        intensity_changes=[
            IntensityChange(shape_label(*key), before[key], after[key])
            for key in after
            if key in before and before[key] != after[key]
        ],
        new_precautions=[
            label_for("precaution", c) for c in current.precautions if c not in previous.precautions
        ],
        new_red_flags=[
            label_for("red_flag", c) for c in current.red_flags if c not in previous.red_flags
        ],
        pain_before=previous.current_pain,
        pain_after=current.current_pain,
    )
