"""Which muscles refer pain where: the reviewed knowledge base of the rules engine.

The knowledge lives in ``knowledge.toml`` beside this module, so that a
clinician can change it without touching code; this module reads that file,
checks it against the schema (README.md, "The knowledge file") and turns it
into frozen dataclasses. Anything wrong raises ``KnowledgeError`` naming the
fact, when the app starts rather than when a client is waiting.

Every fact has a stable ``id``, its sources (codes of ``SOURCES``) and who
reviewed it and when. The words are our own summaries, never quotations. The
founding article of the clinic is the first source and is cited only for the
five muscles it names.

A muscle reads like this::

    >>> from intake.rules.knowledge import MUSCLES
    >>> piriformis = MUSCLES["piriformis"]
    >>> piriformis.primary_regions
    ('sacroiliac', 'buttock', 'hip')
    >>> piriformis.spillover_regions
    ('thigh_back',)
    >>> piriformis.founding_article, piriformis.moves_hip is not None
    (True, True)
    >>> [p.id for p in MUSCLES["gluteus_minimus"].patterns]
    ['gluteus_minimus.referral.anterior', 'gluteus_minimus.referral.posterior']

``load_knowledge(path_or_dict)`` reads another copy, for tests and for
trying a change before it is made: ``suggest(case, knowledge=...)`` uses it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .codes import PRECAUTIONS, RED_FLAGS, REGIONS, SYMPTOMS, URGENCY_ORDER

DEFAULT_PATH = Path(__file__).with_name("knowledge.toml")
SCHEMA = 2

# How often a muscle is the cause of pain in its regions, for breaking ties.
COMMON = 3
OCCASIONAL = 2
UNCOMMON = 1
GRADES = {"common": COMMON, "occasional": OCCASIONAL, "uncommon": UNCOMMON}

LATERALITIES = ("same", "midline", "both")
# How a muscle is worked; the caution rules apply by these tags.
WORK_TAGS = (
    "deep_abdominal",  # reached through deep pressure on the abdomen
    "deep_pressure",  # usually worked with deep, sustained pressure
    "spine_or_ribs",  # worked with pressure over the spine or ribs
    "around_hip_joint",  # pressed or moved around the hip joint
    "groin",  # worked in or near the groin crease
    "thigh",
    "lower_leg",
)
# The ids of notes and reasons that the engine's own rules use.
ENGINE_NOTES = (
    "note.emergency",
    "note.urgent",
    "note.refer",
    "note.combined",
    "note.chronic",
    "note.outside",
    "note.hip_movers",
    "note.internal_last",
    "note.nerve",
    "note.not_a_diagnosis",
)
ENGINE_REASONS = ("reason.quadratus_lumborum_first", "reason.quadratus_lumborum_first_unmarked")
ARTICLE = "article"
JUDGEMENT = "clinic_judgement"

_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")
_CODE = re.compile(r"[a-z][a-z0-9_]*")


class KnowledgeError(ValueError):
    """The knowledge data breaks the schema; the message starts with the fact's id."""


@dataclass(frozen=True, slots=True)
class Source:
    """A citation: ``short`` goes after a reason, ``citation`` in the source list."""

    code: str
    short: str
    citation: str


@dataclass(frozen=True, slots=True)
class Review:
    reviewed_by: str
    reviewed_on: datetime.date


@dataclass(frozen=True, slots=True)
class Fact:
    """A sentence in our own words, the codes of the sources behind it, and its id."""

    text: str
    sources: tuple[str, ...]
    id: str = ""
    # Filled in once by the engine, which reads them for every result.
    cited_text: str = field(default="", compare=False, repr=False)
    citations: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def cited(self, sources: Mapping[str, Source] | None = None) -> str:
        """The sentence with its short citations, as the therapist reads it."""
        if self.cited_text and sources is None:
            return self.cited_text
        table = SOURCES if sources is None else sources
        return f"{self.text} ({'; '.join(table[code].short for code in self.sources)})"

    def with_citations(self, sources: Mapping[str, Source]) -> Fact:
        """A copy that carries its cited sentence and full citations."""
        return Fact(
            self.text,
            self.sources,
            self.id,
            self.cited(sources),
            tuple(sources[code].citation for code in self.sources),
        )


@dataclass(frozen=True, slots=True)
class Referral:
    """The muscle refers pain to ``region``: ``primary`` (most people feel it) or spillover."""

    region: str
    primary: bool
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReferralPattern:
    """One referral fact: the pattern of a muscle or of one ``part`` of it."""

    id: str
    part: str
    primary: tuple[str, ...]
    spillover: tuple[str, ...]
    sources: tuple[str, ...]
    review: Review
    note: str = ""


@dataclass(frozen=True, slots=True)
class Sign:
    """A sign or aggravating factor; ``symptom`` is the intake code it matches, if any."""

    id: str
    text: str
    sources: tuple[str, ...]
    review: Review
    symptom: str | None = None


@dataclass(frozen=True, slots=True)
class Laterality:
    """Where the pain is felt: the ``same`` side, near the ``midline``, or ``both`` sides."""

    id: str
    kind: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Worked:
    """How the muscle is worked (``WORK_TAGS``): what the cautions read."""

    id: str
    tags: frozenset[str]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Commonness:
    """``COMMON``, ``OCCASIONAL`` or ``UNCOMMON`` as a cause of pain in its regions."""

    id: str
    grade: int
    sources: tuple[str, ...]
    review: Review

    @property
    def judgement(self) -> bool:
        """True when the grade is the clinic's judgement rather than a published figure."""
        return JUDGEMENT in self.sources


@dataclass(frozen=True, slots=True)
class Muscle:
    """One muscle (or muscle group) whose trigger points refer pain.

    ``referrals`` merge the ``patterns`` per region (primary when any pattern
    says so). ``moves_hip`` says how it moves the hip joint (``None`` if it
    does not); ``internal_only`` is set when it can only be reached
    internally, so the client is referred rather than treated.
    """

    code: str
    name: str
    patterns: tuple[ReferralPattern, ...]
    referrals: tuple[Referral, ...]
    laterality: Laterality
    worked: Worked
    signs: tuple[Sign, ...]
    commonness: Commonness
    review: Review
    founding_article: bool = False
    moves_hip: Fact | None = None
    internal_only: Fact | None = None

    @property
    def primary_regions(self) -> tuple[str, ...]:
        return tuple(r.region for r in self.referrals if r.primary)

    @property
    def spillover_regions(self) -> tuple[str, ...]:
        return tuple(r.region for r in self.referrals if not r.primary)

    @property
    def zones(self) -> frozenset[str]:
        return frozenset(REGIONS[r.region].zone for r in self.referrals)

    def fact_ids(self) -> Iterator[str]:
        yield from (p.id for p in self.patterns)
        yield from (s.id for s in self.signs)
        yield from (self.laterality.id, self.worked.id, self.commonness.id)
        if self.moves_hip is not None:
            yield self.moves_hip.id
        if self.internal_only is not None:
            yield self.internal_only.id


@dataclass(frozen=True, slots=True)
class Condition:
    """When a combination, derived flag or note applies: every given test must hold.

    Age tests never hold when the age is unknown; ``weeks_below`` holds when
    the duration is unknown (new pain is assumed, to be safe).
    """

    red_flags_all: frozenset[str] = frozenset()
    red_flags_any: frozenset[str] = frozenset()
    precautions_any: frozenset[str] = frozenset()
    regions_any: frozenset[str] = frozenset()
    age_below: int | None = None
    age_at_least: int | None = None
    weeks_below: int | None = None
    pain: bool | None = None

    def holds(
        self,
        *,
        red_flags: frozenset[str],
        precautions: frozenset[str],
        regions: frozenset[str],
        age: int | None,
        weeks: int | None,
    ) -> bool:
        if self.red_flags_all and not self.red_flags_all <= red_flags:
            return False
        if self.red_flags_any and not self.red_flags_any & red_flags:
            return False
        if self.precautions_any and not self.precautions_any & precautions:
            return False
        if self.regions_any and not self.regions_any & regions:
            return False
        if self.age_below is not None and (age is None or age >= self.age_below):
            return False
        if self.age_at_least is not None and (age is None or age < self.age_at_least):
            return False
        if self.weeks_below is not None and weeks is not None and weeks >= self.weeks_below:
            return False
        return self.pain is None or self.pain == bool(regions)


@dataclass(frozen=True, slots=True)
class Caution:
    """A reported ``code`` changes how muscles with any of ``tags`` may be worked."""

    id: str
    code: str
    tags: frozenset[str]
    forbids: bool
    message: str
    sources: tuple[str, ...]
    review: Review


@dataclass(frozen=True, slots=True)
class Combination:
    """Reported red flags that together take a higher ``urgency``."""

    id: str
    when: Condition
    urgency: str
    message: str
    sources: tuple[str, ...]
    review: Review

    @property
    def flags(self) -> frozenset[str]:
        return self.when.red_flags_all | self.when.red_flags_any


@dataclass(frozen=True, slots=True)
class DerivedFlag:
    """A red flag the engine adds (``code``) when ``when`` holds."""

    id: str
    code: str
    label: str
    urgency: str
    when: Condition
    message: str
    sources: tuple[str, ...]
    review: Review


@dataclass(frozen=True, slots=True)
class Note:
    """A message for the therapist; one with ``when`` is shown when it holds."""

    fact: Fact
    review: Review
    when: Condition | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Knowledge:
    """The whole knowledge base as loaded and checked; ``digest`` hashes its data."""

    sources: dict[str, Source]
    muscles: dict[str, Muscle]
    cautions: tuple[Caution, ...]
    combinations: tuple[Combination, ...]
    derived_flags: dict[str, DerivedFlag]
    notes: dict[str, Note]
    reasons: dict[str, Fact]
    review: Review
    digest: str

    def note(self, id: str) -> Fact:
        return self.notes[id].fact


# --- Reading and checking ----------------------------------------------------


class _Fields:
    """One table of the data: typed reads that name the fact, and no unknown keys."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, Mapping):
            raise KnowledgeError(f"{where}: expected a table, found {data!r}")
        self.data = data
        self.where = where
        self.used: set[str] = set()

    def fail(self, problem: str) -> KnowledgeError:
        return KnowledgeError(f"{self.where}: {problem}")

    def get(self, key: str, default: object = None) -> object:
        self.used.add(key)
        return self.data.get(key, default)

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key} must be a non-empty text, found {value!r}")
        return value

    def flag(self, key: str, default: bool | None = None) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{key} must be true or false, found {value!r}")
        return value

    def number(self, key: str) -> int | None:
        value = self.get(key)
        if value is not None and (type(value) is not int or value < 0):
            raise self.fail(f"{key} must be a whole number >= 0, found {value!r}")
        return value

    def codes(self, key: str, allowed: Mapping[str, object] | tuple[str, ...], what: str):
        value = self.get(key, [])
        if not isinstance(value, list | tuple):
            raise self.fail(f"{key} must be a list, found {value!r}")
        for code in value:
            if code not in allowed:
                raise self.fail(f"{key}: {code!r} is not a {what}")
        if len(set(value)) != len(value):
            raise self.fail(f"{key} lists a code twice")
        return tuple(value)

    def table(self, key: str) -> object:
        return self.get(key)

    def tables(self, key: str) -> list[object]:
        value = self.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{key} must be a list of tables")
        return value

    def done(self) -> None:
        unknown = sorted(str(key) for key in self.data if key not in self.used)
        if unknown:
            raise self.fail(f"unknown field {unknown[0]!r} (a typo?)")


class _Reader:
    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.sources: dict[str, Source] = {}
        self.cited: set[str] = set()

    def fact_id(self, fields: _Fields) -> str:
        value = fields.get("id")
        if not isinstance(value, str) or not _ID.fullmatch(value):
            raise fields.fail(f"id must look like muscle.kind.detail, found {value!r}")
        if value in self.ids:
            raise fields.fail(f"id {value!r} is used twice")
        self.ids.add(value)
        fields.where = value
        return value

    def cite(self, fields: _Fields, *, article: bool = True) -> tuple[str, ...]:
        sources = fields.codes("sources", self.sources, "source code (see [[source]])")
        if not sources:
            raise fields.fail("sources: cite at least one source")
        if not article and ARTICLE in sources:
            raise fields.fail(
                "sources: the founding article names only five muscles; this is not one of them"
            )
        self.cited.update(sources)
        return sources

    def review(self, fields: _Fields, default: Review) -> Review:
        by = fields.get("reviewed_by")
        on = fields.get("reviewed_on")
        if by is None and on is None:
            return default
        if not isinstance(by, str) or not by.strip():
            raise fields.fail(f"reviewed_by must be a name, found {by!r}")
        return Review(by, _date(fields, on))


def _date(fields: _Fields, value: object) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise fields.fail(f"reviewed_on must be a date (2026-11-27), found {value!r}")


def _condition(fields: _Fields) -> Condition:
    when = _Fields(fields.table("when"), f"{fields.where}.when")
    condition = Condition(
        red_flags_all=frozenset(when.codes("red_flags_all", RED_FLAGS, "red flag")),
        red_flags_any=frozenset(when.codes("red_flags_any", RED_FLAGS, "red flag")),
        precautions_any=frozenset(when.codes("precautions_any", PRECAUTIONS, "precaution")),
        regions_any=frozenset(when.codes("regions_any", REGIONS, "region")),
        age_below=when.number("age_below"),
        age_at_least=when.number("age_at_least"),
        weeks_below=when.number("weeks_below"),
        pain=None if when.get("pain") is None else when.flag("pain"),
    )
    when.done()
    if condition == Condition():
        raise fields.fail("when: give at least one condition")
    return condition


def _urgency(fields: _Fields) -> str:
    value = fields.get("urgency")
    if value not in URGENCY_ORDER:
        raise fields.fail(f"urgency must be one of {', '.join(URGENCY_ORDER)}, found {value!r}")
    return value


def _pattern(reader: _Reader, data: object, where: str, muscle: _Muscle) -> ReferralPattern:
    fields = _Fields(data, where)
    id = reader.fact_id(fields)
    primary = fields.codes("primary", REGIONS, "region")
    spillover = fields.codes("spillover", REGIONS, "region")
    both = set(primary) & set(spillover)
    if both:
        raise fields.fail(f"{sorted(both)[0]!r} is both primary and spillover")
    if not primary and not spillover:
        raise fields.fail("a referral needs at least one region")
    pattern = ReferralPattern(
        id=id,
        part=fields.text("part", required=False),
        primary=primary,
        spillover=spillover,
        sources=reader.cite(fields, article=muscle.article),
        review=reader.review(fields, muscle.review),
        note=fields.text("note", required=False),
    )
    fields.done()
    return pattern


@dataclass(slots=True)
class _Muscle:
    article: bool
    review: Review


def _muscle(reader: _Reader, data: object, index: int, default: Review) -> Muscle:
    fields = _Fields(data, f"muscle #{index + 1}")
    code = fields.get("code")
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise fields.fail(f"code must be lower case with underscores, found {code!r}")
    fields.where = code
    article = fields.flag("founding_article", False)
    context = _Muscle(article, reader.review(fields, default))
    name = fields.text("name")

    patterns = tuple(
        _pattern(reader, item, f"{code}.referral #{n + 1}", context)
        for n, item in enumerate(fields.tables("referral"))
    )
    if not patterns:
        raise fields.fail("give at least one [[muscle.referral]]")
    merged: dict[str, Referral] = {}
    for pattern in patterns:
        for region in (*pattern.primary, *pattern.spillover):
            primary = region in pattern.primary
            earlier = merged.get(region)
            if earlier is None:
                merged[region] = Referral(region, primary, pattern.sources)
            else:
                sources = tuple(dict.fromkeys((*earlier.sources, *pattern.sources)))
                merged[region] = Referral(region, earlier.primary or primary, sources)
    referrals = tuple(
        sorted(merged.values(), key=lambda r: (not r.primary, _REGION_ORDER[r.region]))
    )
    if not any(r.primary for r in referrals):
        raise fields.fail("at least one region must be primary")

    signs = []
    symptoms: set[str] = set()
    for n, item in enumerate(fields.tables("sign")):
        sign_fields = _Fields(item, f"{code}.sign #{n + 1}")
        id = reader.fact_id(sign_fields)
        symptom = sign_fields.get("symptom")
        if symptom is not None and symptom not in SYMPTOMS:
            raise sign_fields.fail(f"symptom {symptom!r} is not a symptom code")
        if symptom in symptoms:
            raise sign_fields.fail(f"symptom {symptom!r} has a sign already")
        if symptom is not None:
            symptoms.add(symptom)
        signs.append(
            Sign(
                id,
                sign_fields.text("text"),
                reader.cite(sign_fields, article=article),
                reader.review(sign_fields, context.review),
                symptom,
            )
        )
        sign_fields.done()
    if not signs:
        raise fields.fail("give at least one [[muscle.sign]]")

    lat = _Fields(fields.table("laterality"), f"{code}.laterality")
    laterality = Laterality(reader.fact_id(lat), lat.get("kind"), reader.cite(lat, article=article))
    if laterality.kind not in LATERALITIES:
        raise lat.fail(f"kind must be one of {', '.join(LATERALITIES)}")
    reader.review(lat, context.review)
    lat.done()

    work = _Fields(fields.table("worked"), f"{code}.worked")
    worked = Worked(
        reader.fact_id(work),
        frozenset(work.codes("tags", WORK_TAGS, "work tag")),
        reader.cite(work, article=article),
    )
    reader.review(work, context.review)
    work.done()

    common = _Fields(fields.table("commonness"), f"{code}.commonness")
    common_id = reader.fact_id(common)
    grade = common.get("grade")
    if grade not in GRADES:
        raise common.fail(f"grade must be one of {', '.join(GRADES)}, found {grade!r}")
    commonness = Commonness(
        common_id,
        GRADES[grade],
        reader.cite(common, article=article),
        reader.review(common, context.review),
    )
    common.done()

    optional: dict[str, Fact | None] = {}
    for key in ("moves_hip", "internal_only"):
        value = fields.table(key)
        if value is None:
            optional[key] = None
            continue
        fact_fields = _Fields(value, f"{code}.{key}")
        fact_id = reader.fact_id(fact_fields)
        optional[key] = Fact(
            fact_fields.text("text"), reader.cite(fact_fields, article=article), fact_id
        )
        reader.review(fact_fields, context.review)
        fact_fields.done()
    fields.done()
    return Muscle(
        code=code,
        name=name,
        patterns=patterns,
        referrals=referrals,
        laterality=laterality,
        worked=worked,
        signs=tuple(signs),
        commonness=commonness,
        review=context.review,
        founding_article=article,
        moves_hip=optional["moves_hip"],
        internal_only=optional["internal_only"],
    )


_REGION_ORDER = {code: index for index, code in enumerate(REGIONS)}


def _read(data: Mapping[str, object], digest: str) -> Knowledge:
    top = _Fields(data, "knowledge")
    if top.get("schema") != SCHEMA:
        raise top.fail(f"schema must be {SCHEMA}, found {top.get('schema')!r}")
    review_fields = _Fields(top.table("review"), "review")
    default = Review(
        review_fields.text("reviewed_by"), _date(review_fields, review_fields.get("reviewed_on"))
    )
    review_fields.done()
    reader = _Reader()

    for n, item in enumerate(top.tables("source")):
        fields = _Fields(item, f"source #{n + 1}")
        code = fields.get("code")
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise fields.fail(f"code must be lower case with underscores, found {code!r}")
        fields.where = f"source {code}"
        if code in reader.sources:
            raise fields.fail("listed twice")
        reader.sources[code] = Source(code, fields.text("short"), fields.text("citation"))
        fields.done()

    muscles: dict[str, Muscle] = {}
    for n, item in enumerate(top.tables("muscle")):
        code = item.get("code") if isinstance(item, Mapping) else None
        if code in muscles:
            raise KnowledgeError(f"{code}: the muscle is listed twice")
        muscle = _muscle(reader, item, n, default)
        muscles[muscle.code] = muscle
    if not muscles:
        raise top.fail("no [[muscle]] found")

    cautions = []
    for n, item in enumerate(top.tables("caution")):
        fields = _Fields(item, f"caution #{n + 1}")
        id = reader.fact_id(fields)
        code = fields.get("code")
        if code not in PRECAUTIONS and code not in RED_FLAGS:
            raise fields.fail(f"code {code!r} is not a precaution or red flag code")
        tags = fields.codes("tags", WORK_TAGS, "work tag")
        if not tags:
            raise fields.fail("tags: name at least one way of working")
        cautions.append(
            Caution(
                id,
                code,
                frozenset(tags),
                fields.flag("forbids"),
                fields.text("message"),
                reader.cite(fields, article=False),
                reader.review(fields, default),
            )
        )
        fields.done()

    combinations = []
    for n, item in enumerate(top.tables("combination")):
        fields = _Fields(item, f"combination #{n + 1}")
        id = reader.fact_id(fields)
        combination = Combination(
            id,
            _condition(fields),
            _urgency(fields),
            fields.text("message"),
            reader.cite(fields, article=False),
            reader.review(fields, default),
        )
        if not combination.flags:
            raise fields.fail("when: a combination is made of red flags (red_flags_all/any)")
        combinations.append(combination)
        fields.done()

    derived: dict[str, DerivedFlag] = {}
    for n, item in enumerate(top.tables("derived_flag")):
        fields = _Fields(item, f"derived_flag #{n + 1}")
        id = reader.fact_id(fields)
        code = fields.get("code")
        if not isinstance(code, str) or not _CODE.fullmatch(code):
            raise fields.fail(f"code must be lower case with underscores, found {code!r}")
        if code in RED_FLAGS or code in derived:
            raise fields.fail(f"code {code!r} is already a red flag")
        derived[code] = DerivedFlag(
            id,
            code,
            fields.text("label"),
            _urgency(fields),
            _condition(fields),
            fields.text("message"),
            reader.cite(fields, article=False),
            reader.review(fields, default),
        )
        fields.done()

    notes: dict[str, Note] = {}
    for n, item in enumerate(top.tables("note")):
        fields = _Fields(item, f"note #{n + 1}")
        id = reader.fact_id(fields)
        when = _condition(fields) if fields.get("when") is not None else None
        fact = Fact(fields.text("text"), reader.cite(fields), id)
        notes[id] = Note(fact, reader.review(fields, default), when)
        fields.done()
    reasons: dict[str, Fact] = {}
    for n, item in enumerate(top.tables("reason")):
        fields = _Fields(item, f"reason #{n + 1}")
        id = reader.fact_id(fields)
        reasons[id] = Fact(fields.text("text"), reader.cite(fields), id)
        reader.review(fields, default)
        fields.done()
    top.done()

    for id in ENGINE_NOTES:
        if id not in notes:
            raise KnowledgeError(f"{id}: the engine needs this [[note]]")
    for id in ENGINE_REASONS:
        if id not in reasons:
            raise KnowledgeError(f"{id}: the engine needs this [[reason]]")
    for table in (RED_FLAGS, PRECAUTIONS):
        for row in table.values():
            for code in row.sources:
                if code not in reader.sources:
                    raise KnowledgeError(f"source {code}: codes.py cites it for {row.code}")
                reader.cited.add(code)
    unused = [code for code in reader.sources if code not in reader.cited]
    if unused:
        raise KnowledgeError(f"source {unused[0]}: cited by no fact (remove it or cite it)")
    return Knowledge(
        sources=reader.sources,
        muscles=muscles,
        cautions=tuple(cautions),
        combinations=tuple(combinations),
        derived_flags=derived,
        notes=notes,
        reasons=reasons,
        review=default,
        digest=digest,
    )


def data_digest(data: Mapping[str, object]) -> str:
    """A sha256 of the data's meaning (not its layout or comments)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def load_knowledge(source: str | Path | Mapping[str, object] | None = None) -> Knowledge:
    """Read and check the knowledge: a TOML file (default ``knowledge.toml``) or a dict.

    Raises ``KnowledgeError`` naming the fact when the data breaks the schema.
    """
    if isinstance(source, Mapping):
        data = source
    else:
        path = DEFAULT_PATH if source is None else Path(source)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise KnowledgeError(f"{path.name}: not valid TOML ({error})") from None
    return _read(data, data_digest(data))


def read_data(path: str | Path | None = None) -> dict[str, object]:
    """The raw data of a knowledge file, to copy and change in tests and reviews."""
    return tomllib.loads(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))


KNOWLEDGE = load_knowledge()
SOURCES: dict[str, Source] = KNOWLEDGE.sources
MUSCLES: dict[str, Muscle] = KNOWLEDGE.muscles
NOTES: dict[str, Note] = KNOWLEDGE.notes
CAUTIONS: tuple[Caution, ...] = KNOWLEDGE.cautions
COMBINATIONS: tuple[Combination, ...] = KNOWLEDGE.combinations
DERIVED_FLAGS: dict[str, DerivedFlag] = KNOWLEDGE.derived_flags
