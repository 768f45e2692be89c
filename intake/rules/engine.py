"""The rules engine: from what a client reported to ranked, explained muscles.

Shaped like ``django.contrib.auth.password_validation``: each behaviour of the
contract is a small rule object with an ``apply`` method, and one function,
``suggest``, runs them in order over the candidate muscles and ranks the
result. The data they read lives in ``codes`` and ``knowledge``.

    >>> result = suggest({
    ...     "pain": [
    ...         {"region": "buttock", "side": "left", "intensity": 6},
    ...         {"region": "low_back", "side": "center"},
    ...     ],
    ...     "duration_weeks": 20,
    ...     "symptoms": ["worse_upright"],
    ... })
    >>> result.zones, result.chronic, result.combined_approach
    (('gluteal', 'low_back'), True, True)
    >>> first = result.suggestions[0]
    >>> first.muscle, first.score, first.sides, first.explains
    ('quadratus_lumborum', 1.0, ('left', 'right'), ('buttock', 'low_back'))
    >>> print(first.reasons[0].cited())
    Usually refers pain to the low back and the buttock, where the client marked pain \
(founding article; Travell & Simons, vol. 2 ch. 4)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from functools import lru_cache
from typing import Protocol

from . import codes, knowledge
from .case import Case, read_case
from .codes import BELT_LINE_ZONES, PRECAUTIONS, RED_FLAGS, REGIONS, URGENCY_ORDER
from .knowledge import HIP_ACTIVATION, MUSCLES, NOTES, SOURCES, Fact, Muscle

QUADRATUS_LUMBORUM = "quadratus_lumborum"
QUADRATUS_LUMBORUM_SIGNS = frozenset({"worse_upright", "braces_with_arms"})
NERVE_SYMPTOMS = frozenset({"sharp_shooting", "numbness_tingling"})

# How scores are made (see README.md). A muscle that refers pain to a marked
# region scores from 0.40 to 1.00: 0.40 plus 0.60 times the share of the
# reported picture it explains, counted in points. A muscle brought in only
# by the combined approach or as a hip mover scores below 0.40.
SCORING: dict[str, int] = {
    "primary_points": 3,  # per marked region in its primary zone, times the weight
    "spillover_points": 1,  # per marked region in its spillover zone, times the weight
    "intensity_offset": 5,  # weight = intensity + 5, so an intensity of 0 still counts
    "zone_points": 10,  # per zone of the marked regions it explains
    "sign_points": 8,  # per reported symptom that fits it (a stiff hip for a hip mover)
    "explains_floor": 40,  # hundredths
    "explains_span": 60,  # hundredths
    "brought_in_base": 4,  # hundredths, for a muscle that explains no marked region
    "combined_acute": 8,
    "combined_chronic": 16,
    "hip_mover": 8,
    "brought_in_sign": 2,
    "brought_in_ceiling": 39,
}
_S = SCORING

_ZONE = {code: region.zone for code, region in REGIONS.items()}
_REGION_ORDER = {code: index for index, code in enumerate(REGIONS)}
_PHRASE = {
    code: f"the {region.label[0].lower()}{region.label[1:]}" for code, region in REGIONS.items()
}


# --- Result -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RedFlagAdvice:
    code: str
    urgency: str
    message: str


@dataclass(frozen=True, slots=True)
class PrecautionAdvice:
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class SuggestedMuscle:
    """One muscle to assess. ``reasons`` carry their sources (``Fact.sources``);
    ``sources`` are the full citations of all of them, in order of first use."""

    muscle: str
    name: str
    rank: int
    score: float
    sides: tuple[str, ...]
    explains: tuple[str, ...]
    reasons: tuple[Fact, ...]
    sources: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "muscle": self.muscle,
            "name": self.name,
            "rank": self.rank,
            "score": self.score,
            "sides": list(self.sides),
            "explains": list(self.explains),
            "reasons": [_cited(reason) for reason in self.reasons],
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The result of ``suggest``; ``to_dict()`` gives the JSON of the contract."""

    ruleset: str
    zones: tuple[str, ...]
    chronic: bool
    combined_approach: bool
    refer_out: bool
    red_flags: tuple[RedFlagAdvice, ...]
    precautions: tuple[PrecautionAdvice, ...]
    notes: tuple[Fact, ...]
    suggestions: tuple[SuggestedMuscle, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "ruleset": self.ruleset,
            "zones": list(self.zones),
            "chronic": self.chronic,
            "combined_approach": self.combined_approach,
            "refer_out": self.refer_out,
            "red_flags": [
                {"code": flag.code, "urgency": flag.urgency, "message": flag.message}
                for flag in self.red_flags
            ],
            "precautions": [
                {"code": advice.code, "message": advice.message} for advice in self.precautions
            ],
            "notes": [_cited(note) for note in self.notes],
            "suggestions": [suggestion.to_dict() for suggestion in self.suggestions],
        }


@lru_cache(maxsize=1024)
def _cited(fact: Fact) -> str:
    return fact.cited()


# --- Precomputed indices ----------------------------------------------------


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _phrases(regions: Iterable[str]) -> str:
    """'the low back, the sacrum and the buttock': in body order, top down."""
    words = [_PHRASE[code] for code in sorted(regions, key=_REGION_ORDER.__getitem__)]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _referral_sources(muscle: Muscle, regions: Iterable[str]) -> tuple[str, ...]:
    wanted = set(regions)
    return _unique(s for r in muscle.referrals if r.region in wanted for s in r.sources)


_ORDER = {code: index for index, code in enumerate(MUSCLES)}
# Behaviour 13: equal scores go to the founding article's muscles, then to the
# more common cause, then to the order of the knowledge base.
_TIE_BREAK = {
    muscle.code: index
    for index, muscle in enumerate(
        sorted(
            MUSCLES.values(),
            key=lambda m: (not m.founding_article, -m.commonness.grade, _ORDER[m.code]),
        )
    )
}
_REGION_SETS: tuple[tuple[Muscle, frozenset[str]], ...] = tuple(
    (muscle, frozenset(r.region for r in muscle.referrals)) for muscle in MUSCLES.values()
)
_SIGNS: dict[str, tuple[tuple[str, Fact], ...]] = {
    muscle.code: tuple(
        (sign.symptom, Fact(sign.text, sign.sources))
        for sign in muscle.signs
        if sign.symptom is not None
    )
    for muscle in MUSCLES.values()
}
_HIP_MOVERS: tuple[tuple[Muscle, Fact], ...] = tuple(
    (
        muscle,
        Fact(
            f"The hip feels stiff, and {HIP_ACTIVATION.text}; {muscle.moves_hip.text}",
            _unique((*HIP_ACTIVATION.sources, *muscle.moves_hip.sources)),
        ),
    )
    for muscle in MUSCLES.values()
    if muscle.moves_hip is not None
)
_INTERNAL: dict[str, Fact] = {
    muscle.code: Fact(
        f"Refer to a pelvic-health physiotherapist: {muscle.internal_only.text}",
        muscle.internal_only.sources,
    )
    for muscle in MUSCLES.values()
    if muscle.internal_only is not None
}


def _belt_line_entry(muscle: Muscle) -> tuple[Muscle, Fact, Fact, Fact | None]:
    regions = [r.region for r in muscle.referrals if _ZONE[r.region] in BELT_LINE_ZONES]
    sources = _unique(("article", *_referral_sources(muscle, regions)))
    brought_in = (
        f"Refers pain to {_phrases(regions)} rather than to the marked regions, but the founding "
        "article treats low back and gluteal pain as one disorder"
    )
    overlap = None
    if {"low_back", "gluteal"} <= muscle.zones:
        overlap = Fact(
            "Refers pain to both the low back and the gluteal region, the overlap the founding "
            "article builds its approach on",
            sources,
        )
    return (
        muscle,
        Fact(brought_in, sources),
        Fact(f"{brought_in}, the more so when the pain is chronic", sources),
        overlap,
    )


_BELT_LINE = tuple(
    _belt_line_entry(muscle) for muscle in MUSCLES.values() if muscle.zones & BELT_LINE_ZONES
)

_FIRST = Fact(
    "Listed first: the client reports the signs the founding article gives for this muscle",
    ("article",),
)
_FIRST_UNMARKED = Fact(
    "Listed first, though it refers pain to none of the marked regions: the client reports the "
    "signs the founding article gives for this muscle",
    ("article",),
)


@dataclass(frozen=True, slots=True)
class _Explained:
    """What a muscle explains of a set of marked regions; cached, it depends on nothing else."""

    reason: Fact
    primary: tuple[str, ...]
    spillover: tuple[str, ...]
    zones: int
    explains: tuple[str, ...]


@lru_cache(maxsize=4096)
def _explained(code: str, regions: frozenset[str]) -> _Explained:
    muscle = MUSCLES[code]
    primary = tuple(r for r in muscle.primary_regions if r in regions)
    spillover = tuple(r for r in muscle.spillover_regions if r in regions)
    if not primary:
        text = (
            f"Can refer pain to {_phrases(spillover)}, where the client marked pain, "
            "when its trigger points are more irritable"
        )
    elif not spillover:
        text = f"Usually refers pain to {_phrases(primary)}, where the client marked pain"
    else:
        text = (
            f"Usually refers pain to {_phrases(primary)}, and sometimes to "
            f"{_phrases(spillover)}, where the client marked pain"
        )
    return _Explained(
        reason=Fact(text, _referral_sources(muscle, regions)),
        primary=primary,
        spillover=spillover,
        zones=len({_ZONE[r] for r in regions}),
        explains=tuple(sorted(regions)),
    )


@lru_cache(maxsize=4096)
def _citations(sources: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    # Keyed by the reasons' source codes: tuples of strings hash fast.
    return _unique(SOURCES[code].citation for group in sources for code in group)


# --- Working state ----------------------------------------------------------

_LEFT, _RIGHT = 1, 2
_SIDE_BITS = {"left": _LEFT, "right": _RIGHT, "both": _LEFT | _RIGHT, "center": _LEFT | _RIGHT}
_SIDES_OF_BITS = {0: (), _LEFT: ("left",), _RIGHT: ("right",), _LEFT | _RIGHT: ("left", "right")}


class _Candidate:
    """A muscle under consideration while the rules run."""

    __slots__ = ("muscle", "explained", "combined", "hip", "first", "signs", "reasons")

    def __init__(self, muscle: Muscle) -> None:
        self.muscle = muscle
        self.explained: _Explained | None = None  # the marked regions it refers pain to
        self.combined = False  # brought in by the combined approach alone
        self.hip = False  # suggested as a hip mover
        self.first = False
        self.signs = 0  # reported symptoms that fit it
        self.reasons: list[Fact] = []


class _Work:
    """One case while the rules run: the case, summaries of it, and the candidates."""

    __slots__ = (
        "case",
        "symptoms",
        "regions",
        "zones",
        "weights",
        "side_bits",
        "candidates",
        "matched",
    )

    def __init__(self, case: Case) -> None:
        self.case = case
        self.symptoms = frozenset(case.symptoms)
        # Per marked region: the summed weights of its pains, and its sides.
        offset = _S["intensity_offset"]
        weights: dict[str, int] = {}
        side_bits: dict[str, int] = {}
        for pain in case.pain:
            weights[pain.region] = weights.get(pain.region, 0) + pain.intensity + offset
            side_bits[pain.region] = side_bits.get(pain.region, 0) | _SIDE_BITS[pain.side]
        self.weights = weights
        self.side_bits = side_bits
        self.regions = frozenset(weights)
        self.zones = frozenset(_ZONE[region] for region in weights)
        self.candidates: dict[str, _Candidate] = {}
        self.matched: set[str] = set()  # symptoms that fit at least one candidate

    def candidate(self, muscle: Muscle) -> _Candidate:
        found = self.candidates.get(muscle.code)
        if found is None:
            found = self.candidates[muscle.code] = _Candidate(muscle)
        return found

    def side_bits_of(self, regions: Iterable[str]) -> int:
        bits = 0
        for region in regions:
            bits |= self.side_bits[region]
        return bits


# --- Rules ------------------------------------------------------------------


class Rule(Protocol):
    def apply(self, work: _Work) -> None: ...


class ReferredPain:
    """Behaviours 1, 3 and 8: muscles that refer pain to a marked region are candidates."""

    def apply(self, work: _Work) -> None:
        marked = work.regions
        for muscle, regions in _REGION_SETS:
            hit = regions & marked
            if hit:
                candidate = work.candidate(muscle)
                candidate.explained = _explained(muscle.code, hit)
                candidate.reasons.append(candidate.explained.reason)


class CombinedApproach:
    """Behaviours 2 and 4: low back or gluteal pain brings in every muscle of both zones."""

    def apply(self, work: _Work) -> None:
        if not work.zones & BELT_LINE_ZONES:
            return
        chronic = work.case.chronic
        for muscle, acute_reason, chronic_reason, overlap in _BELT_LINE:
            candidate = work.candidates.get(muscle.code)
            if candidate is None:
                candidate = work.candidate(muscle)
                candidate.combined = True
                candidate.reasons.append(chronic_reason if chronic else acute_reason)
            elif overlap is not None:
                candidate.reasons.append(overlap)


class Aggravation:
    """Behaviour 3: a reported symptom that fits a candidate explains more of the case."""

    def apply(self, work: _Work) -> None:
        symptoms = work.symptoms
        if not symptoms:
            return
        for code, candidate in work.candidates.items():
            for symptom, reason in _SIGNS[code]:
                if symptom in symptoms:
                    candidate.signs += 1
                    candidate.reasons.append(reason)
                    work.matched.add(symptom)


class QuadratusLumborumSigns:
    """Behaviour 5: its signs put the quadratus lumborum first whenever it is a candidate."""

    def apply(self, work: _Work) -> None:
        candidate = work.candidates.get(QUADRATUS_LUMBORUM)
        if candidate is not None and work.symptoms & QUADRATUS_LUMBORUM_SIGNS:
            candidate.first = True
            candidate.reasons.append(_FIRST if candidate.explained else _FIRST_UNMARKED)


class HipMovers:
    """Behaviour 6: a stiff hip with the quadratus lumborum in play brings in the hip movers."""

    def apply(self, work: _Work) -> None:
        if "hip_stiffness" not in work.symptoms or QUADRATUS_LUMBORUM not in work.candidates:
            return
        work.matched.add("hip_stiffness")
        for muscle, reason in _HIP_MOVERS:
            candidate = work.candidate(muscle)
            candidate.hip = True
            candidate.reasons.append(reason)


class InternalWork:
    """Behaviour 9: a muscle reached only internally comes with a referral."""

    def apply(self, work: _Work) -> None:
        for code, candidate in work.candidates.items():
            reason = _INTERNAL.get(code)
            if reason is not None:
                candidate.reasons.append(reason)


# Order matters: first the rules that bring muscles in (the hip movers need
# to know whether the quadratus lumborum is a candidate), then those that
# weigh and annotate every candidate.
RULES: tuple[Rule, ...] = (
    ReferredPain(),
    CombinedApproach(),
    HipMovers(),
    Aggravation(),
    QuadratusLumborumSigns(),
    InternalWork(),
)


# --- Scoring and ranking ----------------------------------------------------


def _full_marks(work: _Work) -> int:
    return (
        _S["primary_points"] * sum(work.weights.values())
        + _S["zone_points"] * len(work.zones)
        + _S["sign_points"] * len(work.matched)
    )


def _scores(work: _Work) -> list[tuple[int, _Candidate]]:
    """Each candidate with its score in hundredths; see SCORING."""
    weights = work.weights
    full_marks = _full_marks(work)
    zone_points, sign_points = _S["zone_points"], _S["sign_points"]
    primary_points, spillover_points = _S["primary_points"], _S["spillover_points"]
    floor, twice_span = _S["explains_floor"], 2 * _S["explains_span"]
    combined = _S["combined_chronic"] if work.case.chronic else _S["combined_acute"]
    base, brought_in_sign = _S["brought_in_base"], _S["brought_in_sign"]
    hip_mover, ceiling = _S["hip_mover"], _S["brought_in_ceiling"]
    scored = []
    for candidate in work.candidates.values():
        explained = candidate.explained
        if explained is not None:
            points = zone_points * explained.zones + sign_points * (candidate.signs + candidate.hip)
            for region in explained.primary:
                points += primary_points * weights[region]
            for region in explained.spillover:
                points += spillover_points * weights[region]
            # Integer rounding, half up: exact, so equal explanations tie exactly.
            score = floor + (twice_span * points + full_marks) // (2 * full_marks)
        else:
            score = base + brought_in_sign * candidate.signs
            if candidate.combined:
                score += combined
            if candidate.hip:
                score += hip_mover
            score = min(score, ceiling)
        scored.append((score, candidate))
    return scored


def _rank(work: _Work) -> tuple[SuggestedMuscle, ...]:
    if not work.candidates:
        return ()
    scored = _scores(work)
    top = max(score for score, _ in scored)
    # The tie-break is unique per muscle, so the candidates are never compared.
    ranked = sorted(
        (not c.first, -(top if c.first else score), _TIE_BREAK[c.muscle.code], c)
        for score, c in scored
    )
    side_bits = work.side_bits
    belt_line_bits = 0
    for region, bits in side_bits.items():
        if _ZONE[region] in BELT_LINE_ZONES:
            belt_line_bits |= bits
    anchor = work.candidates.get(QUADRATUS_LUMBORUM)
    hip_bits = 0
    if anchor is not None:
        hip_bits = (
            work.side_bits_of(anchor.explained.explains) if anchor.explained else belt_line_bits
        )
    result = []
    for rank, (_, minus_score, _, c) in enumerate(ranked, start=1):
        explained = c.explained
        if explained is not None:
            bits = 0
            for region in explained.explains:
                bits |= side_bits[region]
            explains = explained.explains
        else:
            bits = belt_line_bits if c.combined else hip_bits
            explains = ()
        reasons = tuple(c.reasons)
        result.append(
            SuggestedMuscle(
                c.muscle.code,
                c.muscle.name,
                rank,
                -minus_score / 100,
                _SIDES_OF_BITS[bits],
                explains,
                reasons,
                _citations(tuple([reason.sources for reason in reasons])),
            )
        )
    return tuple(result)


def _notes(work: _Work, red_flags: tuple[RedFlagAdvice, ...], suggested: bool) -> list[Fact]:
    notes = []
    if red_flags:
        notes.append(NOTES["emergency" if red_flags[0].urgency == "emergency" else "refer"])
    if work.case.pain:
        if work.zones & BELT_LINE_ZONES:
            notes.append(NOTES["combined"])
            if work.case.chronic:
                notes.append(NOTES["chronic"])
        else:
            notes.append(NOTES["outside"])
    if work.symptoms & NERVE_SYMPTOMS:
        notes.append(NOTES["nerve"])
    if suggested:
        notes.append(NOTES["not_a_diagnosis"])
    return notes


# --- Ruleset version ----------------------------------------------------------

RULESET_SERIES = "2026.1"


def _canonical(value: object) -> object:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        # Rows keep their order: the order of the muscles is the last tie-break.
        return [[_canonical(k), _canonical(v)] for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted(value)
    return value


def ruleset_version(tables: Mapping[str, object]) -> str:
    """``RULESET_SERIES`` and the first 8 hex digits of a sha256 of ``tables``."""
    text = json.dumps(_canonical(tables), separators=(",", ":"), ensure_ascii=True)
    return f"{RULESET_SERIES}-{hashlib.sha256(text.encode('ascii')).hexdigest()[:8]}"


RULE_TABLES: dict[str, object] = {
    "zones": codes.ZONES,
    "belt_line_zones": codes.BELT_LINE_ZONES,
    "sides": codes.SIDES,
    "regions": codes.REGIONS,
    "symptoms": codes.SYMPTOMS,
    "red_flags": codes.RED_FLAGS,
    "precautions": codes.PRECAUTIONS,
    "sources": knowledge.SOURCES,
    "muscles": knowledge.MUSCLES,
    "hip_activation": knowledge.HIP_ACTIVATION,
    "notes": knowledge.NOTES,
    "scoring": SCORING,
}
RULESET = ruleset_version(RULE_TABLES)


# --- The entry point ----------------------------------------------------------


def suggest(case: Mapping[str, object]) -> Suggestion:
    """Rank and explain the muscles to assess for ``case`` (the contract's input).

    Raises ``RulesInputError`` (a ``ValueError``) naming the field and the
    value when the input is not valid, and nothing else.
    """
    checked = read_case(case)
    work = _Work(checked)
    for rule in RULES:
        rule.apply(work)
    suggestions = _rank(work)
    red_flags = tuple(
        sorted(
            (
                RedFlagAdvice(code, RED_FLAGS[code].urgency, RED_FLAGS[code].message)
                for code in checked.red_flags
            ),
            key=lambda flag: URGENCY_ORDER[flag.urgency],
        )
    )
    return Suggestion(
        ruleset=RULESET,
        zones=tuple(sorted(work.zones)),
        chronic=checked.chronic,
        combined_approach=bool(work.zones & BELT_LINE_ZONES),
        refer_out=bool(red_flags),
        red_flags=red_flags,
        precautions=tuple(
            PrecautionAdvice(code, PRECAUTIONS[code].message) for code in checked.precautions
        ),
        notes=tuple(_notes(work, red_flags, bool(suggestions))),
        suggestions=suggestions,
    )
