"""Which muscles refer pain where: the reviewed knowledge base of the rules engine.

This is data, kept as a Python module rather than YAML or JSON because it is
typed (each row is a frozen dataclass an editor and a type checker can
follow), needs no parser dependency, imports in a few milliseconds,
and every change shows up as a readable line in a code review diff. Change it
like any code: one reviewed commit per clinical change. The ruleset version in
every result (``intake.rules.RULESET``) is a hash of this file's data, so a
change here is visible on every suggestion made afterwards.

Every fact carries the codes of its sources (see ``SOURCES``); the words are
our own summaries, never quotations. The founding article of the clinic is the
first source and wins where it is more specific than the reference books.

A muscle row reads like this::

    >>> from intake.rules.knowledge import MUSCLES
    >>> piriformis = MUSCLES["piriformis"]
    >>> piriformis.primary_regions
    ('sacroiliac', 'buttock', 'hip')
    >>> piriformis.spillover_regions
    ('thigh_back',)
    >>> piriformis.founding_article, piriformis.moves_hip is not None
    (True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from .codes import REGIONS

# How often a muscle is the cause of pain in its regions, for breaking ties.
COMMON = 3
OCCASIONAL = 2
UNCOMMON = 1


@dataclass(frozen=True, slots=True)
class Source:
    """A citation: ``short`` goes after a reason, ``citation`` in the source list."""

    code: str
    short: str
    citation: str


@dataclass(frozen=True, slots=True)
class Referral:
    """The muscle's trigger points refer pain to ``region``.

    ``primary`` is the essential zone most people feel; a spillover zone is
    felt only by some, when the trigger point is more irritable.
    """

    region: str
    primary: bool
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sign:
    """A sign or aggravating factor; ``symptom`` is the intake code it matches, if any.

    ``text`` is a sentence the therapist reads as a reason when the client
    reports ``symptom``.
    """

    text: str
    sources: tuple[str, ...]
    symptom: str | None = None


@dataclass(frozen=True, slots=True)
class Fact:
    """A sentence in our own words and the codes of the sources behind it."""

    text: str
    sources: tuple[str, ...]

    def cited(self) -> str:
        """The sentence with its short citations, as the therapist reads it."""
        return f"{self.text} ({'; '.join(SOURCES[code].short for code in self.sources)})"


@dataclass(frozen=True, slots=True)
class Laterality:
    """Where the pain is felt relative to the trigger point: ``same`` side,
    near the ``midline``, or across ``both`` sides."""

    kind: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Commonness:
    """``COMMON``, ``OCCASIONAL`` or ``UNCOMMON`` as a cause of pain in its regions."""

    grade: int
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Muscle:
    """One muscle (or muscle group) whose trigger points refer pain.

    ``moves_hip`` says how it moves the hip joint (``None`` if it does not);
    ``internal_only`` is set when it can only be reached internally, so the
    client is referred rather than treated.
    """

    code: str
    name: str
    referrals: tuple[Referral, ...]
    laterality: Laterality
    signs: tuple[Sign, ...]
    commonness: Commonness
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


_TS1 = (
    "Simons DG, Travell JG, Simons LS. Myofascial Pain and Dysfunction: "
    "The Trigger Point Manual, vol. 1, 2nd ed. (1999)"
)
_TS2 = (
    "Travell JG, Simons DG. Myofascial Pain and Dysfunction: "
    "The Trigger Point Manual, vol. 2 (1992)"
)

SOURCES: dict[str, Source] = {
    s.code: s
    for s in (
        Source(
            "article",
            "founding article",
            "Trigger Point Therapy for Buttock or Gluteal Pain, the clinic's founding article",
        ),
        Source("ts2_ch4", "Travell & Simons, vol. 2 ch. 4", f"{_TS2}, ch. 4: quadratus lumborum"),
        Source("ts2_ch5", "Travell & Simons, vol. 2 ch. 5", f"{_TS2}, ch. 5: iliopsoas"),
        Source("ts2_ch6", "Travell & Simons, vol. 2 ch. 6", f"{_TS2}, ch. 6: pelvic floor muscles"),
        Source("ts2_ch7", "Travell & Simons, vol. 2 ch. 7", f"{_TS2}, ch. 7: gluteus maximus"),
        Source("ts2_ch8", "Travell & Simons, vol. 2 ch. 8", f"{_TS2}, ch. 8: gluteus medius"),
        Source("ts2_ch9", "Travell & Simons, vol. 2 ch. 9", f"{_TS2}, ch. 9: gluteus minimus"),
        Source(
            "ts2_ch10",
            "Travell & Simons, vol. 2 ch. 10",
            f"{_TS2}, ch. 10: piriformis and the other short lateral rotators",
        ),
        Source(
            "ts2_ch12", "Travell & Simons, vol. 2 ch. 12", f"{_TS2}, ch. 12: tensor fasciae latae"
        ),
        Source("ts2_ch15", "Travell & Simons, vol. 2 ch. 15", f"{_TS2}, ch. 15: adductor muscles"),
        Source("ts2_ch16", "Travell & Simons, vol. 2 ch. 16", f"{_TS2}, ch. 16: hamstrings"),
        Source("ts2_ch22", "Travell & Simons, vol. 2 ch. 22", f"{_TS2}, ch. 22: soleus"),
        Source(
            "ts1_ch47",
            "Travell & Simons, vol. 1 ch. 47",
            f"{_TS1}, ch. 47: serratus posterior inferior",
        ),
        Source(
            "ts1_ch48",
            "Travell & Simons, vol. 1 ch. 48",
            f"{_TS1}, ch. 48: thoracolumbar paraspinal muscles",
        ),
        Source("ts1_ch49", "Travell & Simons, vol. 1 ch. 49", f"{_TS1}, ch. 49: abdominal muscles"),
        Source(
            "symptom_checker",
            "symptom checker",
            "Symptom checker of the myofascial therapists' association, "
            "check.myofascialtherapy.org (a summary of Travell & Simons)",
        ),
        Source(
            "referral_patterns",
            "clinic referral notes",
            "The clinic's referral-pattern notes: regions to candidate muscles, "
            "after the pain guides of Travell & Simons; grades for clinical review",
        ),
        Source(
            "lucas_2009",
            "Lucas et al. 2009",
            "Lucas N, Macaskill P, Irwig L, Moran R, Bogduk N. Reliability of physical "
            "examination for diagnosis of myofascial trigger points. Clin J Pain 2009;25:80-89",
        ),
        Source(
            "finucane_2020",
            "Finucane et al. 2020",
            "Finucane LM et al. International framework for red flags for potential serious "
            "spinal pathologies. J Orthop Sports Phys Ther 2020;50(7):350-372",
        ),
        Source(
            "downie_2013",
            "Downie et al. 2013",
            "Downie A et al. Red flags to screen for malignancy and fracture in patients with "
            "low back pain: systematic review. BMJ 2013;347:f7095",
        ),
        Source(
            "nice_ng59",
            "NICE NG59",
            "NICE guideline NG59: Low back pain and sciatica in over 16s (2016, updated 2020)",
        ),
        Source(
            "nccih_massage",
            "NCCIH",
            "National Center for Complementary and Integrative Health: Massage therapy, "
            "what you need to know (safety)",
        ),
        Source(
            "mayo_massage",
            "Mayo Clinic",
            "Mayo Clinic: Massage: get in touch with its many benefits (risks of massage)",
        ),
        Source(
            "umn_taking_charge",
            "University of Minnesota",
            "University of Minnesota, Taking Charge of Your Health & Wellbeing: "
            "is massage safe for me?",
        ),
    )
}

ARTICLE = ("article",)


def _primary(region: str, *sources: str) -> Referral:
    return Referral(region, True, sources)


def _spillover(region: str, *sources: str) -> Referral:
    return Referral(region, False, sources)


# In the order of the clinic's referral notes: the founding article's five
# muscles first. This order is the last tie-break of the ranking.
_ROWS = (
    Muscle(
        code="quadratus_lumborum",
        name="Quadratus lumborum",
        referrals=(
            _primary("low_back", "article", "ts2_ch4"),
            _primary("sacroiliac", "ts2_ch4", "symptom_checker"),
            _primary("buttock", "article", "ts2_ch4"),
            _primary("hip", "article", "ts2_ch4"),
            _spillover("groin", "article", "ts2_ch4"),
            _spillover("lower_abdomen", "ts2_ch4", "symptom_checker"),
            _spillover("thigh_side", "ts2_ch4", "symptom_checker"),
        ),
        laterality=Laterality("same", ("ts2_ch4",)),
        signs=(
            Sign(
                "Severe pain whenever the trunk is upright is the founding article's hallmark "
                "of active trigger points in this muscle",
                ARTICLE,
                "worse_upright",
            ),
            Sign(
                "Propping the upper body on the arms to escape the pain is the founding "
                "article's other telltale sign of this muscle",
                ARTICLE,
                "braces_with_arms",
            ),
            Sign(
                "Turning over in bed and getting up are typically painful when its trigger "
                "points are active",
                ("ts2_ch4", "symptom_checker"),
                "worse_rising",
            ),
            Sign(
                "Coughing and sneezing jolt it, which is why they hurt",
                ("ts2_ch4", "symptom_checker"),
                "worse_cough_sneeze",
            ),
            Sign(
                "Up to four trigger points: the deep ones refer to the sacroiliac joint and "
                "the lower buttock, the superficial ones along the iliac crest, over the "
                "greater trochanter and into the groin",
                ("article", "ts2_ch4", "symptom_checker"),
            ),
            Sign(
                "The trigger points in the middle of the muscle do most to send pain into "
                "the buttock",
                ARTICLE,
            ),
        ),
        commonness=Commonness(COMMON, ("article", "referral_patterns")),
        founding_article=True,
    ),
    Muscle(
        code="gluteus_maximus",
        name="Gluteus maximus",
        # The founding article: the only muscle that refers pain to the
        # gluteal region alone. It wins over the reference book's occasional
        # spread to the back of the thigh, which is therefore not listed.
        referrals=(
            _primary("sacroiliac", "article", "ts2_ch7"),
            _primary("sacral", "article", "ts2_ch7"),
            _primary("buttock", "article", "ts2_ch7"),
            _primary("coccyx", "ts2_ch7"),
        ),
        laterality=Laterality("same", ("ts2_ch7",)),
        signs=(
            Sign(
                "Sitting, especially on a hard seat, loads its trigger points",
                ("ts2_ch7",),
                "worse_sitting",
            ),
            Sign(
                "Walking, most of all uphill and bent forward, makes it work against the pain",
                ("ts2_ch7",),
                "worse_walking",
            ),
            Sign("Front-crawl swimming can aggravate it", ("ts2_ch7",)),
            Sign("Its lowest fibres send pain to the tailbone", ("ts2_ch7",)),
        ),
        commonness=Commonness(COMMON, ("article", "referral_patterns")),
        founding_article=True,
        moves_hip=Fact("it extends the hip and turns it outward", ("ts2_ch7",)),
    ),
    Muscle(
        code="gluteus_medius",
        name="Gluteus medius",
        referrals=(
            _primary("low_back", "article", "ts2_ch8"),
            _primary("sacroiliac", "ts2_ch8", "symptom_checker"),
            _primary("sacral", "ts2_ch8"),
            _primary("buttock", "article", "ts2_ch8"),
            _spillover("thigh_back", "ts2_ch8"),
            _spillover("thigh_side", "ts2_ch8"),
        ),
        laterality=Laterality("same", ("ts2_ch8",)),
        signs=(
            Sign(
                "Walking loads it at every step and typically brings on its pain",
                ("ts2_ch8", "symptom_checker"),
                "worse_walking",
            ),
            Sign(
                "Lying on the painful side presses on its trigger points",
                ("ts2_ch8", "symptom_checker"),
                "worse_lying_on_side",
            ),
            Sign(
                "Slouched sitting aggravates it",
                ("ts2_ch8", "symptom_checker"),
                "worse_sitting",
            ),
            Sign(
                "Its pain runs along the belt-line at the back of the iliac crest",
                ("ts2_ch8", "symptom_checker"),
            ),
            Sign(
                "Standing on one leg, lying on the back or a wallet in the back pocket can "
                "aggravate it",
                ("ts2_ch8", "symptom_checker"),
            ),
        ),
        commonness=Commonness(COMMON, ("article", "referral_patterns")),
        founding_article=True,
        moves_hip=Fact("it moves the thigh out to the side and steadies the pelvis", ("ts2_ch8",)),
    ),
    Muscle(
        code="gluteus_minimus",
        name="Gluteus minimus",
        referrals=(
            _primary("buttock", "article", "ts2_ch9"),
            _primary("hip", "article", "ts2_ch9"),
            _primary("thigh_back", "ts2_ch9"),
            _primary("thigh_side", "ts2_ch9"),
            _primary("calf", "ts2_ch9"),
            _primary("leg_side", "ts2_ch9"),
        ),
        laterality=Laterality("same", ("ts2_ch9",)),
        signs=(
            Sign(
                "Its pain can shoot down the side or back of the leg like sciatica, "
                "and be severe and persistent",
                ("ts2_ch9",),
                "sharp_shooting",
            ),
            Sign(
                "Getting up from a chair is typically hard when it is involved",
                ("ts2_ch9",),
                "worse_rising",
            ),
            Sign("Walking can make the client limp", ("ts2_ch9",), "worse_walking"),
            Sign(
                "Lying on the painful side is often impossible",
                ("ts2_ch9",),
                "worse_lying_on_side",
            ),
        ),
        commonness=Commonness(COMMON, ("article", "referral_patterns")),
        founding_article=True,
        moves_hip=Fact(
            "it moves the thigh out to the side and turns it inward, and it is the hip muscle the "
            "quadratus lumborum most often drags in",
            ("ts2_ch9", "ts2_ch4"),
        ),
    ),
    Muscle(
        code="piriformis",
        name="Piriformis",
        referrals=(
            _primary("sacroiliac", "ts2_ch10"),
            _primary("buttock", "article", "ts2_ch10"),
            _primary("hip", "article", "ts2_ch10"),
            _spillover("thigh_back", "ts2_ch10"),
        ),
        laterality=Laterality("same", ("ts2_ch10",)),
        signs=(
            Sign("Long sitting typically aggravates it", ("ts2_ch10",), "worse_sitting"),
            Sign("Getting up after sitting is typically painful", ("ts2_ch10",), "worse_rising"),
            Sign(
                "It can press on the sciatic nerve and add numbness or tingling in the leg",
                ("ts2_ch10",),
                "numbness_tingling",
            ),
            Sign("Sitting with the legs crossed can aggravate it", ("ts2_ch10",)),
        ),
        commonness=Commonness(COMMON, ("article", "referral_patterns")),
        founding_article=True,
        moves_hip=Fact("it turns the hip outward", ("ts2_ch10",)),
    ),
    Muscle(
        code="iliopsoas",
        name="Iliopsoas",
        referrals=(
            _primary("low_back", "ts2_ch5"),
            _primary("sacroiliac", "ts2_ch5"),
            _spillover("groin", "ts2_ch5"),
            _spillover("thigh_front", "ts2_ch5"),
        ),
        laterality=Laterality("same", ("ts2_ch5",)),
        signs=(
            Sign(
                "Its pain is typically worse standing and eased by lying down",
                ("ts2_ch5",),
                "worse_upright",
            ),
            Sign(
                "Standing up straight after sitting or driving is typically hard",
                ("ts2_ch5",),
                "worse_rising",
            ),
            Sign("Its pain runs as a vertical band beside the lumbar spine", ("ts2_ch5",)),
        ),
        commonness=Commonness(OCCASIONAL, ("referral_patterns",)),
        moves_hip=Fact("it bends the hip", ("ts2_ch5",)),
    ),
    Muscle(
        code="iliocostalis_lumborum",
        name="Iliocostalis lumborum",
        referrals=(
            _primary("low_back", "ts1_ch48"),
            _primary("buttock", "ts1_ch48"),
        ),
        laterality=Laterality("same", ("ts1_ch48",)),
        signs=(
            Sign("Long sitting aggravates it", ("ts1_ch48",), "worse_sitting"),
            Sign("Bending and lifting strain it", ("ts1_ch48",)),
        ),
        commonness=Commonness(OCCASIONAL, ("referral_patterns",)),
    ),
    Muscle(
        code="longissimus_thoracis",
        name="Longissimus thoracis",
        referrals=(
            _primary("low_back", "ts1_ch48"),
            _primary("sacroiliac", "ts1_ch48"),
            _primary("buttock", "ts1_ch48"),
        ),
        laterality=Laterality("same", ("ts1_ch48",)),
        signs=(
            Sign(
                "Its trigger points sit high in the back but refer a long way down, "
                "to the lower buttock",
                ("ts1_ch48",),
            ),
        ),
        commonness=Commonness(OCCASIONAL, ("referral_patterns",)),
    ),
    Muscle(
        code="multifidus",
        name="Multifidus",
        referrals=(
            _primary("low_back", "ts1_ch48"),
            _primary("sacral", "ts1_ch48"),
            _primary("coccyx", "ts1_ch48"),
            _spillover("lower_abdomen", "ts1_ch48"),
        ),
        laterality=Laterality("midline", ("ts1_ch48",)),
        signs=(
            Sign("A deep, pinpoint ache beside the spine", ("ts1_ch48",)),
            Sign("Its level at the first sacral segment refers to the tailbone", ("ts1_ch48",)),
        ),
        commonness=Commonness(OCCASIONAL, ("referral_patterns",)),
    ),
    Muscle(
        code="rectus_abdominis",
        name="Rectus abdominis",
        referrals=(
            _primary("low_back", "ts1_ch49"),
            _primary("sacroiliac", "ts1_ch49"),
            _spillover("lower_abdomen", "ts1_ch49"),
        ),
        laterality=Laterality("both", ("ts1_ch49",)),
        signs=(
            Sign(
                "Its lower part refers a horizontal band across the low back on both sides",
                ("ts1_ch49",),
            ),
            Sign("Sit-ups and bending to lift aggravate it", ("ts1_ch49",)),
        ),
        commonness=Commonness(OCCASIONAL, ("referral_patterns",)),
    ),
    Muscle(
        code="serratus_posterior_inferior",
        name="Serratus posterior inferior",
        referrals=(_primary("thoracolumbar", "ts1_ch47"),),
        laterality=Laterality("same", ("ts1_ch47",)),
        signs=(
            Sign("Coughing aggravates it", ("ts1_ch47",), "worse_cough_sneeze"),
            Sign("Twisting while lifting strains it", ("ts1_ch47",)),
            Sign("Its ache over the lowest ribs can be mistaken for kidney pain", ("ts1_ch47",)),
        ),
        commonness=Commonness(OCCASIONAL, ("referral_patterns",)),
    ),
    Muscle(
        code="hamstrings",
        name="Hamstrings",
        referrals=(
            _primary("buttock", "ts2_ch16"),
            _primary("thigh_back", "ts2_ch16"),
            _spillover("calf", "ts2_ch16"),
        ),
        laterality=Laterality("same", ("ts2_ch16",)),
        signs=(
            Sign(
                "Sitting, above all on the edge of a chair, presses on them",
                ("ts2_ch16",),
                "worse_sitting",
            ),
            Sign("Walking aggravates them", ("ts2_ch16",), "worse_walking"),
            Sign(
                "Semitendinosus and semimembranosus refer to the gluteal fold and the back of "
                "the thigh",
                ("ts2_ch16",),
            ),
        ),
        commonness=Commonness(OCCASIONAL, ("referral_patterns",)),
        moves_hip=Fact("they extend the hip", ("ts2_ch16",)),
    ),
    Muscle(
        code="tensor_fasciae_latae",
        name="Tensor fasciae latae",
        referrals=(
            _primary("hip", "ts2_ch12"),
            _primary("thigh_side", "ts2_ch12"),
        ),
        laterality=Laterality("same", ("ts2_ch12",)),
        signs=(
            Sign(
                "Lying on the painful side is typically impossible",
                ("ts2_ch12",),
                "worse_lying_on_side",
            ),
            Sign(
                "Straightening up after sitting is typically painful",
                ("ts2_ch12",),
                "worse_rising",
            ),
            Sign("Its pain is easily mistaken for trochanteric bursitis", ("ts2_ch12",)),
        ),
        commonness=Commonness(OCCASIONAL, ("referral_patterns",)),
        moves_hip=Fact(
            "it bends the hip, moves the thigh out to the side and turns it inward", ("ts2_ch12",)
        ),
    ),
    Muscle(
        code="adductor_longus",
        name="Adductor longus",
        referrals=(
            _primary("groin", "ts2_ch15"),
            _primary("thigh_front", "ts2_ch15"),
        ),
        laterality=Laterality("same", ("ts2_ch15",)),
        signs=(
            Sign(
                "Its groin pain comes on with weight-bearing and sudden twists",
                ("ts2_ch15",),
                "worse_walking",
            ),
        ),
        commonness=Commonness(OCCASIONAL, ("referral_patterns",)),
        moves_hip=Fact("it draws the thigh inward", ("ts2_ch15",)),
    ),
    Muscle(
        code="adductor_magnus",
        name="Adductor magnus",
        referrals=(
            _primary("groin", "ts2_ch15"),
            _spillover("thigh_front", "ts2_ch15"),
        ),
        laterality=Laterality("same", ("ts2_ch15",)),
        signs=(
            Sign("It can cause deep pain inside the pelvis", ("ts2_ch15",)),
            Sign("Finding a comfortable position for the leg at night is hard", ("ts2_ch15",)),
        ),
        commonness=Commonness(UNCOMMON, ("referral_patterns",)),
        moves_hip=Fact("it draws the thigh inward and extends the hip", ("ts2_ch15",)),
    ),
    Muscle(
        code="levator_ani",
        name="Levator ani",
        referrals=(
            _primary("sacral", "ts2_ch6"),
            _primary("coccyx", "ts2_ch6"),
            _spillover("low_back", "ts2_ch6"),
        ),
        laterality=Laterality("midline", ("ts2_ch6",)),
        signs=(
            Sign("Sitting slumped aggravates it", ("ts2_ch6",), "worse_sitting"),
            Sign("Lying on the back can aggravate it", ("ts2_ch6",)),
        ),
        commonness=Commonness(UNCOMMON, ("referral_patterns",)),
        internal_only=Fact(
            "it is a pelvic floor muscle, reached only by internal work",
            ("ts2_ch6", "referral_patterns"),
        ),
    ),
    Muscle(
        code="coccygeus",
        name="Coccygeus",
        referrals=(
            _primary("coccyx", "ts2_ch6"),
            _primary("sacral", "ts2_ch6"),
            _spillover("low_back", "ts2_ch6"),
            _spillover("hip", "ts2_ch6"),
        ),
        laterality=Laterality("midline", ("ts2_ch6",)),
        signs=(
            Sign(
                "As with the levator ani, slumped sitting aggravates it",
                ("ts2_ch6",),
                "worse_sitting",
            ),
        ),
        commonness=Commonness(UNCOMMON, ("referral_patterns",)),
        internal_only=Fact(
            "it is a pelvic floor muscle, reached only by internal work",
            ("ts2_ch6", "referral_patterns"),
        ),
    ),
    Muscle(
        code="obturator_internus",
        name="Obturator internus",
        referrals=(
            _primary("coccyx", "ts2_ch6"),
            _spillover("thigh_back", "ts2_ch6"),
        ),
        laterality=Laterality("same", ("ts2_ch6",)),
        signs=(
            Sign(
                "Sitting is typically painful, sometimes with a feeling of fullness in the rectum",
                ("ts2_ch6",),
                "worse_sitting",
            ),
        ),
        commonness=Commonness(UNCOMMON, ("referral_patterns",)),
        moves_hip=Fact("it turns the hip outward", ("ts2_ch10",)),
        internal_only=Fact(
            "its trigger points are reached by internal work through the pelvic floor",
            ("ts2_ch6", "referral_patterns"),
        ),
    ),
    Muscle(
        code="soleus",
        name="Soleus",
        referrals=(
            _primary("calf", "ts2_ch22"),
            _spillover("sacroiliac", "ts2_ch22"),
        ),
        laterality=Laterality("same", ("ts2_ch22",)),
        signs=(
            Sign("It mostly causes heel pain", ("ts2_ch22",)),
            Sign("Its referral to the sacroiliac joint is rare", ("ts2_ch22",)),
        ),
        commonness=Commonness(UNCOMMON, ("ts2_ch22", "referral_patterns")),
    ),
)

MUSCLES: dict[str, Muscle] = {m.code: m for m in _ROWS}

# The founding article: referred pain from the quadratus lumborum can
# activate trigger points in the muscles that move the hip (``moves_hip``).
HIP_ACTIVATION = Fact(
    "referred pain from the quadratus lumborum can wake trigger points in the muscles that "
    "move the hip",
    ("article", "ts2_ch4"),
)

# Messages for the therapist that belong to no one muscle.
NOTES: dict[str, Fact] = {
    "emergency": Fact(
        "Emergency first: a reported red flag calls for same-day emergency care, not treatment; "
        "the suggestions are kept for the record only",
        ("finucane_2020", "nice_ng59"),
    ),
    "refer": Fact(
        "Refer first: a reported red flag means a physician should see the client before any "
        "treatment; the suggestions are kept for the record",
        ("finucane_2020", "nice_ng59"),
    ),
    "combined": Fact(
        "Low back and gluteal pain are treated as one disorder: every muscle that refers pain to "
        "either zone is a candidate, and those that refer pain to a marked region come first",
        ("article",),
    ),
    "chronic": Fact(
        "The pain is chronic (12 weeks or more), which strengthens the combined approach: "
        "trigger point activity spreads to other muscles over time",
        ("article",),
    ),
    "outside": Fact(
        "No low back or gluteal pain was marked, so the combined approach does not apply: "
        "only muscles that refer pain to the marked regions are suggested",
        ("article",),
    ),
    "nerve": Fact(
        "Sharp shooting pain, numbness or tingling can come from an irritated nerve rather than "
        "a trigger point: refer if it spreads, grows worse or comes with weakness",
        ("finucane_2020", "nice_ng59"),
    ),
    "not_a_diagnosis": Fact(
        "These are muscles to assess, not a diagnosis: examiners often disagree about where "
        "trigger points are",
        ("lucas_2009",),
    ),
}
