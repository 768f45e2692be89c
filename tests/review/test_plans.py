import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake.models import Finding, Intake, PlanMuscle, TreatmentPlan
from tests.conftest import signed_in
from tests.factories import make_client, make_submitted
from tests.review.test_plan_pdf import needs_weasyprint, pdf_text


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


def start(client, intake) -> TreatmentPlan:
    """Start the plan the way the page does: a POST of its "Start the plan" button."""
    response = client.post(edit_url(intake), {"start": "1"})
    assert response.status_code == 302
    return TreatmentPlan.objects.get(intake=intake)


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
    plan = start(client, intake)
    response = client.get(edit_url(intake))
    suggested = [item["muscle"] for item in intake.suggestion["suggestions"]]
    assert [row.muscle for row in plan.muscles.order_by("position")] == suggested
    assert not plan.muscles.filter(included=True).exists()
    assert response.status_code == 200
    assert "Quadratus lumborum" in response.content.decode()


def test_accept_reject_add_order_save_and_approve(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
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
    plan = start(client, intake)
    response = client.post(edit_url(intake), plan_data(plan, include=["quadratus_lumborum"]))
    assert response.url == edit_url(intake)
    plan.refresh_from_db()
    assert not plan.is_approved and plan.revision == 1
    assert Intake.objects.get(pk=intake.pk).status == Intake.Status.SUBMITTED


def test_a_muscle_in_an_area_without_consent_is_refused(client, tara, db):
    intake = make_submitted(make_client(), treatment_areas=[])
    client.force_login(tara)
    plan = start(client, intake)
    response = client.post(edit_url(intake), plan_data(plan, include=["gluteus_maximus"]))
    assert response.status_code == 200
    error = response.context["form"].non_field_errors()[0]
    assert "Gluteus maximus" in error and "buttocks" in error and "not agreed" in error
    assert not PlanMuscle.objects.filter(plan=plan, included=True).exists()


def test_an_added_muscle_without_consent_is_refused_too(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    response = client.post(
        edit_url(intake), plan_data(plan, add_muscle="adductor_longus", add_sides=["right"])
    )
    assert "inner thigh and groin" in response.context["form"].non_field_errors()[0]


def test_internal_only_muscles_are_refused_with_a_referral(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    plan.muscles.filter(muscle="levator_ani").delete()
    response = client.post(
        edit_url(intake), plan_data(plan, add_muscle="levator_ani", add_sides=["left"])
    )
    assert "pelvic-health physiotherapist" in response.context["form"].non_field_errors()[0]


def test_a_planned_muscle_needs_a_side(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    data = plan_data(plan, include=["quadratus_lumborum"], sides={"quadratus_lumborum": []})
    response = client.post(edit_url(intake), data)
    assert "side" in response.context["form"].non_field_errors()[0]


def test_the_later_of_two_saves_is_refused(client, tara, theo, adam, intake):
    client.force_login(tara)
    plan = start(client, intake)
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
    plan = start(client, intake)
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
    # The versions, newest first: each with its status and approval, the others linked.
    newest = f'<a href="{reverse("intake:plan_detail", args=[second.pk])}">Version 2</a> · Approved'
    assert newest in old_page
    assert old_page.index(newest) < old_page.index("<strong>Version 1</strong> · Approved")


def test_only_the_latest_approved_version_can_be_revised(client, tara, intake):
    first = approved_plan(client, intake, tara)
    client.post(reverse("intake:plan_revise", args=[first.pk]))
    client.post(reverse("intake:plan_revise", args=[first.pk]))
    assert TreatmentPlan.objects.filter(intake=intake).count() == 2


def finding_url(planned) -> str:
    return reverse("intake:finding_add", args=[planned.pk])


def finding_data(planned, key=None, **answers) -> dict:
    answers = {
        "trigger_point": "active",
        "referral_reproduced": "True",
        "treated": "False",
    } | answers
    data = {f"m{planned.pk}-{name}": value for name, value in answers.items()}
    data[f"m{planned.pk}-submission_key"] = str(key or uuid.uuid4())
    return data


def test_session_findings_are_recorded_and_shown(client, tara, intake):
    plan = approved_plan(client, intake, tara)
    planned = plan.planned_muscles()[0]
    response = client.post(finding_url(planned), finding_data(planned))
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


def test_each_muscle_shows_its_latest_session_only(client, tara, intake):
    plan = approved_plan(client, intake, tara)
    planned = plan.planned_muscles()[0]
    client.post(finding_url(planned), finding_data(planned, trigger_point="latent"))
    client.post(finding_url(planned), finding_data(planned, treated="True"))
    newest = Finding.objects.first()  # newest first
    assert Finding.latest_by_muscle([planned]) == {planned.pk: newest}
    # The same time, as two forms saved at once: the later one counts.
    Finding.objects.update(recorded_at=newest.recorded_at)
    later = Finding.objects.order_by("-pk").first()
    latest = Finding.latest_by_muscle([planned])[planned.pk]
    assert latest == later and latest.treated is True and latest.recorded_at == later.recorded_at
    page = client.get(reverse("intake:plan_detail", args=[plan.pk])).content.decode()
    assert page.count("Last session") == 1
    assert "trigger point active; referral reproduced; treated" in page


def test_a_muscle_without_findings_has_no_last_session(client, tara, intake):
    plan = approved_plan(client, intake, tara)
    assert Finding.latest_by_muscle(plan.planned_muscles()) == {}
    assert Finding.latest_by_muscle([]) == {}
    page = client.get(reverse("intake:plan_detail", args=[plan.pk])).content.decode()
    assert "Last session" not in page and "Record session findings" in page


def test_incomplete_findings_are_refused_with_a_message(client, tara, intake):
    plan = approved_plan(client, intake, tara)
    planned = plan.planned_muscles()[0]
    data = finding_data(planned)
    del data[f"m{planned.pk}-treated"], data[f"m{planned.pk}-referral_reproduced"]
    response = client.post(finding_url(planned), data, follow=True)
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


# Defect 8: a GET never writes; starting the plan is a POST.


def test_opening_the_plan_page_creates_nothing(client, tara, intake):
    client.force_login(tara)
    response = client.get(edit_url(intake))
    assert response.status_code == 200
    assert "Start the plan" in response.content.decode()
    assert not TreatmentPlan.objects.exists()


def test_starting_twice_keeps_one_plan(client, tara, intake):
    client.force_login(tara)
    first = start(client, intake)
    assert client.post(edit_url(intake), {"start": "1"}).url == edit_url(intake)
    assert TreatmentPlan.objects.get() == first


def test_no_plan_is_started_for_an_archived_client(client, tara, intake):
    intake.client.archived = True
    intake.client.save()
    client.force_login(tara)
    page = client.get(edit_url(intake)).content.decode()
    assert "archived" in page and "Start the plan" not in page
    response = client.post(edit_url(intake), {"start": "1"}, follow=True)
    assert response.status_code == 200
    assert "archived" in response.content.decode()
    assert not TreatmentPlan.objects.exists()
    with pytest.raises(ValidationError):
        TreatmentPlan.start_for(intake, by=tara)


# Defect 7: an approved plan plans a muscle, or says the client was referred and why.


def test_a_plan_without_a_muscle_cannot_be_approved(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    response = client.post(edit_url(intake), {**plan_data(plan), "approve": "1"})
    assert response.status_code == 200
    assert "Accept at least one muscle" in response.context["form"].non_field_errors()[0]
    plan.refresh_from_db()
    assert not plan.is_approved and plan.revision == 0
    assert Intake.objects.get(pk=intake.pk).status == Intake.Status.SUBMITTED
    with pytest.raises(ValidationError):
        plan.approve(by=tara)


def test_a_referral_without_a_reason_is_refused(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    data = plan_data(plan, outcome="referred", outcome_reason="  ", approve="1")
    response = client.post(edit_url(intake), data)
    assert response.status_code == 200
    assert response.context["form"].errors["outcome_reason"]
    assert "Write why" in response.content.decode()
    plan.refresh_from_db()
    assert not plan.is_approved


def test_a_referral_with_a_reason_is_approved_and_shown_everywhere(client, tara, alice, db):
    intake = make_submitted(make_client(alice, legal_name="Alice Archer"))
    client.force_login(tara)
    plan = start(client, intake)
    reason = "Numbness in both feet: seen by her GP first."
    data = plan_data(plan, outcome="referred", outcome_reason=reason, approve="1")
    response = client.post(edit_url(intake), data)
    assert response.url == reverse("intake:plan_detail", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.is_approved and plan.outcome == TreatmentPlan.Outcome.REFERRED

    detail = client.get(response.url).content.decode()
    assert "No massage: referred to another professional" in detail and reason in detail
    assert "No muscles planned" not in detail

    client.force_login(alice)
    page = client.get(reverse("intake:client_plan", args=[plan.pk])).content.decode()
    assert "referred you to another professional" in page and reason in page
    assert "The muscles we plan to work on" not in page


@needs_weasyprint
def test_a_referral_is_on_the_pdf(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    data = plan_data(plan, outcome="referred", outcome_reason="Seen by GP first.", approve="1")
    client.post(edit_url(intake), data)
    text = pdf_text(client.get(reverse("intake:plan_pdf", args=[plan.pk])).content)
    assert "No massage: referred to another professional" in text
    assert "Seen by GP first." in text
    assert "No muscles planned" not in text


def test_a_referral_plans_no_muscles(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    data = plan_data(
        plan, include=["quadratus_lumborum"], outcome="referred", outcome_reason="GP", approve="1"
    )
    response = client.post(edit_url(intake), data)
    assert "untick" in response.context["form"].non_field_errors()[0]
    plan.refresh_from_db()
    assert not plan.is_approved


# Defect 5d: a finding posted twice is recorded once.


def test_a_finding_posted_twice_is_recorded_once(client, tara, intake):
    plan = approved_plan(client, intake, tara)
    planned = plan.planned_muscles()[0]
    data = finding_data(planned)
    client.post(finding_url(planned), data)
    response = client.post(finding_url(planned), data, follow=True)
    assert response.status_code == 200
    assert "already recorded" in response.content.decode()
    assert Finding.objects.count() == 1


def test_each_finding_form_carries_its_own_key(client, tara, intake):
    plan = approved_plan(client, intake, tara)
    planned = plan.planned_muscles()[0]
    client.post(finding_url(planned), finding_data(planned))
    client.post(finding_url(planned), finding_data(planned, trigger_point="latent"))
    assert Finding.objects.count() == 2
    page = client.get(reverse("intake:plan_detail", args=[plan.pk])).content.decode()
    assert f'name="m{planned.pk}-submission_key"' in page


def test_each_muscle_findings_form_posts_under_its_own_prefix_and_key(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    data = plan_data(plan, include=["quadratus_lumborum", "piriformis"])
    client.post(edit_url(intake), {**data, "approve": "1"})
    page = client.get(reverse("intake:plan_detail", args=[plan.pk])).content.decode()
    planned = TreatmentPlan.objects.get(pk=plan.pk).planned_muscles()
    assert len(planned) == 2
    keys = {}
    for muscle in planned:
        assert f'id="id_m{muscle.pk}-trigger_point_0"' in page
        keys[muscle.pk] = re.search(
            rf'name="m{muscle.pk}-submission_key" value="([^"]+)"', page
        ).group(1)
    assert len(set(keys.values())) == 2
    assert page.count("Referral pattern reproduced") == 2
    for muscle in planned:
        client.post(finding_url(muscle), finding_data(muscle, key=keys[muscle.pk]))
    assert Finding.objects.filter(plan_muscle__plan=plan).count() == 2


# Defect 9: findings belong to the accepted muscles of an approved plan.


def test_no_findings_on_a_muscle_the_plan_left_out(client, tara, intake):
    plan = approved_plan(client, intake, tara)
    left_out = plan.muscles.filter(included=False).first()
    response = client.post(finding_url(left_out), finding_data(left_out), follow=True)
    assert response.status_code == 200
    assert "not in the plan" in response.content.decode()
    assert not Finding.objects.exists()


def test_no_findings_on_a_draft_plan(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    client.post(edit_url(intake), plan_data(plan, include=["quadratus_lumborum"]))
    planned = plan.muscles.get(muscle="quadratus_lumborum")
    response = client.post(finding_url(planned), finding_data(planned), follow=True)
    assert "not approved" in response.content.decode()
    assert not Finding.objects.exists()


def test_the_model_refuses_findings_off_the_plan(tara, intake, client):
    plan = approved_plan(client, intake, tara)
    left_out = plan.muscles.filter(included=False).first()
    finding = Finding(
        plan_muscle=left_out, trigger_point="none", referral_reproduced=False, treated=False
    )
    with pytest.raises(ValidationError, match="not in the plan"):
        finding.full_clean()


# Defect 14: the consent rule and the approval fields hold in the admin too.


def admin_form_data(response) -> dict:
    """What the admin's change page would post back, unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for formset in response.context["inline_admin_formsets"]:
        data.update({f.html_name: f.value() for f in formset.formset.management_form})
        forms += formset.formset.forms
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value
    return data


def test_the_admin_cannot_change_who_approved_or_the_status(client, adam, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    client.force_login(adam)
    url = reverse("admin:intake_treatmentplan_change", args=[plan.pk])
    response = client.get(url)
    fields = response.context["adminform"].form.fields
    for name in ("status", "approved_by", "approved_at", "version", "revision"):
        assert name not in fields
    data = admin_form_data(response) | {"status": "approved", "version": "7"}
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.version == 1


def test_the_admin_cannot_add_a_muscle_without_consent(client, adam, tara, db):
    intake = make_submitted(make_client(), treatment_areas=[])
    client.force_login(tara)
    plan = start(client, intake)
    client.force_login(adam)
    url = reverse("admin:intake_treatmentplan_change", args=[plan.pk])
    data = admin_form_data(client.get(url))
    assert not plan.muscles.filter(muscle="adductor_longus").exists()
    total = int(data["muscles-TOTAL_FORMS"])
    new = f"muscles-{total}"
    data |= {
        "muscles-TOTAL_FORMS": str(total + 1),
        f"{new}-muscle": "adductor_longus",
        f"{new}-sides": '["left"]',
        f"{new}-position": "0",
        f"{new}-included": "on",
        f"{new}-origin": "added",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "not agreed" in response.content.decode()
    assert not plan.muscles.filter(muscle="adductor_longus").exists()


def test_the_model_refuses_a_muscle_without_consent(tara, db):
    intake = make_submitted(make_client(), treatment_areas=[])
    plan = TreatmentPlan.start_for(intake, by=tara)
    row = PlanMuscle(plan=plan, muscle="piriformis", sides=["left"], included=True)
    with pytest.raises(ValidationError, match="not agreed"):
        row.full_clean()
    assert plan.muscle_problems("quadratus_lumborum", ["left"]) == []
    assert plan.muscle_problems("quadratus_lumborum", [])


# Defect 15a: every error of the plan form is on the page.


def test_an_error_on_the_hidden_revision_is_shown(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    response = client.post(edit_url(intake), plan_data(plan, revision="not a number"))
    assert response.status_code == 200
    assert "Reload the page" in response.content.decode()


def test_an_error_on_the_sides_is_shown(client, tara, intake):
    client.force_login(tara)
    plan = start(client, intake)
    data = plan_data(plan, include=["quadratus_lumborum"], sides={"quadratus_lumborum": ["top"]})
    response = client.post(edit_url(intake), data)
    assert response.status_code == 200
    assert response.context["form"].errors["sides-quadratus_lumborum"]
    assert "top is not one of the available choices" in response.content.decode()


# Fuzz: whatever is posted, the plan form and the findings answer without a server error.

_text = st.one_of(st.text(max_size=30), st.integers(-5, 200).map(str), st.just(""))
_posted = st.dictionaries(
    st.sampled_from(
        [
            "revision",
            "start",
            "approve",
            "outcome",
            "outcome_reason",
            "add_muscle",
            "add_sides",
            "techniques",
            "include-quadratus_lumborum",
            "sides-quadratus_lumborum",
            "order-quadratus_lumborum",
            "include-gluteus_maximus",
            "sides-gluteus_maximus",
            "order-gluteus_maximus",
        ]
    ),
    st.one_of(_text, st.lists(_text, max_size=3)),
    max_size=10,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(posted=_posted)
def test_the_plan_form_never_answers_a_server_error(client, tara, intake, posted):
    client.force_login(tara)
    intake.current_plan() or TreatmentPlan.start_for(intake, by=tara)
    response = client.post(edit_url(intake), posted)
    assert response.status_code < 500


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    posted=st.dictionaries(
        st.sampled_from(["trigger_point", "referral_reproduced", "treated", "submission_key"]),
        st.one_of(_text, st.uuids().map(str), st.sampled_from(["active", "True", "False"])),
        max_size=4,
    )
)
def test_findings_never_answer_a_server_error(client, tara, intake, posted):
    plan = intake.current_plan() or TreatmentPlan.start_for(intake, by=tara)
    if not plan.is_approved:
        plan.muscles.filter(muscle="quadratus_lumborum").update(included=True, sides=["left"])
        plan.approve(by=tara)
    client.force_login(tara)
    for planned in plan.muscles.all()[:2]:
        data = {f"m{planned.pk}-{name}": value for name, value in posted.items()}
        assert client.post(finding_url(planned), data).status_code < 500


def test_the_review_page_opens_the_newest_version_of_the_plan(client, tara, intake):
    first = approved_plan(client, intake, tara)
    client.post(reverse("intake:plan_revise", args=[first.pk]))
    second = intake.current_plan()
    page = client.get(reverse("intake:intake_review", args=[intake.pk])).content.decode()
    newest = reverse("intake:plan_detail", args=[second.pk])
    assert f'href="{newest}">Open the plan (version 2, draft)</a>' in page
    assert reverse("intake:plan_detail", args=[first.pk]) not in page


def test_the_review_page_starts_the_plan_in_one_click(tara):
    intake = make_submitted(make_client(legal_name="Ann Archer"))
    therapist = signed_in(tara)
    page = therapist.get(reverse("intake:intake_review", args=[intake.pk])).content.decode()
    assert 'name="start"' in page and "Start a treatment plan" in page
    response = therapist.post(reverse("intake:plan_edit", args=[intake.pk]), {"start": "1"})
    assert response.url == reverse("intake:plan_edit", args=[intake.pk])
    assert intake.plans.count() == 1


def test_the_plan_page_reads_only_what_it_shows(client, tara, db, steady_session_clock):
    """The plan, its intake and client in one query without the intake's documents (the
    suggestion's JSON is some 13 KB; the page shows only its precautions), and its versions
    without their texts; no column is read later on its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    intake = make_submitted(
        make_client(legal_name="Ann Archer"),
        treatment_areas=["buttocks"],
        pain=[("buttock", "left", 6), ("low_back", "center", 5)],
        precautions=["anticoagulants"],
    )
    plan = approved_plan(client, intake, tara)
    url = reverse("intake:plan_detail", args=[plan.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    page = response.content.decode()
    assert len(captured) == 9, "\n".join(q["sql"] for q in captured)
    assert {"suggestion", "step_drafts"} <= response.context["intake"].get_deferred_fields()
    assert "handout" in response.context["plan"].get_deferred_fields()
    assert "Ann Archer" in page
    assert "Blood thinners" in page and "Light pressure only" in page  # the precaution's note
    assert f"by {tara.full_name}" in page and "Version 1</strong> · Approved" in page
