"""The agreement figures against a small clinic counted by hand, and their query count."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreement.figures import compute
from intake.models import Finding, Intake, PlanMuscle, TreatmentPlan
from tests.conftest import signed_in
from tests.factories import make_client, make_submitted

APPROVED = "approved"


def make_plan(intake, tara, rows, *, status=APPROVED, version=1, outcome="treat", when=None):
    """rows: (muscle, rank or None for added, group, included, [findings])."""
    plan = TreatmentPlan.objects.create(
        intake=intake,
        version=version,
        status=status,
        outcome=outcome,
        outcome_reason="Referred to the GP." if outcome == "referred" else "",
        approved_by=tara if status == APPROVED else None,
        approved_at=(when or datetime(2026, 6, 1, 12, tzinfo=UTC)) if status == APPROVED else None,
    )
    for position, (muscle, rank, group, included, findings) in enumerate(rows):
        row = PlanMuscle.objects.create(
            plan=plan,
            muscle=muscle,
            sides=["left"],
            position=position,
            included=included,
            origin="added" if rank is None else "suggested",
            suggested_rank=rank,
            suggested_group=group,
        )
        for trigger_point, reproduced in findings:
            Finding.objects.create(
                plan_muscle=row,
                trigger_point=trigger_point,
                referral_reproduced=reproduced,
                treated=True,
                recorded_by=tara,
            )
    return plan


def an_intake(name="Walk In"):
    return make_submitted(make_client(legal_name=name), precautions=[])


@pytest.fixture
def clinic(tara):
    """The small clinic of the hand count in the module's tests."""
    one, two, three, four, five = (an_intake(f"Client {n}") for n in range(1, 6))
    make_plan(
        one,
        tara,
        [
            ("quadratus_lumborum", 1, "explains", True, [("active", True)]),
            ("gluteus_medius", 2, "explains", True, [("latent", False), ("latent", False)]),
            ("piriformis", 3, "approach", False, []),
            ("iliopsoas", 4, "hip_mover", True, []),
            ("tensor_fasciae_latae", None, "", True, [("active", False)]),
        ],
        when=datetime(2026, 1, 10, 12, tzinfo=UTC),
    )
    make_plan(
        two,
        tara,
        [
            ("quadratus_lumborum", 1, "explains", False, []),
            ("gluteus_medius", 2, "approach", True, [("none", False)]),
            ("piriformis", 3, "approach", True, [("active", False), ("latent", False)]),
            ("gluteus_minimus", 6, "explains", True, []),
            ("tensor_fasciae_latae", None, "", True, []),
        ],
    )
    # A draft counts for nothing.
    make_plan(three, tara, [("quadratus_lumborum", 1, "explains", True, [])], status="draft")
    # Only the newest approved version of a plan counts.
    make_plan(four, tara, [("piriformis", 1, "explains", True, [])], version=1)
    make_plan(four, tara, [("piriformis", 1, "explains", False, [])], version=2)
    # A referral plans no massage: it says nothing about the suggestions.
    make_plan(five, tara, [("quadratus_lumborum", 1, "explains", False, [])], outcome="referred")
    Intake.objects.filter(pk=two.pk).update(ruleset="2026.1-oldrules")
    return {"one": one, "two": two}


def counts(tally):
    return {
        name: getattr(tally, name)
        for name in [
            "suggested",
            "accepted",
            "rejected",
            "added",
            "planned",
            "examined",
            "active",
            "latent",
            "reproduced",
        ]
    }


def zero(**given):
    base = dict.fromkeys(
        [
            "suggested",
            "accepted",
            "rejected",
            "added",
            "planned",
            "examined",
            "active",
            "latent",
            "reproduced",
        ],
        0,
    )
    return {**base, **given}


def test_the_figures_match_the_hand_count(clinic):
    figures = compute()
    assert figures.plans == 3
    by_muscle = {m.muscle: m for m in figures.muscles}
    assert counts(by_muscle["quadratus_lumborum"].total) == zero(
        suggested=2, accepted=1, rejected=1, planned=1, examined=1, active=1, reproduced=1
    )
    # Two sessions found it latent: one muscle found latent.
    assert counts(by_muscle["gluteus_medius"].total) == zero(
        suggested=2, accepted=2, planned=2, examined=2, latent=1
    )
    assert counts(by_muscle["gluteus_medius"].by_group["explains"]) == zero(
        suggested=1, accepted=1, planned=1, examined=1, latent=1
    )
    assert counts(by_muscle["gluteus_medius"].by_group["approach"]) == zero(
        suggested=1, accepted=1, planned=1, examined=1
    )
    assert counts(by_muscle["piriformis"].total) == zero(
        suggested=3, accepted=1, rejected=2, planned=1, examined=1, active=1, latent=1
    )
    assert counts(by_muscle["iliopsoas"].total) == zero(suggested=1, accepted=1, planned=1)
    assert counts(by_muscle["tensor_fasciae_latae"].total) == zero(
        added=2, planned=2, examined=1, active=1
    )
    assert counts(by_muscle["gluteus_minimus"].total) == zero(suggested=1, accepted=1, planned=1)

    assert counts(figures.groups["explains"])["suggested"] == 5
    assert counts(figures.groups["explains"])["accepted"] == 3
    assert counts(figures.groups["approach"])["suggested"] == 3
    assert counts(figures.groups["approach"])["accepted"] == 2
    assert counts(figures.groups["hip_mover"])["accepted"] == 1
    assert counts(figures.groups["added"])["added"] == 2

    assert figures.top_k == {3: (4, 7), 5: (5, 8)}
    assert round(figures.top_k_share(3), 3) == 0.571
    assert [m.muscle for m in figures.most_added] == ["tensor_fasciae_latae"]


def test_filters_by_ruleset_and_date(clinic):
    old = compute(ruleset="2026.1-oldrules")
    assert old.plans == 1
    assert old.top_k[3] == (2, 3)
    january = compute(until=datetime(2026, 1, 31).date())
    assert january.plans == 1
    assert {m.muscle for m in january.muscles} == {
        "quadratus_lumborum",
        "gluteus_medius",
        "piriformis",
        "iliopsoas",
        "tensor_fasciae_latae",
    }
    assert compute(since=datetime(2026, 7, 1).date()).plans == 0


@pytest.mark.usefixtures("steady_session_clock")
def test_the_number_of_queries_does_not_grow_with_the_plans(clinic, tara):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            compute()
        return len(captured)

    small = queries()
    for n in range(20):
        make_plan(
            an_intake(f"More {n}"),
            tara,
            [
                ("quadratus_lumborum", 1, "explains", n % 2 == 0, [("active", True)]),
                ("gluteus_maximus", 2, "approach", True, [("latent", False)]),
                ("hamstrings", None, "", True, []),
            ],
        )
    assert compute().plans == 23
    assert queries() == small == 2


def test_the_page_and_the_csv(clinic, tara, alice):
    therapist = signed_in(tara)
    page = therapist.get(reverse("agreement:agreement")).content.decode()
    assert "57%" in page and "of the top 3 accepted (4 of 7)" in page
    assert "<svg" in page and 'class="accepted"' in page
    assert "style=" not in page
    assert "Client 1" not in page  # counts only, nobody's name
    csv = therapist.get(reverse("agreement:agreement_csv")).content.decode().splitlines()
    assert csv[0].startswith("muscle,name,group,suggested,accepted,rejected")
    assert "quadratus_lumborum,Quadratus lumborum,all,2,1,1,0,1,1,1,0,1" in csv
    assert signed_in(alice).get(reverse("agreement:agreement")).status_code == 403


@pytest.mark.usefixtures("steady_session_clock")
def test_the_page_takes_its_query_count_flat(clinic, tara):
    therapist = signed_in(tara)
    url = reverse("agreement:agreement")
    with CaptureQueriesContext(connection) as small:
        therapist.get(url)
    for n in range(10):
        make_plan(an_intake(f"More {n}"), tara, [("piriformis", 1, "explains", True, [])])
    with CaptureQueriesContext(connection) as large:
        therapist.get(url)
    assert len(large) == len(small)


def test_seed_demo_makes_enough_plans_for_the_page(db, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo")
    figures = compute()
    assert figures.plans >= 20
    assert figures.top_k[5][1] >= 60
    assert any(m.total.examined for m in figures.muscles)
    assert figures.most_added
    call_command("seed_demo")
    assert compute().plans == figures.plans
