"""The codes of the suggestion contract, with the words people see.

Codes are stable identifiers shared by the intake form, the body map, the
therapist screens and the rules engine; labels may change, codes may not.
Every table is a dict from code to a frozen dataclass, in the order of
``rules-contract.md`` (top of the body first), so it can feed form choices
directly::

    >>> from intake.rules.codes import REGIONS, choices, region_sides
    >>> REGIONS["buttock"].zone
    'gluteal'
    >>> region_sides("coccyx")
    ('center',)
    >>> choices(REGIONS)[0]
    ('thoracolumbar', 'Lowest ribs and upper lumbar spine')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

Urgency = Literal["emergency", "urgent", "refer"]


@dataclass(frozen=True, slots=True)
class Zone:
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class Side:
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class Region:
    """A place on the body map.

    ``zone`` groups regions the way the founding article does (the belt-line
    divides ``low_back`` from ``gluteal``); ``sides`` are the side codes the
    region may take, in the order a form should offer them.
    """

    code: str
    label: str
    where: str
    zone: str
    sides: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Symptom:
    """Something that makes the pain worse or colours it.

    ``label`` is for therapists, ``client_label`` is the plain-words
    statement a client ticks on the intake form.
    """

    code: str
    label: str
    client_label: str


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A sign that a physician must see the client before any treatment.

    ``question`` is a yes/no question for the intake form; ``message`` is
    what the therapist reads when it is answered yes.
    """

    code: str
    label: str
    question: str
    urgency: Urgency
    message: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Precaution:
    """A reason to treat with care: ``message`` tells the therapist how to adapt."""

    code: str
    label: str
    question: str
    message: str
    sources: tuple[str, ...]


class _Coded(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def label(self) -> str: ...


_Row = TypeVar("_Row", bound=_Coded)


def _table(*rows: _Row) -> dict[str, _Row]:
    return {row.code: row for row in rows}


ZONES: dict[str, Zone] = _table(
    Zone("low_back", "Low back"),
    Zone("gluteal", "Gluteal"),
    Zone("hip", "Hip"),
    Zone("groin", "Groin"),
    Zone("abdomen", "Abdomen"),
    Zone("thigh", "Thigh"),
    Zone("leg", "Lower leg"),
)

# The founding article's two zones, treated as one disorder.
BELT_LINE_ZONES: frozenset[str] = frozenset({"low_back", "gluteal"})

SIDES: dict[str, Side] = _table(
    Side("left", "Left"),
    Side("right", "Right"),
    Side("both", "Both sides"),
    Side("center", "Middle"),
)

_PAIRED = ("left", "right", "both")
_MIDLINE = ("center", "left", "right", "both")


def expand_sides(side: str) -> tuple[str, ...]:
    """The sides one marked side stands for: "both" is the left and the right; any other
    side is itself (the middle, "center", is a place of its own on the body map).

    >>> expand_sides("both"), expand_sides("left"), expand_sides("center")
    (('left', 'right'), ('left',), ('center',))
    """
    return ("left", "right") if side == "both" else (side,)


def covered_sides(side: str) -> tuple[str, ...]:
    """The left and right a marked side covers, for paired muscles and for clashing
    entries: "both" and the middle cover the left and the right (a pain on the midline
    can come from the muscles of either side).

    >>> covered_sides("center"), covered_sides("both"), covered_sides("right")
    (('left', 'right'), ('left', 'right'), ('right',))
    """
    return expand_sides("both") if side == "center" else expand_sides(side)


REGIONS: dict[str, Region] = _table(
    Region(
        "thoracolumbar",
        "Lowest ribs and upper lumbar spine",
        "lowest ribs to the top of the lumbar spine",
        "low_back",
        _MIDLINE,
    ),
    Region(
        "low_back",
        "Low back",
        "lumbar spine and beside it, down to and along the belt-line",
        "low_back",
        _MIDLINE,
    ),
    Region("sacral", "Sacrum", "the sacrum, below the belt-line", "gluteal", _MIDLINE),
    Region("sacroiliac", "Sacroiliac joint", "over the sacroiliac joint", "gluteal", _PAIRED),
    Region("buttock", "Buttock", "the buttock", "gluteal", _PAIRED),
    Region("coccyx", "Tailbone", "the tailbone", "gluteal", ("center",)),
    Region(
        "hip",
        "Outside of the hip",
        "outside of the hip, over the greater trochanter",
        "hip",
        _PAIRED,
    ),
    Region("groin", "Groin", "the groin", "groin", _PAIRED),
    Region("lower_abdomen", "Lower abdomen", "lower abdomen, above the groin", "abdomen", _MIDLINE),
    Region("thigh_back", "Back of the thigh", "back of the thigh", "thigh", _PAIRED),
    Region("thigh_side", "Outside of the thigh", "outside of the thigh", "thigh", _PAIRED),
    Region("thigh_front", "Front of the thigh", "front of the thigh", "thigh", _PAIRED),
    Region("calf", "Calf", "back of the lower leg", "leg", _PAIRED),
    Region("leg_side", "Outside of the lower leg", "outside of the lower leg", "leg", _PAIRED),
)

SYMPTOMS: dict[str, Symptom] = _table(
    Symptom(
        "worse_upright",
        "Severe pain with the trunk upright",
        "The pain is severe when I stand or sit up straight",
    ),
    Symptom(
        "braces_with_arms",
        "Braces the trunk with the arms",
        "I lean on my arms or prop myself up to ease the pain",
    ),
    Symptom("hip_stiffness", "Stiff hip", "My hip feels stiff or does not move freely"),
    Symptom(
        "sharp_shooting", "Sharp, shooting pain", "The pain is sharp, like a bolt of lightning"
    ),
    Symptom("worse_sitting", "Worse sitting", "The pain builds up when I sit"),
    Symptom(
        "worse_lying_on_side", "Cannot lie on the painful side", "I cannot lie on the painful side"
    ),
    Symptom("worse_walking", "Worse walking", "Walking makes it worse"),
    Symptom(
        "worse_rising",
        "Hurts to rise or turn in bed",
        "Getting up from a chair or turning over in bed hurts",
    ),
    Symptom("worse_cough_sneeze", "Worse coughing or sneezing", "It hurts when I cough or sneeze"),
    Symptom(
        "numbness_tingling",
        "Numbness or tingling in the leg",
        "I have numbness or pins and needles in my leg",
    ),
)

# Short names of the red flag and precaution sources; the full citations are
# in ``intake.rules.knowledge.SOURCES`` (the knowledge file).
_RED_FLAG_SOURCES = ("finucane_2020", "nice_ng59")

# The words every urgency level ends on, for therapists (the client's words
# are in URGENCIES below).
_EMERGENCY = "now: go to an emergency department, no treatment."
_REFER = "refer to a doctor before any treatment."

RED_FLAGS: dict[str, RedFlag] = _table(
    RedFlag(
        "saddle_numbness",
        "Saddle numbness",
        "Is there numbness around your genitals, back passage, buttocks or inner thighs?",
        "emergency",
        f"Numbness in the saddle area can be a sign of cauda equina syndrome: {_EMERGENCY}",
        _RED_FLAG_SOURCES,
    ),
    RedFlag(
        "bladder_bowel_change",
        "New bladder or bowel trouble",
        "Do you have new trouble passing or holding urine or stool?",
        "emergency",
        f"New bladder or bowel trouble can be a sign of cauda equina syndrome: {_EMERGENCY}",
        _RED_FLAG_SOURCES,
    ),
    RedFlag(
        "both_legs",
        "Numbness or weakness in both legs",
        "Do you have numbness or weakness in both legs?",
        "emergency",
        f"Numbness or weakness in both legs can be a sign of cauda equina syndrome: {_EMERGENCY}",
        _RED_FLAG_SOURCES,
    ),
    RedFlag(
        "leg_weakness",
        "Worsening leg weakness",
        "Is a leg getting weaker (the foot drops or the leg gives way)?",
        "emergency",
        f"Leg weakness that is getting worse points to a nerve under pressure: {_EMERGENCY}",
        _RED_FLAG_SOURCES,
    ),
    RedFlag(
        "pulsating_abdomen",
        "Pulsing in the belly or tearing pain",
        "Do you feel a pulsing or a lump in your belly, or have you had sudden, severe, "
        "tearing pain in your back or belly?",
        "emergency",
        "A pulsing lump in the belly or sudden tearing pain in the back or belly can be an "
        f"abdominal aortic aneurysm: {_EMERGENCY} No pressure on the abdomen.",
        ("nice_ng156", "finucane_2020"),
    ),
    RedFlag(
        "fever_unwell",
        "Fever or feeling unwell",
        "Do you have a fever or chills, or feel generally unwell, with the back pain?",
        "refer",
        f"Fever or feeling unwell with back pain can mean an infection: {_REFER}",
        _RED_FLAG_SOURCES,
    ),
    RedFlag(
        "weight_loss",
        "Unexplained weight loss",
        "Have you lost weight without knowing why?",
        "refer",
        f"Unexplained weight loss with back pain needs a doctor's assessment: {_REFER}",
        _RED_FLAG_SOURCES,
    ),
    RedFlag(
        "cancer_history",
        "History of cancer",
        "Have you ever had cancer?",
        "refer",
        "A history of cancer is the strongest single warning sign of a serious cause of back "
        f"pain: {_REFER}",
        ("downie_2013", *_RED_FLAG_SOURCES),
    ),
    RedFlag(
        "major_trauma",
        "Began with an injury",
        "Did the pain begin with a fall, an accident or another significant injury?",
        "refer",
        f"Pain that began with a significant injury may hide a fracture: {_REFER}",
        ("downie_2013", *_RED_FLAG_SOURCES),
    ),
    RedFlag(
        "night_pain",
        "Constant night pain",
        "Is the pain constant at night, whatever position you rest in?",
        "refer",
        f"Constant night pain that rest does not ease is not typical of muscle pain: {_REFER}",
        _RED_FLAG_SOURCES,
    ),
    RedFlag(
        "steroid_use",
        "Long-term steroid tablets",
        "Have you taken steroid tablets for a long time?",
        "refer",
        f"Long-term steroid use weakens bone and raises the risk of fracture: {_REFER}",
        ("downie_2013", *_RED_FLAG_SOURCES),
    ),
    RedFlag(
        "immunosuppressed",
        "Weakened immune system",
        "Is your immune system weakened (by illness or medicine), or do you inject drugs?",
        "refer",
        "A weakened immune system or injecting drugs raises the risk of a spinal infection: "
        f"{_REFER}",
        _RED_FLAG_SOURCES,
    ),
)

_MASSAGE_SAFETY = ("nccih_massage", "mayo_massage")

PRECAUTIONS: dict[str, Precaution] = _table(
    Precaution(
        "anticoagulants",
        "Blood thinners or bleeding disorder",
        "Do you take blood thinners, or do you have a bleeding disorder?",
        "Light pressure only: no deep stripping or sustained trigger point compression, "
        "which can bruise, and no deep pressure through the abdomen.",
        ("umn_taking_charge", "nccih_massage"),
    ),
    Precaution(
        "recent_surgery",
        "Surgery in the last 3 months",
        "Have you had surgery in the last 3 months?",
        "Keep away from the operation site and ask whether the surgeon has cleared "
        "massage before working deeply nearby; clots are more likely in the weeks after surgery.",
        _MASSAGE_SAFETY,
    ),
    Precaution(
        "dvt_history",
        "History of a blood clot",
        "Have you ever had a blood clot (deep vein thrombosis)?",
        "No massage of a leg that is swollen, warm, red or painful in the calf (refer the "
        "same day); otherwise light pressure on the legs, and ask about current treatment.",
        ("nice_ng158", *_MASSAGE_SAFETY),
    ),
    Precaution(
        "pregnancy",
        "Pregnancy",
        "Are you pregnant?",
        "Work side-lying or well supported, with no deep pressure on the abdomen and none on "
        "the calves; ask about complications and the midwife's or doctor's advice.",
        _MASSAGE_SAFETY,
    ),
    Precaution(
        "osteoporosis",
        "Osteoporosis",
        "Do you have osteoporosis or fragile bones?",
        "Gentle pressure only, never forceful over the spine, ribs or hips, "
        "and take care when the client changes position.",
        ("umn_taking_charge", *_MASSAGE_SAFETY),
    ),
    Precaution(
        "skin_condition",
        "Rash, wound or infection",
        "Do you have a rash, wound or infection where it hurts?",
        "Do not work on the rash, wound or infection: work around it, or postpone "
        "if it is spreading.",
        _MASSAGE_SAFETY,
    ),
    Precaution(
        "heart_condition",
        "Uncontrolled heart condition or blood pressure",
        "Do you have heart disease, or high blood pressure that is not under control?",
        "Ask for the doctor's clearance first; then a shorter, gentler session, "
        "without positions that strain the client.",
        _MASSAGE_SAFETY,
    ),
    Precaution(
        "bone_metastases",
        "Cancer that has spread to the bones",
        "Has a cancer spread to your bones (bone metastases)?",
        "No pressure over any bone that may be affected: ask which bones, and get the "
        "oncology team's agreement before deep work; light touch elsewhere.",
        ("umn_taking_charge", "werner_2019"),
    ),
    Precaution(
        "peripheral_neuropathy",
        "Reduced feeling in the feet or legs",
        "Do you have reduced feeling in your feet or legs (peripheral neuropathy)?",
        "The client may not feel when pressure is too much: light, even pressure on the "
        "legs and feet, no heat, and check the skin afterwards.",
        ("werner_2019",),
    ),
    Precaution(
        "hip_replacement",
        "Hip replacement",
        "Have you had a hip replacement?",
        "Keep to the surgeon's movement limits when positioning or stretching the hip, "
        "and no deep pressure over the scar; ask which side and when.",
        ("werner_2019",),
    ),
    Precaution(
        "varicose_veins",
        "Varicose veins",
        "Do you have varicose veins?",
        "No deep pressure or stripping over varicose veins: work around them with light pressure.",
        ("werner_2019", "mayo_massage"),
    ),
    Precaution(
        "lymphoedema",
        "Lymphoedema",
        "Do you have lymphoedema (long-lasting swelling of a leg or arm)?",
        "No deep work on a swollen limb or the groin beside it: gentle lymphatic "
        "techniques only, from a trained therapist; ask which limb.",
        ("werner_2019",),
    ),
    Precaution(
        "hernia",
        "Hernia",
        "Do you have a hernia (in the belly, navel or groin)?",
        "No pressure on or near the hernia, and no deep abdominal work unless the doctor "
        "has cleared it; ask where it is.",
        ("werner_2019",),
    ),
)

URGENCY_ORDER: dict[str, int] = {"emergency": 0, "urgent": 1, "refer": 2}


@dataclass(frozen=True, slots=True)
class UrgencyLevel:
    """What an urgency level means: ``meaning`` for therapists, ``advice`` for the client.

    ``advice`` may hold ``{emergency_number}``, filled in by ``client_advice``.
    """

    code: str
    label: str
    meaning: str
    heading: str
    advice: str


URGENCIES: dict[str, UrgencyLevel] = _table(
    UrgencyLevel(
        "emergency",
        "Emergency",
        "now: go to an emergency department",
        "Go to an emergency department now",
        "Please go to an emergency department now. Some of your answers can be signs of a "
        "condition that needs a doctor straight away, so do not wait for your appointment. "
        "If you cannot get there safely, call {emergency_number}.",
    ),
    UrgencyLevel(
        "urgent",
        "Urgent",
        "a doctor today, at the latest within 24 hours",
        "See a doctor today",
        "Please see a doctor today, at the latest within 24 hours, before any treatment. "
        "Some of your answers together need a doctor's check soon. If you cannot reach your "
        "own doctor today, go to an urgent care centre.",
    ),
    UrgencyLevel(
        "refer",
        "Refer",
        "a doctor before any treatment",
        "See a doctor before treatment",
        "Please see a doctor before any treatment at the clinic. Some of your answers mean "
        "a doctor should check you first; your therapist will talk this through with you.",
    ),
)

# Said to every client, whatever they answered.
SAFETY_NET_INTRO = (
    "Go to an emergency department straight away, or call {emergency_number}, if any of "
    "these start:"
)
SAFETY_NET_SIGNS: tuple[str, ...] = (
    "numbness around your genitals, back passage, buttocks or inner thighs",
    "new trouble passing or holding urine or stool",
    "numbness or weakness in both legs, or a leg that is getting weaker",
    "a pulsing lump in your belly, or sudden, severe, tearing pain in your back or belly",
    "a calf that becomes swollen, warm, red or painful, with sudden breathlessness or chest pain",
    "a high fever with severe back pain, or feeling very unwell",
)
# Used when the clinic has not set its emergency number.
NO_EMERGENCY_NUMBER = "your local emergency number"


@dataclass(frozen=True, slots=True)
class ClientAdvice:
    """Words for the client: a ``heading``, the ``text`` and, for the safety net, ``signs``."""

    urgency: str
    heading: str
    text: str
    signs: tuple[str, ...] = ()


def client_advice(urgency: str, emergency_number: str | None = None) -> ClientAdvice:
    """What the client reads for the urgency the rules returned (``suggestion.urgency``).

    ``emergency_number`` is the clinic's, when it has set one::

        >>> client_advice("emergency", "112").text.endswith("call 112.")
        True
        >>> client_advice("urgent").heading
        'See a doctor today'
    """
    level = URGENCIES[urgency]
    number = emergency_number or NO_EMERGENCY_NUMBER
    return ClientAdvice(level.code, level.heading, level.advice.format(emergency_number=number))


def safety_net(emergency_number: str | None = None) -> ClientAdvice:
    """The advice every client gets: which new symptoms mean going to emergency care."""
    number = emergency_number or NO_EMERGENCY_NUMBER
    return ClientAdvice(
        "",
        "When to get emergency help",
        SAFETY_NET_INTRO.format(emergency_number=number),
        SAFETY_NET_SIGNS,
    )


def region_sides(code: str) -> tuple[str, ...]:
    """The side codes ``code`` may take, e.g. ``('center',)`` for the coccyx."""
    return REGIONS[code].sides


def region_zone(code: str) -> str:
    """The zone code of region ``code``, e.g. ``'gluteal'`` for the buttock."""
    return REGIONS[code].zone


def choices(table: Mapping[str, _Coded]) -> list[tuple[str, str]]:
    """``(code, label)`` pairs in table order, for Django form choices."""
    return [(code, row.label) for code, row in table.items()]
