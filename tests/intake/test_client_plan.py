from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import Finding, PlanMuscle, TreatmentPlan
from tests.factories import make_client, make_submitted


def plan_url(plan) -> str:
    return reverse("intake:client_plan", args=[plan.pk])


def make_plan(intake, by, muscles, **notes) -> TreatmentPlan:
    plan = TreatmentPlan.start_for(intake, by=by)
    plan.muscles.update(included=False)
    for position, (code, sides) in enumerate(muscles):
        PlanMuscle.objects.update_or_create(
            plan=plan,
            muscle=code,
            defaults={"sides": sides, "position": position, "included": True},
        )
    for name, value in notes.items():
        setattr(plan, name, value)
    plan.save()
    return plan


@pytest.fixture
def intake(alice, tara):
    return make_submitted(make_client(alice, legal_name="Alice Archer", assigned_therapist=tara))


@pytest.fixture
def plan(intake, tara):
    plan = make_plan(
        intake,
        tara,
        [("piriformis", ["left"]), ("quadratus_lumborum", ["both"])],
        techniques="Slow pressure on tender spots, then a gentle stretch.",
        pressure="Light to start.",
        home_care="Lie on a tennis ball for two minutes a day.",
    )
    plan.approve(by=tara)
    return plan


def test_the_client_reads_their_approved_plan_in_plain_words(client, alice, tara, plan):
    rejected = plan.muscles.filter(included=False).first()
    Finding.objects.create(
        plan_muscle=plan.muscles.get(muscle="piriformis"),
        trigger_point=Finding.TriggerPoint.ACTIVE,
        referral_reproduced=True,
        treated=True,
        recorded_by=tara,
    )
    client.force_login(alice)
    response = client.get(plan_url(plan))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Piriformis") < page.index("Quadratus lumborum")
    assert "Both sides" in page and "Left" in page
    assert "Slow pressure on tender spots" in page
    assert "Light to start." in page
    assert "tennis ball" in page
    assert "Tara Therapist" in page
    assert plan.approved_at.strftime("%Y") in page
    assert rejected is not None and rejected.name not in page
    suggestion = plan.intake.suggestion["suggestions"][0]
    hidden_words = ["score", "rank", "trigger point", "referral"]
    for hidden in [*suggestion["reasons"], *suggestion["sources"], *hidden_words]:
        assert hidden.lower() not in page.lower(), hidden


def test_an_older_version_points_to_the_latest(client, alice, tara, plan):
    newer = plan.new_version(by=tara)
    newer.approve(by=tara)
    client.force_login(alice)
    page = client.get(plan_url(plan)).content.decode()
    assert "updated this plan" in page and plan_url(newer) in page
    assert "updated this plan" not in client.get(plan_url(newer)).content.decode()


def test_a_draft_plan_is_not_found(client, alice, tara, plan):
    draft = plan.new_version(by=tara)
    client.force_login(alice)
    assert client.get(plan_url(draft)).status_code == 404


def test_another_clients_plan_is_not_found(client, bob, plan):
    client.force_login(bob)
    assert client.get(plan_url(plan)).status_code == 404


def test_who_may_not(client, tara, plan):
    assert client.get(plan_url(plan)).url.startswith(reverse("login"))
    client.force_login(tara)
    assert client.get(plan_url(plan)).status_code == 403


def test_wrong_method(client, alice, plan):
    client.force_login(alice)
    assert client.post(plan_url(plan)).status_code == 405


def test_the_query_count_does_not_grow_with_the_muscles(
    client, alice, tara, intake, django_assert_max_num_queries
):
    few = make_plan(intake, tara, [("piriformis", ["left"])])
    few.approve(by=tara)
    client.force_login(alice)
    with django_assert_max_num_queries(10) as captured:
        client.get(plan_url(few))
    count = len(captured)

    second = make_submitted(intake.client)
    many = TreatmentPlan.start_for(second, by=tara)
    many.muscles.update(included=True, caution_reason="Agreed with the client's doctor.")
    many.approve(by=tara)
    assert many.muscles.count() > 3
    with django_assert_max_num_queries(count):
        client.get(plan_url(many))


def test_home_lists_the_latest_approved_plan_of_each_intake(client, alice, tara, intake, plan):
    later = make_submitted(intake.client)
    second = make_plan(later, tara, [("gluteus_medius", ["right"])])
    second.approve(by=tara)
    newer = plan.new_version(by=tara)
    newer.approve(by=tara)
    newer.new_version(by=tara)  # a draft the client must not see
    TreatmentPlan.objects.filter(pk=second.pk).update(
        approved_at=timezone.now() + timedelta(minutes=5)
    )

    client.force_login(alice)
    response = client.get(reverse("intake:client_home"))
    assert [p.pk for p in response.context["approved_plans"]] == [second.pk, newer.pk]
    page = response.content.decode()
    assert "Your treatment plans" in page
    assert plan_url(second) in page and plan_url(newer) in page
    assert plan_url(plan) not in page


def test_home_says_when_no_plan_is_ready_yet(client, alice, intake):
    client.force_login(alice)
    page = client.get(reverse("intake:client_home")).content.decode()
    assert "Your treatment plans" in page
    assert "once they have read your intake" in page


def test_home_without_intakes_has_no_plans_section(client, alice):
    client.force_login(alice)
    assert "Your treatment plans" not in client.get(reverse("intake:client_home")).content.decode()


def test_the_view_is_on_the_access_log(client, alice, plan):
    from intake.models import AccessEvent

    client.force_login(alice)
    client.get(plan_url(plan))
    event = AccessEvent.objects.get()
    assert (event.actor, event.object_id, event.action) == (alice, plan.pk, "view")


def test_an_earlier_version_points_the_client_to_the_latest_plan(client, alice, plan, tara):
    client.force_login(alice)
    assert "updated this plan since" not in client.get(plan_url(plan)).content.decode()
    newer = plan.new_version(by=tara)
    newer.approve(by=tara)
    newer.new_version(by=tara)  # a draft: not the client's to read yet
    page = client.get(plan_url(plan)).content.decode()
    assert "Your therapist has updated this plan since." in page
    assert f'href="{plan_url(newer)}">Read the latest plan</a>' in page
    assert "updated this plan since" not in client.get(plan_url(newer)).content.decode()
