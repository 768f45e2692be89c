"""How often therapists accept what the rules suggest, and what they then find.

Counted over the newest approved version of each intake's plan of massage (a referral
plans no muscles, so it says nothing about the suggestions), in two SQL aggregates
whatever the number of plans:

- per muscle and rule group (the suggestion's ``group``: explains, approach,
  hip_mover; ``added`` for a muscle the therapist added by hand): how often it was
  suggested, accepted, rejected or added, and, once planned, examined at a session
  and found with an active or latent trigger point, or with its referral reproduced
  (at any session: a muscle found active once and latent later counts in both);
- top-k acceptance: of the muscles ranked 1 to k in the suggestion, the share the
  therapist accepted (k = 3 and 5).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from intake.models import PlanMuscle, TreatmentPlan

GROUPS = ("explains", "approach", "hip_mover", "added")
GROUP_LABELS = {
    "explains": "Explains a marked region",
    "approach": "Combined approach",
    "hip_mover": "Hip mover",
    "added": "Added by hand",
}
TOP_K = (3, 5)
COUNTS = (
    "suggested",
    "accepted",
    "rejected",
    "added",
    "planned",
    "examined",
    "active",
    "latent",
    "reproduced",
)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Tally:
    """The counts of one muscle, one rule group, or one muscle in one group."""

    suggested: int = 0
    accepted: int = 0
    rejected: int = 0
    added: int = 0
    planned: int = 0
    examined: int = 0
    active: int = 0
    latent: int = 0
    reproduced: int = 0

    def add(self, other: "Tally") -> None:
        for name in COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def acceptance(self) -> float | None:
        return _share(self.accepted, self.suggested)

    @property
    def found(self) -> float | None:
        """Of the planned muscles examined, the share found active or latent."""
        return _share(self.active + self.latent, self.examined) if self.examined else None


@dataclass
class MuscleFigures:
    muscle: str
    name: str
    total: Tally = field(default_factory=Tally)
    by_group: dict[str, Tally] = field(default_factory=dict)


@dataclass
class Figures:
    plans: int
    top_k: dict[int, tuple[int, int]]  # k -> (accepted, suggested)
    muscles: list[MuscleFigures]
    groups: dict[str, Tally]

    def top_k_share(self, k: int) -> float | None:
        accepted, suggested = self.top_k[k]
        return _share(accepted, suggested)

    @property
    def most_added(self) -> list[MuscleFigures]:
        """Muscles therapists added by hand, most often first: candidates for the rules."""
        added = [m for m in self.muscles if m.total.added]
        return sorted(added, key=lambda m: (-m.total.added, m.name))


def plan_muscles(ruleset: str = "", since: date | None = None, until: date | None = None):
    """The muscle rows of the plans counted, filtered by ruleset and approval date."""
    plans = TreatmentPlan.objects.latest_approved().filter(outcome=TreatmentPlan.Outcome.TREAT)
    if ruleset:
        plans = plans.filter(intake__ruleset=ruleset)
    if since:
        plans = plans.filter(approved_at__date__gte=since)
    if until:
        plans = plans.filter(approved_at__date__lte=until)
    return PlanMuscle.objects.filter(plan__in=plans.values("pk"))


def _counts() -> dict:
    suggested = Q(origin=PlanMuscle.Origin.SUGGESTED)
    planned = Q(included=True)

    def count(condition: Q) -> Count:
        # Distinct rows: the join to findings repeats a muscle once per session.
        return Count("pk", distinct=True, filter=condition)

    return {
        "suggested": count(suggested),
        "accepted": count(suggested & planned),
        "rejected": count(suggested & Q(included=False)),
        "added": count(Q(origin=PlanMuscle.Origin.ADDED) & planned),
        "planned": count(planned),
        "examined": count(planned & Q(findings__isnull=False)),
        "active": count(planned & Q(findings__trigger_point="active")),
        "latent": count(planned & Q(findings__trigger_point="latent")),
        "reproduced": count(planned & Q(findings__referral_reproduced=True)),
    }


def compute(ruleset: str = "", since: date | None = None, until: date | None = None) -> Figures:
    """The figures, in two queries."""
    from intake.rules.knowledge import MUSCLES

    rows = plan_muscles(ruleset, since, until)
    by_muscle: dict[str, MuscleFigures] = {}
    groups = {group: Tally() for group in GROUPS}
    for row in rows.values("muscle", "suggested_group").annotate(**_counts()).order_by():
        group = row["suggested_group"] or "added"
        tally = Tally(**{name: row[name] for name in COUNTS})
        muscle = row["muscle"]
        known = MUSCLES.get(muscle)
        figures = by_muscle.setdefault(
            muscle, MuscleFigures(muscle, known.name if known else muscle.replace("_", " "))
        )
        figures.total.add(tally)
        figures.by_group.setdefault(group, Tally()).add(tally)
        groups.setdefault(group, Tally()).add(tally)

    ranked = Q(origin=PlanMuscle.Origin.SUGGESTED)
    totals = rows.aggregate(
        plans=Count("plan", distinct=True),
        **{f"top{k}": Count("pk", filter=ranked & Q(suggested_rank__lte=k)) for k in TOP_K},
        **{
            f"top{k}_accepted": Count("pk", filter=ranked & Q(suggested_rank__lte=k, included=True))
            for k in TOP_K
        },
    )
    muscles = sorted(
        by_muscle.values(), key=lambda m: (-(m.total.suggested + m.total.added), m.name)
    )
    return Figures(
        plans=totals["plans"],
        top_k={k: (totals[f"top{k}_accepted"], totals[f"top{k}"]) for k in TOP_K},
        muscles=muscles,
        groups=groups,
    )


CSV_COLUMNS = ["muscle", "name", "group", *COUNTS]


def csv_rows(figures: Figures) -> list[list]:
    """One row per muscle and group, then one per muscle across groups ("all")."""
    rows = []
    for muscle in figures.muscles:
        for group in GROUPS:
            tally = muscle.by_group.get(group)
            if tally is not None:
                rows.append(
                    [muscle.muscle, muscle.name, group, *(getattr(tally, n) for n in COUNTS)]
                )
        rows.append(
            [muscle.muscle, muscle.name, "all", *(getattr(muscle.total, n) for n in COUNTS)]
        )
    return rows
