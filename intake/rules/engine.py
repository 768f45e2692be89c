"""The rules engine: from what a client reported to ranked, explained muscles.

Shaped like ``django.contrib.auth.password_validation``: each behaviour of the
contract is a small rule object with an ``apply`` method, and one function,
``suggest``, runs them in order over the candidate muscles and ranks the
result. The data they read lives in ``codes`` and in the knowledge file
(``knowledge.toml``, read by ``knowledge``).

    >>> result = suggest({
    ...     "pain": [
    ...         {"region": "buttock", "side": "left", "intensity": 6},
    ...         {"region": "low_back", "side": "center"},
    ...     ],
    ...     "duration_weeks": 20,
    ...     "symptoms": ["worse_upright"],
    ...     "precautions": ["osteoporosis"],
    ... })
    >>> result.zones, result.chronic, result.combined_approach
    (('gluteal', 'low_back'), True, True)
    >>> first = result.suggestions[0]
    >>> first.muscle, first.score, first.sides, first.explains, first.group
    ('quadratus_lumborum', 1.0, ('left', 'right'), ('buttock', 'low_back'), 'explains')
    >>> print(first.reasons[0].cited())
    Usually refers pain to the low back (superficial trigger points), where the client marked \
pain (founding article; Travell & Simons, vol. 2 ch. 4)
    >>> first.facts[0]
    'quadratus_lumborum.referral.superficial'
    >>> [(c.code, c.forbids) for c in first.cautions]
    [('osteoporosis', False)]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple, Protocol

from .case import Case, read_case
from .codes import (
    BELT_LINE_ZONES,
    PRECAUTIONS,
    RED_FLAGS,
    REGIONS,
    SIDES,
    URGENCY_ORDER,
    covered_sides,
)
from .knowledge import KNOWLEDGE, Fact, Knowledge, Muscle, Source

QUADRATUS_LUMBORUM = "quadratus_lumborum"
QUADRATUS_LUMBORUM_SIGNS = frozenset({"worse_upright", "braces_with_arms"})
NERVE_SYMPTOMS = frozenset({"sharp_shooting", "numbness_tingling"})
GROUPS = ("explains", "approach", "hip_mover")

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
class CautionAdvice:
    """A reported precaution (or ``pulsating_abdomen``) that changes how a muscle is worked.

    ``forbids``: the work is not to be done as planned; a plan that keeps the
    muscle needs the therapist's written reason. ``fact`` is the rule's id.
    """

    code: str
    message: str
    forbids: bool
    fact: str

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "forbids": self.forbids,
            "fact": self.fact,
        }


class SuggestedMuscle(NamedTuple):
    """One muscle to assess. ``reasons`` carry their sources and ids (``Fact``);
    ``sources`` are the full citations of all of them, in order of first use;
    ``group`` says how it came in (``GROUPS``).

    A named tuple rather than a frozen dataclass: just as immutable, and
    four times quicker to make, which a result of thirty muscles notices.
    """

    muscle: str
    name: str
    rank: int
    score: float
    sides: tuple[str, ...]
    explains: tuple[str, ...]
    reasons: tuple[Fact, ...]
    group: str = "explains"
    cautions: tuple[CautionAdvice, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """The full citations of the reasons, in order of first use."""
        return _unique(citation for reason in self.reasons for citation in reason.citations)

    @property
    def facts(self) -> tuple[str, ...]:
        """The ids of the knowledge facts behind ``reasons``, in the same order."""
        return tuple(reason.id for reason in self.reasons)

    @property
    def forbidden(self) -> bool:
        return any(caution.forbids for caution in self.cautions)

    def to_dict(self) -> dict[str, object]:
        return {
            "muscle": self.muscle,
            "name": self.name,
            "rank": self.rank,
            "score": self.score,
            "group": self.group,
            "sides": list(self.sides),
            "explains": list(self.explains),
            "reasons": [reason.cited() for reason in self.reasons],
            "facts": list(self.facts),
            "sources": list(self.sources),
            "cautions": [caution.to_dict() for caution in self.cautions],
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

    @property
    def urgency(self) -> str:
        """The most urgent level of the red flags ('' when none): what the client is told."""
        return self.red_flags[0].urgency if self.red_flags else ""

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
            "notes": [note.cited() for note in self.notes],
            "suggestions": [suggestion.to_dict() for suggestion in self.suggestions],
        }


# --- Ruleset version ----------------------------------------------------------

RULESET_SERIES = "2026.2"
_PACKAGE = Path(__file__).resolve().parent


def code_digest(folder: Path = _PACKAGE) -> str:
    """A sha256 of the package's Python sources: the engine's code and the codes' words."""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


CODE_DIGEST = code_digest()


def ruleset_version(knowledge_digest: str, code: str = CODE_DIGEST) -> str:
    """``RULESET_SERIES`` and 8 hex digits that change with the knowledge data or the code."""
    both = f"{knowledge_digest}:{code}".encode("ascii")
    return f"{RULESET_SERIES}-{hashlib.sha256(both).hexdigest()[:8]}"


# --- Precomputed indices ----------------------------------------------------


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _phrases(regions: Iterable[str]) -> str:
    """'the low back, the sacrum and the buttock': in body order, top down."""
    words = [_PHRASE[code] for code in sorted(regions, key=_REGION_ORDER.__getitem__)]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _part(part: str) -> str:
    return f" ({part})" if part else ""


@dataclass(frozen=True, slots=True)
class _Explained:
    """What a muscle explains of a set of marked regions; cached, it depends on nothing else."""

    reasons: tuple[Fact, ...]
    primary: tuple[str, ...]
    spillover: tuple[str, ...]
    zones: int
    explains: tuple[str, ...]


class _Index:
    """Everything about one knowledge base that does not depend on the case."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.sources: dict[str, Source] = knowledge.sources
        self.ruleset = ruleset_version(knowledge.digest)
        muscles = knowledge.muscles
        order = {code: index for index, code in enumerate(muscles)}
        # Behaviour 13: equal scores go to the founding article's muscles, then
        # to the more common cause, then to the order of the knowledge file.
        self.tie_break = {
            muscle.code: index
            for index, muscle in enumerate(
                sorted(
                    muscles.values(),
                    key=lambda m: (not m.founding_article, -m.commonness.grade, order[m.code]),
                )
            )
        }
        # _rank packs the tie-break into 12 bits of its sort key.
        if len(muscles) >= 1 << 12:
            raise ValueError("the ranking handles at most 4095 muscles")
        self.region_sets = tuple(
            (muscle, frozenset(r.region for r in muscle.referrals)) for muscle in muscles.values()
        )
        self.signs = {
            muscle.code: tuple(
                (sign.symptom, self.fact(sign.text, sign.sources, sign.id))
                for sign in muscle.signs
                if sign.symptom is not None
            )
            for muscle in muscles.values()
        }
        self.hip_movers = tuple(
            (
                muscle,
                self.fact(
                    "Brought in through the quadratus lumborum: the hip feels stiff, and "
                    f"{muscle.moves_hip.text}",
                    muscle.moves_hip.sources,
                    muscle.moves_hip.id,
                ),
            )
            for muscle in muscles.values()
            if muscle.moves_hip is not None
        )
        self.internal = {
            muscle.code: self.fact(
                f"Refer to a pelvic-health physiotherapist: {muscle.internal_only.text}",
                muscle.internal_only.sources,
                muscle.internal_only.id,
            )
            for muscle in muscles.values()
            if muscle.internal_only is not None
        }
        self.belt_line = tuple(
            entry
            for muscle in muscles.values()
            if (entry := self._belt_line_entry(muscle)) is not None
        )
        self.cautions = {muscle.code: self._cautions(muscle) for muscle in muscles.values()}
        reasons = knowledge.reasons
        self.first = reasons["reason.quadratus_lumborum_first"].with_citations(self.sources)
        self.first_unmarked = reasons["reason.quadratus_lumborum_first_unmarked"].with_citations(
            self.sources
        )
        self.notes = {
            id: note.fact.with_citations(self.sources) for id, note in knowledge.notes.items()
        }
        self.case_notes = tuple(note for note in knowledge.notes.values() if note.when is not None)
        self.flag_order = {code: i for i, code in enumerate((*RED_FLAGS, *knowledge.derived_flags))}
        self._explained: dict[tuple[str, frozenset[str]], _Explained] = {}
        self._cautions_for: dict[frozenset[str], dict[str, tuple[CautionAdvice, ...]]] = {}
        self.rule_results: dict[
            tuple[frozenset[str], bool, frozenset[str]],
            tuple[dict[str, _Candidate], frozenset[str], tuple[str, ...]],
        ] = {}

    def cautions_for(self, reported: frozenset[str]) -> dict[str, tuple[CautionAdvice, ...]]:
        """Per muscle, the cautions of the reported codes (kept per set of codes)."""
        found = self._cautions_for.get(reported)
        if found is None:
            if len(self._cautions_for) >= 1024:
                self._cautions_for.clear()
            found = self._cautions_for[reported] = {
                code: advice
                for code, table in self.cautions.items()
                if (advice := tuple(a for c, a in table if c in reported))
            }
        return found

    def fact(self, text: str, sources: tuple[str, ...], id: str) -> Fact:
        return Fact(text, sources, id).with_citations(self.sources)

    def _belt_line_entry(
        self, muscle: Muscle
    ) -> tuple[Muscle, tuple[Fact, ...], tuple[Fact, ...]] | None:
        acute, chronic = [], []
        for pattern in muscle.patterns:
            regions = [
                r for r in (*pattern.primary, *pattern.spillover) if _ZONE[r] in BELT_LINE_ZONES
            ]
            if not regions:
                continue
            text = (
                f"Brought in by the combined approach (low back and gluteal pain as one "
                f"disorder): refers pain to {_phrases(regions)}{_part(pattern.part)}, "
                "not to the marked regions"
            )
            acute.append(self.fact(text, pattern.sources, pattern.id))
            chronic.append(
                self.fact(
                    f"{text}; the more so as the pain is chronic", pattern.sources, pattern.id
                )
            )
        if not acute:
            return None
        return muscle, tuple(acute), tuple(chronic)

    def _cautions(self, muscle: Muscle) -> tuple[tuple[str, CautionAdvice], ...]:
        found: dict[str, CautionAdvice] = {}
        for caution in self.knowledge.cautions:
            if caution.code not in found and caution.tags & muscle.worked.tags:
                found[caution.code] = CautionAdvice(
                    caution.code, caution.message, caution.forbids, caution.id
                )
        # Those that forbid the work first, then in the order of the knowledge file.
        ordered = sorted(found.values(), key=lambda advice: not advice.forbids)
        return tuple((advice.code, advice) for advice in ordered)

    def explained(self, muscle: Muscle, regions: frozenset[str]) -> _Explained:
        key = (muscle.code, regions)
        found = self._explained.get(key)
        if found is None:
            found = self._explained[key] = self._explain(muscle, regions)
        return found

    def _explain(self, muscle: Muscle, regions: frozenset[str]) -> _Explained:
        reasons = []
        for pattern in muscle.patterns:
            primary = [r for r in pattern.primary if r in regions]
            spillover = [r for r in pattern.spillover if r in regions]
            part = _part(pattern.part)
            if not primary and not spillover:
                continue
            if not primary:
                text = (
                    f"Can refer pain to {_phrases(spillover)}{part}, where the client marked "
                    "pain, when its trigger points are more irritable"
                )
            elif not spillover:
                text = (
                    f"Usually refers pain to {_phrases(primary)}{part}, "
                    "where the client marked pain"
                )
            else:
                text = (
                    f"Usually refers pain to {_phrases(primary)}, and sometimes to "
                    f"{_phrases(spillover)}{part}, where the client marked pain"
                )
            reasons.append(self.fact(text, pattern.sources, pattern.id))
        return _Explained(
            reasons=tuple(reasons),
            primary=tuple(r for r in muscle.primary_regions if r in regions),
            spillover=tuple(r for r in muscle.spillover_regions if r in regions),
            zones=len({_ZONE[r] for r in regions}),
            explains=tuple(sorted(regions)),
        )


_INDEXES: dict[Knowledge, _Index] = {}
_INDEXES_KEPT = 8


def _index(knowledge: Knowledge | None) -> _Index:
    knowledge = knowledge or KNOWLEDGE
    found = _INDEXES.get(knowledge)
    if found is None:
        if len(_INDEXES) >= _INDEXES_KEPT:  # copies loaded to try a change
            for other in [k for k in _INDEXES if k is not KNOWLEDGE]:
                del _INDEXES[other]
        found = _INDEXES[knowledge] = _Index(knowledge)
    return found


# --- Working state ----------------------------------------------------------

_LEFT, _RIGHT = 1, 2
_BIT = {"left": _LEFT, "right": _RIGHT}
_SIDE_BITS = {side: sum(_BIT[s] for s in covered_sides(side)) for side in SIDES}
_SIDES_OF_BITS = {0: (), _LEFT: ("left",), _RIGHT: ("right",), _LEFT | _RIGHT: ("left", "right")}


class _Candidate:
    """A muscle under consideration while the rules run."""

    __slots__ = (
        "muscle",
        "explained",
        "combined",
        "hip",
        "first",
        "signs",
        "reasons",
        "group",
        "internal",
        "tie",
        "points",
        "score",
    )

    def __init__(self, muscle: Muscle) -> None:
        self.muscle = muscle
        self.explained: _Explained | None = None  # the marked regions it refers pain to
        self.combined = False  # brought in by the combined approach alone
        self.hip = False  # suggested as a hip mover
        self.first = False
        self.signs = 0  # reported symptoms that fit it
        self.reasons: list[Fact] | tuple[Fact, ...] = []

    def settle(self, index: _Index, chronic: bool) -> None:
        """After the rules: fix what the ranking reads, so the result can be reused.

        ``score`` is the whole score of a muscle brought in; for one that
        explains marked regions, ``points`` are those that do not depend on
        the intensities (see ``_scores``).
        """
        code = self.muscle.code
        self.reasons = tuple(self.reasons)
        explained = self.explained
        if explained is not None:
            self.score = None
            self.points = _S["zone_points"] * explained.zones + _S["sign_points"] * (
                self.signs + self.hip
            )
        else:
            score = _S["brought_in_base"] + _S["brought_in_sign"] * self.signs
            if self.combined:
                score += _S["combined_chronic"] if chronic else _S["combined_acute"]
            if self.hip:
                score += _S["hip_mover"]
            self.score = min(score, _S["brought_in_ceiling"])
        if self.explained is not None:
            self.group = "explains"
        else:
            self.group = "approach" if self.combined else "hip_mover"
        self.internal = code in index.internal
        self.tie = index.tie_break[code]


class _Work:
    """One case while the rules run: the case, summaries of it, and the candidates."""

    __slots__ = (
        "case",
        "index",
        "symptoms",
        "regions",
        "zones",
        "weights",
        "side_bits",
        "candidates",
        "matched",
        "notes",
    )

    def __init__(self, case: Case, index: _Index) -> None:
        self.case = case
        self.index = index
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
        self.notes: list[str] = []  # ids of notes the rules ask for

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
        explained = work.index.explained
        for muscle, regions in work.index.region_sets:
            hit = regions & marked
            if hit:
                candidate = work.candidate(muscle)
                candidate.explained = explained(muscle, hit)
                candidate.reasons.extend(candidate.explained.reasons)


class CombinedApproach:
    """Behaviours 2 and 4: low back or gluteal pain brings in every muscle of both zones."""

    def apply(self, work: _Work) -> None:
        if not work.zones & BELT_LINE_ZONES:
            return
        chronic = work.case.chronic
        candidates = work.candidates
        for muscle, acute_reasons, chronic_reasons in work.index.belt_line:
            if muscle.code not in candidates:
                candidate = work.candidate(muscle)
                candidate.combined = True
                candidate.reasons.extend(chronic_reasons if chronic else acute_reasons)


class HipMovers:
    """Behaviour 6: a stiff hip with the quadratus lumborum in play brings in the hip movers."""

    def apply(self, work: _Work) -> None:
        if "hip_stiffness" not in work.symptoms or QUADRATUS_LUMBORUM not in work.candidates:
            return
        work.matched.add("hip_stiffness")
        work.notes.append("note.hip_movers")
        for muscle, reason in work.index.hip_movers:
            candidate = work.candidate(muscle)
            candidate.hip = True
            candidate.reasons.append(reason)


class Aggravation:
    """Behaviour 3: a reported symptom that fits a candidate explains more of the case."""

    def apply(self, work: _Work) -> None:
        symptoms = work.symptoms
        if not symptoms:
            return
        signs = work.index.signs
        for code, candidate in work.candidates.items():
            for symptom, reason in signs[code]:
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
            index = work.index
            candidate.reasons.append(index.first if candidate.explained else index.first_unmarked)


class InternalWork:
    """Behaviour 9: a muscle reached only internally comes with a referral, and comes last."""

    def apply(self, work: _Work) -> None:
        internal = work.index.internal
        found = False
        for code, candidate in work.candidates.items():
            reason = internal.get(code)
            if reason is not None:
                candidate.reasons.append(reason)
                found = True
        if found:
            work.notes.append("note.internal_last")


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
    """Each candidate with its score in hundredths; see SCORING and ``_Candidate.settle``."""
    weights = work.weights
    full_marks = _full_marks(work)
    primary_points, spillover_points = _S["primary_points"], _S["spillover_points"]
    floor, twice_span = _S["explains_floor"], 2 * _S["explains_span"]
    scored = []
    for candidate in work.candidates.values():
        score = candidate.score
        if score is None:
            explained = candidate.explained
            points = candidate.points
            for region in explained.primary:
                points += primary_points * weights[region]
            for region in explained.spillover:
                points += spillover_points * weights[region]
            # Integer rounding, half up: exact, so equal explanations tie exactly.
            score = floor + (twice_span * points + full_marks) // (2 * full_marks)
        scored.append((score, candidate))
    return scored


_MOST = 100  # the highest score, in hundredths
_first = itemgetter(0)


def _rank(work: _Work, reported: frozenset[str]) -> tuple[SuggestedMuscle, ...]:
    if not work.candidates:
        return ()
    scored = _scores(work)
    top = max(score for score, _ in scored)
    # The quadratus lumborum's signs first; then the muscles the therapist can
    # treat, then those reached only internally; each by score (hundredths, at
    # most 100) and tie-break. Packed into one whole number, unique per muscle
    # because the tie-break is, so the sort compares numbers only.
    ranked = sorted(
        (
            (
                (not c.first) << 24
                | c.internal << 23
                | (_MOST - (top if c.first else score)) << 12
                | c.tie,
                top if c.first else score,
                c,
            )
            for score, c in scored
        ),
        key=_first,
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
    cautions = work.index.cautions_for(reported)
    result = []
    for rank, (_, score, c) in enumerate(ranked, start=1):
        explained = c.explained
        if explained is not None:
            bits = 0
            for region in explained.explains:
                bits |= side_bits[region]
            explains = explained.explains
        else:
            bits = belt_line_bits if c.combined else hip_bits
            explains = ()
        result.append(
            SuggestedMuscle(
                c.muscle.code,
                c.muscle.name,
                rank,
                score / 100,
                _SIDES_OF_BITS[bits],
                explains,
                c.reasons,
                c.group,
                cautions.get(c.muscle.code, ()),
            )
        )
    return tuple(result)


def _red_flags(case: Case, work: _Work) -> tuple[RedFlagAdvice, ...]:
    """Reported flags, raised by the combinations that hold, and the derived flags."""
    index = work.index
    knowledge = index.knowledge
    flags = {code: (RED_FLAGS[code].urgency, RED_FLAGS[code].message) for code in case.red_flags}
    facts = {
        "red_flags": frozenset(case.red_flags),
        "precautions": frozenset(case.precautions),
        "regions": work.regions,
        "age": case.age,
        "weeks": case.duration_weeks,
    }
    if flags:
        for combination in knowledge.combinations:
            if combination.when.holds(**facts):
                rank = URGENCY_ORDER[combination.urgency]
                for code in combination.flags & flags.keys():
                    if rank < URGENCY_ORDER[flags[code][0]]:
                        flags[code] = (combination.urgency, combination.message)
    for code, derived in knowledge.derived_flags.items():
        if derived.when.holds(**facts):
            flags[code] = (derived.urgency, derived.message)
    for note in index.case_notes:
        if note.when.holds(**facts):
            work.notes.append(note.fact.id)
    order = index.flag_order
    return tuple(
        RedFlagAdvice(code, urgency, message)
        for code, (urgency, message) in sorted(
            flags.items(), key=lambda item: (URGENCY_ORDER[item[1][0]], order[item[0]])
        )
    )


_URGENCY_NOTES = {"emergency": "note.emergency", "urgent": "note.urgent", "refer": "note.refer"}


def _notes(work: _Work, red_flags: tuple[RedFlagAdvice, ...], suggested: bool) -> tuple[Fact, ...]:
    ids = []
    if red_flags:
        ids.append(_URGENCY_NOTES[red_flags[0].urgency])
    ids.extend(id for id in work.notes if id not in ("note.hip_movers", "note.internal_last"))
    if work.case.pain:
        if work.zones & BELT_LINE_ZONES:
            ids.append("note.combined")
            if work.case.chronic:
                ids.append("note.chronic")
        else:
            ids.append("note.outside")
    if "note.hip_movers" in work.notes:
        ids.append("note.hip_movers")
    if work.symptoms & NERVE_SYMPTOMS:
        ids.append("note.nerve")
    if "note.internal_last" in work.notes:
        ids.append("note.internal_last")
    if suggested:
        ids.append("note.not_a_diagnosis")
    notes = work.index.notes
    return tuple(notes[id] for id in ids)


# --- The entry point ----------------------------------------------------------

RULESET = _index(None).ruleset


_RULE_RESULTS_KEPT = 4096


def _apply_rules(work: _Work) -> None:
    """Run ``RULES``; what they find depends only on the marked regions, chronicity and
    symptoms, so it is kept per index and reused (read-only) for the next such case."""
    index = work.index
    key = (work.regions, work.case.chronic, work.symptoms)
    done = index.rule_results.get(key)
    if done is None:
        for rule in RULES:
            rule.apply(work)
        for candidate in work.candidates.values():
            candidate.settle(index, work.case.chronic)
        if len(index.rule_results) >= _RULE_RESULTS_KEPT:
            index.rule_results.clear()
        index.rule_results[key] = (work.candidates, frozenset(work.matched), tuple(work.notes))
    else:
        candidates, matched, notes = done
        work.candidates = candidates
        work.matched = set(matched)
        work.notes = list(notes)


def muscle_cautions(
    muscle: str, reported: Iterable[str], knowledge: Knowledge | None = None
) -> tuple[CautionAdvice, ...]:
    """The cautions of ``muscle`` for the ``reported`` precaution and red flag codes.

    For a muscle the therapist adds to a plan by hand, which no suggestion
    carries (the plan editor asks for a written reason when one forbids)::

        >>> [(c.code, c.forbids) for c in muscle_cautions("iliopsoas", ["pregnancy"])]
        [('pregnancy', True)]
    """
    return _index(knowledge).cautions_for(frozenset(reported)).get(muscle, ())


def flag_label(code: str, knowledge: Knowledge | None = None) -> str:
    """The label of a red flag, reported or derived (``under_16``); the code if unknown."""
    flag = RED_FLAGS.get(code)
    if flag is not None:
        return flag.label
    derived = (knowledge or KNOWLEDGE).derived_flags.get(code)
    return derived.label if derived is not None else code


def suggest(case: Mapping[str, object], *, knowledge: Knowledge | None = None) -> Suggestion:
    """Rank and explain the muscles to assess for ``case`` (the contract's input).

    ``knowledge`` is another knowledge base (``load_knowledge``); the default
    is ``knowledge.toml``. Raises ``RulesInputError`` (a ``ValueError``)
    naming the field and the value when the input is not valid, and nothing
    else.
    """
    checked = read_case(case)
    index = _index(knowledge)
    work = _Work(checked, index)
    _apply_rules(work)
    red_flags = _red_flags(checked, work)
    reported = frozenset(checked.precautions) | frozenset(checked.red_flags)
    suggestions = _rank(work, reported)
    notes = _notes(work, red_flags, bool(suggestions))
    return Suggestion(
        ruleset=index.ruleset,
        zones=tuple(sorted(work.zones)),
        chronic=checked.chronic,
        combined_approach=bool(work.zones & BELT_LINE_ZONES),
        refer_out=bool(red_flags),
        red_flags=red_flags,
        precautions=tuple(
            PrecautionAdvice(code, PRECAUTIONS[code].message) for code in checked.precautions
        ),
        notes=notes,
        suggestions=suggestions,
    )
