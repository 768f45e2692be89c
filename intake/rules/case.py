"""Reading and checking a case: the input of the suggestion contract.

``read_case`` checks the whole input and returns a ``Case``; anything wrong
raises one ``RulesInputError`` that names the field and the offending value::

    >>> read_case({"pain": [{"region": "buttock", "side": "center"}]})
    Traceback (most recent call last):
    ...
    intake.rules.case.RulesInputError: pain[0].side: 'center' is not a side region 'buttock' \
can take (left, right, both)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple, TypeGuard

from .codes import PRECAUTIONS, RED_FLAGS, REGIONS, SYMPTOMS, covered_sides

CHRONIC_WEEKS = 12
# A marked region without an intensity: the rules, the forms, the body map and the
# exports all read a missing intensity as this one.
DEFAULT_INTENSITY = 5

CASE_FIELDS = ("pain", "duration_weeks", "age", "symptoms", "red_flags", "precautions")
MAX_AGE = 120
_PAIN_FIELDS = ("region", "side", "intensity")
_SHOWN_CHARACTERS = 60


class RulesInputError(ValueError):
    """The input is not a valid case; ``field`` is where, ``value`` is what was found."""

    def __init__(self, field: str, value: object, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.value = value


class Pain(NamedTuple):
    """One marked region; a named tuple, as quick to make as the input is long."""

    region: str
    side: str
    intensity: int = DEFAULT_INTENSITY


@dataclass(frozen=True, slots=True)
class Case:
    """A checked case. The code lists are de-duplicated and in table order."""

    pain: tuple[Pain, ...]
    duration_weeks: int | None = None
    symptoms: tuple[str, ...] = ()
    red_flags: tuple[str, ...] = ()
    precautions: tuple[str, ...] = ()
    age: int | None = None

    @property
    def chronic(self) -> bool:
        return self.duration_weeks is not None and self.duration_weeks >= CHRONIC_WEEKS


def _shown(value: object) -> str:
    text = repr(value)
    if len(text) > _SHOWN_CHARACTERS:
        text = text[: _SHOWN_CHARACTERS - 3] + "..."
    return text


def _whole_number(value: object) -> bool:
    # bool is an int to Python, not to a client filling in a form.
    return type(value) is int


def _is_object(value: object) -> TypeGuard[Mapping[object, object]]:
    # A JSON object is a dict: test that first, the Mapping ABC check is slow.
    return type(value) is dict or isinstance(value, Mapping)


def _items(field: str, value: object) -> list[object] | tuple[object, ...]:
    if not isinstance(value, list | tuple):
        raise RulesInputError(field, value, f"{_shown(value)} is not a list")
    return value


def _check_keys(field: str, value: Mapping[object, object], allowed: tuple[str, ...]) -> None:
    for key in value:
        if key not in allowed:
            raise RulesInputError(
                field, key, f"{_shown(key)} is not a field here (expected {', '.join(allowed)})"
            )


def _codes(field: str, value: object, table: Mapping[str, object]) -> tuple[str, ...]:
    if value is None or value == []:
        return ()
    seen: set[str] = set()
    for index, code in enumerate(_items(field, value)):
        if not isinstance(code, str) or code not in table:
            raise RulesInputError(
                f"{field}[{index}]",
                code,
                f"{_shown(code)} is not a code of {field} ({', '.join(table)})",
            )
        if code in seen:
            raise RulesInputError(f"{field}[{index}]", code, f"{_shown(code)} is listed twice")
        seen.add(code)
    return tuple(code for code in table if code in seen)


def _pain(where: str, entry: object) -> Pain:
    if not _is_object(entry):
        raise RulesInputError(
            where, entry, f"{_shown(entry)} is not a pain entry (an object with region and side)"
        )
    _check_keys(where, entry, _PAIN_FIELDS)
    region = entry.get("region")
    if not isinstance(region, str) or region not in REGIONS:
        raise RulesInputError(
            f"{where}.region", region, f"{_shown(region)} is not a region ({', '.join(REGIONS)})"
        )
    sides = REGIONS[region].sides
    side = entry.get("side")
    if not isinstance(side, str) or side not in sides:
        raise RulesInputError(
            f"{where}.side",
            side,
            f"{_shown(side)} is not a side region {region!r} can take ({', '.join(sides)})",
        )
    intensity = entry.get("intensity")
    if intensity is None:
        intensity = DEFAULT_INTENSITY
    elif not _whole_number(intensity) or not 0 <= intensity <= 10:
        raise RulesInputError(
            f"{where}.intensity", intensity, f"{_shown(intensity)} is not a whole number 0-10"
        )
    return Pain(region, side, intensity)


def _pains(value: object) -> tuple[Pain, ...]:
    pains: list[Pain] = []
    sides_by_region: dict[str, list[str]] = {}
    for index, entry in enumerate(_items("pain", value)):
        where = f"pain[{index}]"
        pain = _pain(where, entry)
        earlier = sides_by_region.setdefault(pain.region, [])
        for side in earlier:
            if side == pain.side:
                problem = f"{pain.side!r} is already reported for region {pain.region!r}"
            elif pain.side in covered_sides(side) or side in covered_sides(pain.side):
                problem = (
                    f"{pain.side!r} clashes with {side!r} reported for region {pain.region!r} "
                    "(both and center already include left and right)"
                )
            else:
                continue
            raise RulesInputError(f"{where}.side", pain.side, problem)
        earlier.append(pain.side)
        pains.append(pain)
    return tuple(pains)


def read_case(data: object) -> Case:
    """Check the whole input of the contract and return it as a ``Case``.

    Optional fields (``intensity`` too) may be left out or given as ``None``. Raises
    ``RulesInputError`` and nothing else.
    """
    if not _is_object(data):
        raise RulesInputError("case", data, f"{_shown(data)} is not an object")
    _check_keys("case", data, CASE_FIELDS)
    if "pain" not in data:
        raise RulesInputError("pain", None, "missing (give [] when nothing hurts)")
    pain = _pains(data["pain"])
    duration = data.get("duration_weeks")
    if duration is not None and (not _whole_number(duration) or duration < 0):
        raise RulesInputError(
            "duration_weeks", duration, f"{_shown(duration)} is not a whole number of weeks >= 0"
        )
    age = data.get("age")
    if age is not None and (not _whole_number(age) or not 0 <= age <= MAX_AGE):
        raise RulesInputError("age", age, f"{_shown(age)} is not a whole number of years 0-120")
    return Case(
        pain=pain,
        duration_weeks=duration,
        age=age,
        symptoms=_codes("symptoms", data.get("symptoms"), SYMPTOMS),
        red_flags=_codes("red_flags", data.get("red_flags"), RED_FLAGS),
        precautions=_codes("precautions", data.get("precautions"), PRECAUTIONS),
    )
