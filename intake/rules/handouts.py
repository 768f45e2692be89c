"""Home-care handouts: what a client can do at home for each muscle of their plan.

Pure Python, like the rest of the rules. ``handouts.toml`` beside this module holds
the client's words (a stretch, an optional self-pressure instruction, the habits to
avoid, with sources and a review); ``knowledge.toml`` says where each muscle sends
pain; ``muscle_cautions()`` says which of the client's precautions touch a muscle,
and the handout file's ``[[caution]]`` entries what each one takes out::

    >>> sheet = handout(["gastrocnemius"], ["dvt_history"])
    >>> section = sheet.sections[0]
    >>> section.name, section.self_pressure is None
    ('Gastrocnemius', True)
    >>> section.cautions[0].startswith("You have had a blood clot")
    True
    >>> "Calf" in section.refers_to
    True

A file that breaks the schema raises ``HandoutError`` naming the entry at fault.
"""

from __future__ import annotations

import datetime
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .codes import PRECAUTIONS, RED_FLAGS, REGIONS
from .engine import muscle_cautions
from .knowledge import MUSCLES, SOURCES

DEFAULT_PATH = Path(__file__).with_name("handouts.toml")
SCHEMA = 1
PARTS = ("text", "self_pressure")
HANDOUT_FIELDS = {"id", "muscle", "text", "self_pressure", "avoid", "sources"} | {
    "reviewed_by",
    "reviewed_on",
}
CAUTION_FIELDS = {"id", "code", "removes", "text", "sources", "reviewed_by", "reviewed_on"}


class HandoutError(ValueError):
    """The handout data breaks the schema; the message starts with the entry's id."""


@dataclass(frozen=True, slots=True)
class Advice:
    """What a client can do at home for one muscle."""

    id: str
    muscle: str
    text: str
    self_pressure: str | None
    avoid: str
    sources: tuple[str, ...]
    reviewed_by: str
    reviewed_on: datetime.date


@dataclass(frozen=True, slots=True)
class HomeCareCaution:
    """What a reported precaution takes out of a muscle's advice, in the client's words."""

    id: str
    code: str
    removes: tuple[str, ...]
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Section:
    """One muscle of the handout, with the client's cautions already applied."""

    muscle: str
    name: str
    refers_to: tuple[str, ...]
    text: str | None
    self_pressure: str | None
    avoid: str
    cautions: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Handout:
    sections: tuple[Section, ...]
    # Full citations of every source behind the sections, in order of first use.
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HandoutData:
    advice: Mapping[str, Advice]
    cautions: Mapping[str, HomeCareCaution]


def _text(entry: Mapping, key: str, where: str, required: bool = True) -> str | None:
    value = entry.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise HandoutError(f"{where}: '{key}' must be a sentence")
    return value.strip()


def _sources(entry: Mapping, where: str) -> tuple[str, ...]:
    sources = entry.get("sources")
    if not isinstance(sources, list) or not sources:
        raise HandoutError(f"{where}: 'sources' must list at least one source")
    for code in sources:
        if code not in SOURCES:
            raise HandoutError(f"{where}: sources: {code!r} is not a [[source]] of knowledge.toml")
    return tuple(sources)


def _review(entry: Mapping, default: Mapping, where: str) -> tuple[str, datetime.date]:
    by = entry.get("reviewed_by", default.get("reviewed_by"))
    on = entry.get("reviewed_on", default.get("reviewed_on"))
    if not isinstance(by, str) or not by.strip():
        raise HandoutError(f"{where}: 'reviewed_by' is missing")
    if not isinstance(on, datetime.date) or isinstance(on, datetime.datetime):
        raise HandoutError(f"{where}: 'reviewed_on' must be a date")
    return by, on


def _unknown(entry: Mapping, allowed: set[str], where: str) -> None:
    extra = sorted(set(entry) - allowed)
    if extra:
        raise HandoutError(f"{where}: unknown field {extra[0]!r}")


def read_handouts(data: Mapping[str, object]) -> HandoutData:
    """Check the data of a handout file and turn it into frozen dataclasses."""
    if data.get("schema") != SCHEMA:
        raise HandoutError(f"handouts: schema must be {SCHEMA}")
    default = data.get("review") or {}
    seen: set[str] = set()
    advice: dict[str, Advice] = {}
    for index, entry in enumerate(data.get("handout") or []):
        where = str(entry.get("id") or f"handout[{index}]")
        _unknown(entry, HANDOUT_FIELDS, where)
        if where in seen:
            raise HandoutError(f"{where}: the id is used twice")
        seen.add(where)
        muscle = entry.get("muscle")
        if muscle not in MUSCLES:
            raise HandoutError(f"{where}: muscle: {muscle!r} is not a muscle of knowledge.toml")
        if muscle in advice:
            raise HandoutError(f"{where}: {muscle} has two handout entries")
        by, on = _review(entry, default, where)
        advice[muscle] = Advice(
            where,
            muscle,
            _text(entry, "text", where),
            _text(entry, "self_pressure", where, required=False),
            _text(entry, "avoid", where),
            _sources(entry, where),
            by,
            on,
        )
    cautions: dict[str, HomeCareCaution] = {}
    for index, entry in enumerate(data.get("caution") or []):
        where = str(entry.get("id") or f"caution[{index}]")
        _unknown(entry, CAUTION_FIELDS, where)
        if where in seen:
            raise HandoutError(f"{where}: the id is used twice")
        seen.add(where)
        code = entry.get("code")
        if code not in PRECAUTIONS and code not in RED_FLAGS:
            raise HandoutError(f"{where}: code: {code!r} is not a precaution or red flag")
        removes = entry.get("removes")
        if not isinstance(removes, list) or any(part not in PARTS for part in removes):
            raise HandoutError(f"{where}: 'removes' lists parts among {', '.join(PARTS)}")
        _review(entry, default, where)
        cautions[code] = HomeCareCaution(
            where, code, tuple(removes), _text(entry, "text", where), _sources(entry, where)
        )
    return HandoutData(advice, cautions)


def load_handouts(path: str | Path | None = None) -> HandoutData:
    path = Path(path or DEFAULT_PATH)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise HandoutError(f"{path.name}: not valid TOML ({error})") from None
    return read_handouts(data)


HANDOUTS = load_handouts()


def _region_label(code: str) -> str:
    return REGIONS[code].label if code in REGIONS else code


def handout(
    muscles: Iterable[str], reported: Iterable[str], *, data: HandoutData | None = None
) -> Handout:
    """The handout for the planned ``muscles`` (in plan order) of a client who reported
    the ``reported`` precaution and red flag codes. Muscles with no entry are left out."""
    data = data or HANDOUTS
    reported = frozenset(reported)
    sections = []
    cited: dict[str, None] = {}
    for code in dict.fromkeys(muscles):
        advice = data.advice.get(code)
        if advice is None:
            continue
        muscle = MUSCLES[code]
        removed: set[str] = set()
        words: list[str] = []
        sources = list(advice.sources)
        for caution in muscle_cautions(code, reported):
            home = data.cautions.get(caution.code)
            if home is None:
                # A precaution the handout file does not cover: the safest reading.
                removed.add("self_pressure")
                words.append("Ask your therapist before pressing on this muscle yourself.")
                continue
            removed.update(home.removes)
            if home.text not in words:
                words.append(home.text)
            sources.extend(home.sources)
        sources = list(dict.fromkeys(sources))
        cited.update(dict.fromkeys(sources))
        sections.append(
            Section(
                muscle=code,
                name=muscle.name,
                refers_to=tuple(_region_label(r) for r in muscle.primary_regions),
                text=None if "text" in removed else advice.text,
                self_pressure=None if "self_pressure" in removed else advice.self_pressure,
                avoid=advice.avoid,
                cautions=tuple(words),
                sources=tuple(sources),
            )
        )
    return Handout(tuple(sections), tuple(SOURCES[code].citation for code in cited))


def as_text(sheet: Handout) -> str:
    """The handout as plain text, for the therapist to edit."""
    blocks = []
    for section in sheet.sections:
        lines = [section.name.upper()]
        lines.append(f"Where it sends pain: {', '.join(section.refers_to).lower()}.")
        lines.extend(f"Take care: {caution}" for caution in section.cautions)
        if section.text:
            lines.append(f"Stretch: {section.text}")
        if section.self_pressure:
            lines.append(f"Self-pressure: {section.self_pressure}")
        lines.append(f"Avoid: {section.avoid}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
