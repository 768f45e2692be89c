"""Demo plans and session findings for the agreement page (`manage.py seed_demo`).

Walk-in clients (no account) with sent intakes, plans the demo therapists approved
from the suggestions (accepting most of the top of the list, rejecting some, adding a
muscle by hand now and then) and findings at a first session. The choices come from a
fixed seed, so the page shows the same figures every time; running it twice adds nothing.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from intake.models import Client, Finding, Intake, PainLocation, PlanMuscle, TreatmentPlan
from intake.rules.knowledge import MUSCLES

PREFIX = "Demo agreement client"
COUNT = 24
PATTERNS = [
    [("low_back", "left", 6), ("buttock", "left", 5)],
    [("buttock", "right", 7), ("hip", "right", 5)],
    [("low_back", "both", 6), ("sacral", "center", 4)],
    [("sacroiliac", "left", 6), ("thigh_back", "left", 3)],
    [("hip", "left", 6), ("thigh_side", "left", 5)],
    [("low_back", "right", 5), ("groin", "right", 4)],
]
SYMPTOMS = [["worse_upright"], ["worse_sitting"], ["worse_walking", "hip_stiffness"], []]
ADDED_BY_HAND = ["tensor_fasciae_latae", "hamstrings", "gluteus_maximus", "multifidus"]


@transaction.atomic
def seed_agreement_demo(therapists: list) -> int:
    """Make the demo plans once; the number of plans made (0 when they exist)."""
    if Client.objects.filter(legal_name__startswith=PREFIX).exists() or not therapists:
        return 0
    chance = random.Random(14)
    for number in range(1, COUNT + 1):
        therapist = therapists[number % len(therapists)]
        client = Client.objects.create(
            legal_name=f"{PREFIX} {number:02d}", assigned_therapist=therapist
        )
        intake = _sent_intake(client, number)
        _approved_plan(intake, therapist, chance, days_ago=3 * (COUNT - number))
    return COUNT


def _sent_intake(client: Client, number: int) -> Intake:
    intake = client.start_intake()
    intake.main_complaint = "Back and buttock pain (demo)."
    intake.pain_started_on = timezone.localdate() - timedelta(weeks=4 + number % 20)
    intake.symptoms = SYMPTOMS[number % len(SYMPTOMS)]
    intake.current_pain = intake.peg_pain = intake.peg_enjoyment = intake.peg_activity = 5
    intake.treatment_areas = ["buttocks", "inner_thigh_groin", "abdomen"]
    intake.steps_done = ["about", "health", "where", "pain", "safety", "goals"]
    intake.save()
    for region, side, intensity in PATTERNS[number % len(PATTERNS)]:
        PainLocation.objects.create(intake=intake, region=region, side=side, intensity=intensity)
    intake.submit(consent_name=client.legal_name)
    return intake


def _approved_plan(intake: Intake, therapist, chance: random.Random, days_ago: int) -> None:
    plan = TreatmentPlan.start_for(intake, by=therapist)
    rows = list(plan.muscles.order_by("suggested_rank"))
    treatable = [row for row in rows if not MUSCLES[row.muscle].internal_only]
    for row in treatable:
        # The top of the list is accepted more often than the rest.
        odds = 0.85 if row.suggested_rank <= 3 else 0.45 if row.suggested_rank <= 6 else 0.15
        row.included = chance.random() < odds
        row.sides = row.sides or ["left"]
        row.save(update_fields=["included", "sides"])
    listed = {row.muscle for row in rows}
    if chance.random() < 0.4:
        extra = chance.choice([m for m in ADDED_BY_HAND if m not in listed] or ADDED_BY_HAND)
        if extra not in listed:
            PlanMuscle.objects.create(
                plan=plan, muscle=extra, sides=["left"], position=99, origin="added"
            )
    if not plan.muscles.filter(included=True).exists():
        first = treatable[0]
        first.included = True
        first.save(update_fields=["included"])
    plan.approve(by=therapist)
    approved = timezone.now() - timedelta(days=days_ago)
    TreatmentPlan.objects.filter(pk=plan.pk).update(approved_at=approved)
    for row in plan.muscles.filter(included=True):
        found = chance.choices(["active", "latent", "none"], weights=[5, 3, 2])[0]
        Finding.objects.create(
            plan_muscle=row,
            trigger_point=found,
            referral_reproduced=found == "active" and chance.random() < 0.6,
            treated=found != "none",
            recorded_by=therapist,
        )
