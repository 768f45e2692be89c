import pytest
from django.urls import reverse

from intake.models import Finding, Intake, PlanMuscle, TreatmentPlan
from tests.factories import make_client, make_submitted


@pytest.fixture
def intake(db):
    return make_submitted(
        make_client(legal_name="Ann Archer"),
        treatment_areas=["buttocks"],
        pain=[("buttock", "left", 6), ("low_back", "center", 5)],
        symptoms=["worse_upright"],
    )


def edit_url(intake):
    return reverse("intake:plan_edit", args=[intake.pk])


def plan_data(plan, include=(), sides=None, order=None, **extra):
    data = {"revision": plan.revision, "techniques": "", "pressure": "", "home_care": ""}
    for row in plan.muscles.all():
        data[f"order-{row.muscle}"] = (order or {}).get(row.muscle, row.position)
        if row.muscle in include:
            data[f"include-{row.muscle}"] = "on"
            data[f"sides-{row.muscle}"] = (sides or {}).get(row.muscle, ["left"])
    data.update(extra)
    return data


def test_a_plan_starts_from_the_suggestions_undecided(client, tara, intake):
    client.force_login(tara)
    response = client.get(edit_url(intake))
    plan = TreatmentPlan.objects.get(intake=intake)
    suggested = [item["muscle"] for item in intake.suggestion["suggestions"]]
    assert [row.muscle for row in plan.muscles.order_by("position")] == suggested
    assert not plan.muscles.filter(included=True).exists()
    assert response.status_code == 200
    assert "Quadratus lumborum" in response.content.decode()


def test_accept_reject_add_order_save_and_approve(client, tara, intake):
    client.force_login(tara)
    client.get(edit_url(intake))
    plan = TreatmentPlan.objects.get(intake=intake)
    data = plan_data(
        plan,
        include=["quadratus_lumborum", "gluteus_medius", "piriformis"],
        sides={"quadratus_lumborum": ["left", "right"]},
        order={"piriformis": 0},
        add_muscle="tensor_fasciae_latae",
        add_sides=["left"],
        techniques="Ischaemic compression, then stretch.",
        pressure="Moderate",
        home_care="Tennis ball on the buttock, twice a day.",
    )
    response = client.post(edit_url(intake), {**data, "approve": "1"})
    assert response.url == reverse("intake:plan_detail", args=[plan.pk])

    plan.refresh_from_db()
    assert plan.is_approved and plan.approved_by == tara and plan.approved_at
    planned = [(m.muscle, m.sides, m.origin) for m in plan.planned_muscles()]
    assert planned[0] == ("piriformis", ["left"], "suggested")
    assert ("quadratus_lumborum", ["left", "right"], "suggested") in planned
    assert planned[-1] == ("tensor_fasciae_latae", ["left"], "added")
    assert len(planned) == 4
    rejected = PlanMuscle.objects.filter(plan=plan, included=False)
    assert rejected.exists()  # kept, as evidence of what was not planned
    assert plan.home_care.startswith("Tennis ball")
    intake.refresh_from_db()
    assert intake.status == Intake.Status.REVIEWED

    page = client.get(response.url).content.decode()
    assert "Piriformis" in page and "Tensor fasciae latae" in page and "Tennis ball" in page


def test_save_draft_keeps_it_a_draft(client, tara, intake):
    client.force_login(tara)
    client.get(edit_url(intake))
    plan = TreatmentPlan.objects.get(intake=intake)
    response = client.post(edit_url(intake), plan_data(plan, include=["quadratus_lumborum"]))
    assert response.url == edit_url(intake)
    plan.refresh_from_db()
    assert not plan.is_approved and plan.revision == 1
    assert Intake.objects.get(pk=intake.pk).status == Intake.Status.SUBMITTED


def test_a_muscle_in_an_area_without_consent_is_refused(client, tara, db):
    intake = make_submitted(make_client(), treatment_areas=[])
    client.force_login(tara)
    client.get(edit_url(intake))
    plan = TreatmentPlan.objects.get(intake=intake)
    response = client.post(edit_url(intake), plan_data(plan, include=["gluteus_maximus"]))
    assert response.status_code == 200
    error = response.context["form"].non_field_errors()[0]
    assert "Gluteus maximus" in error and "buttocks" in error and "not agreed" in error
    assert not PlanMuscle.objects.filter(plan=plan, included=True).exists()


def test_an_added_muscle_without_consent_is_refused_too(client, tara, intake):
    client.force_login(tara)
    client.get(edit_url(intake))
    plan = TreatmentPlan.objects.get(intake=intake)
    response = client.post(
        edit_url(intake), plan_data(plan, add_muscle="adductor_longus", add_sides=["right"])
    )
    assert "inner thigh and groin" in response.context["form"].non_field_errors()[0]


def test_internal_only_muscles_are_refused_with_a_referral(client, tara, intake):
    client.force_login(tara)
    client.get(edit_url(intake))
    plan = TreatmentPlan.objects.get(intake=intake)
    plan.muscles.filter(muscle="levator_ani").delete()
    response = client.post(
        edit_url(intake), plan_data(plan, add_muscle="levator_ani", add_sides=["left"])
    )
    assert "pelvic-health physiotherapist" in response.context["form"].non_field_errors()[0]


def test_a_planned_muscle_needs_a_side(client, tara, intake):
    client.force_login(tara)
    client.get(edit_url(intake))
    plan = TreatmentPlan.objects.get(intake=intake)
    data = plan_data(plan, include=["quadratus_lumborum"], sides={"quadratus_lumborum": []})
    response = client.post(edit_url(intake), data)
    assert "side" in response.context["form"].non_field_errors()[0]


def test_the_later_of_two_saves_is_refused(client, tara, theo, adam, intake):
    client.force_login(tara)
    client.get(edit_url(intake))
    plan = TreatmentPlan.objects.get(intake=intake)
    loaded_by_tara = plan_data(plan, include=["quadratus_lumborum"], techniques="Tara's")
    loaded_by_adam = plan_data(plan, include=["piriformis"], techniques="Adam's")

    assert client.post(edit_url(intake), loaded_by_tara).status_code == 302
    client.force_login(adam)
    response = client.post(edit_url(intake), loaded_by_adam)
    assert response.status_code == 200
    assert "Someone else saved this plan" in response.context["form"].non_field_errors()[0]
    assert "Adam&#x27;s" in response.content.decode()  # their typing is kept on the page
    plan.refresh_from_db()
    assert plan.techniques == "Tara's"
    assert [m.muscle for m in plan.planned_muscles()] == ["quadratus_lumborum"]


def approved_plan(client, intake, by) -> TreatmentPlan:
    client.force_login(by)
    client.get(edit_url(intake))
    plan = TreatmentPlan.objects.get(intake=intake)
    data = plan_data(plan, include=["quadratus_lumborum"], techniques="First")
    client.post(edit_url(intake), {**data, "approve": "1"})
    plan.refresh_from_db()
    return plan


def test_editing_an_approved_plan_makes_a_new_version(client, tara, intake):
    first = approved_plan(client, intake, tara)
    assert client.get(edit_url(intake)).url == reverse("intake:plan_detail", args=[first.pk])

    response = client.post(reverse("intake:plan_revise", args=[first.pk]))
    assert response.url == edit_url(intake)
    second = intake.current_plan()
    assert second.version == 2 and not second.is_approved
    assert [m.muscle for m in second.planned_muscles()] == ["quadratus_lumborum"]

    data = plan_data(second, include=["piriformis"], techniques="Second")
    client.post(edit_url(intake), {**data, "approve": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.techniques == "First" and first.is_approved
    assert second.techniques == "Second" and second.is_approved
    old_page = client.get(reverse("intake:plan_detail", args=[first.pk])).content.decode()
    assert "This is an earlier version" in old_page and "First" in old_page


def test_only_the_latest_approved_version_can_be_revised(client, tara, intake):
    first = approved_plan(client, intake, tara)
    client.post(reverse("intake:plan_revise", args=[first.pk]))
    client.post(reverse("intake:plan_revise", args=[first.pk]))
    assert TreatmentPlan.objects.filter(intake=intake).count() == 2


def test_session_findings_are_recorded_and_shown(client, tara, intake):
    plan = approved_plan(client, intake, tara)
    planned = plan.planned_muscles()[0]
    prefix = f"m{planned.pk}"
    response = client.post(
        reverse("intake:finding_add", args=[planned.pk]),
        {
            f"{prefix}-trigger_point": "active",
            f"{prefix}-referral_reproduced": "True",
            f"{prefix}-treated": "False",
        },
    )
    assert response.url.endswith(f"#muscle-{planned.pk}")
    finding = Finding.objects.get()
    assert (finding.trigger_point, finding.referral_reproduced, finding.treated) == (
        "active",
        True,
        False,
    )
    assert finding.recorded_by == tara
    page = client.get(reverse("intake:plan_detail", args=[plan.pk])).content.decode()
    assert "trigger point active; referral reproduced; not treated" in page


def test_incomplete_findings_are_refused_with_a_message(client, tara, intake):
    plan = approved_plan(client, intake, tara)
    planned = plan.planned_muscles()[0]
    response = client.post(
        reverse("intake:finding_add", args=[planned.pk]),
        {f"m{planned.pk}-trigger_point": "active"},
        follow=True,
    )
    assert "Please answer all three" in response.content.decode()
    assert not Finding.objects.exists()


def test_another_therapists_client_plan_is_out_of_reach(client, tara, theo, intake):
    intake.client.assigned_therapist = tara
    intake.client.save()
    plan = approved_plan(client, intake, tara)
    client.force_login(theo)
    assert client.get(reverse("intake:plan_detail", args=[plan.pk])).status_code == 404
    assert client.get(edit_url(intake)).status_code == 404
    planned = plan.planned_muscles()[0]
    assert client.post(reverse("intake:finding_add", args=[planned.pk])).status_code == 404
    assert client.post(reverse("intake:plan_revise", args=[plan.pk])).status_code == 404
