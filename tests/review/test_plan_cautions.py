"""The plan editor and a muscle whose caution forbids the work (rules contract, version 2)."""

import pytest
from django.urls import reverse

from intake.models import TreatmentPlan
from tests.conftest import signed_in
from tests.factories import make_client, make_submitted
from tests.review.test_plans import edit_url, plan_data, start


@pytest.fixture
def pregnant(db):
    return make_submitted(
        make_client(legal_name="Ann Archer"),
        treatment_areas=["abdomen", "inner_thigh_groin", "buttocks"],
        pain=[("groin", "left", 6), ("low_back", "center", 5)],
        precautions=["pregnancy"],
        red_flags=[],
    )


@pytest.fixture
def therapist(tara):
    return signed_in(tara)


def test_approving_a_forbidden_muscle_needs_a_written_reason(therapist, pregnant):
    plan = start(therapist, pregnant)
    data = plan_data(plan, include=["iliopsoas"], approve="1")
    page = therapist.post(edit_url(pregnant), data).content.decode()
    assert "Iliopsoas" in page and "write why" in page.lower()
    plan.refresh_from_db()
    assert plan.status == TreatmentPlan.Status.DRAFT

    plan.refresh_from_db()
    data = plan_data(plan, include=["iliopsoas"], approve="1")
    data["reason-iliopsoas"] = "Iliacus only, side-lying, midwife agreed on 3 March."
    response = therapist.post(edit_url(pregnant), data)
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == TreatmentPlan.Status.APPROVED
    row = plan.muscles.get(muscle="iliopsoas")
    assert row.caution_reason.startswith("Iliacus only")


def test_the_editor_shows_the_caution_beside_the_muscle(therapist, pregnant):
    start(therapist, pregnant)
    page = therapist.get(edit_url(pregnant)).content.decode()
    assert 'name="reason-iliopsoas"' in page
    assert "no deep pressure through the abdomen" in page


def test_a_muscle_with_only_a_caution_needs_no_reason(therapist, db):
    intake = make_submitted(
        make_client(legal_name="Ben Baker"),
        treatment_areas=["buttocks"],
        pain=[("calf", "left", 5), ("low_back", "center", 5)],
        precautions=["anticoagulants"],
        red_flags=[],
    )
    plan = start(therapist, intake)
    data = plan_data(plan, include=["quadratus_lumborum"], approve="1")
    assert therapist.post(edit_url(intake), data).status_code == 302


def test_an_added_muscle_is_checked_against_the_cautions_too(therapist, db):
    intake = make_submitted(
        make_client(legal_name="Cara Cole"),
        treatment_areas=["abdomen", "buttocks"],
        pain=[("buttock", "left", 5)],
        precautions=["pregnancy"],
        red_flags=[],
    )
    plan = start(therapist, intake)
    plan.muscles.filter(muscle="rectus_abdominis").delete()
    data = plan_data(plan, add_muscle="rectus_abdominis", add_sides=["left"], approve="1")
    page = therapist.post(edit_url(intake), data).content.decode()
    assert "write why" in page.lower()
    plan.refresh_from_db()
    assert plan.status == TreatmentPlan.Status.DRAFT


def test_the_reason_shows_on_the_approved_plan(therapist, pregnant):
    plan = start(therapist, pregnant)
    data = plan_data(plan, include=["iliopsoas"], approve="1")
    data["reason-iliopsoas"] = "Iliacus only, side-lying."
    assert therapist.post(edit_url(pregnant), data).status_code == 302
    page = therapist.get(reverse("intake:plan_detail", args=[plan.pk])).content.decode()
    assert "Planned despite a caution:</strong> Iliacus only, side-lying." in page


def test_every_muscle_worked_through_the_abdomen_needs_the_clients_agreement():
    from intake.models import CONSENT_AREAS
    from intake.rules.knowledge import MUSCLES

    abdominal = {code for code, m in MUSCLES.items() if "deep_abdominal" in m.worked.tags}
    assert abdominal
    for code in abdominal:
        assert "abdomen" in CONSENT_AREAS.get(code, []), code
    for code in ["pectineus", "adductor_longus", "adductor_brevis", "adductor_magnus"]:
        assert CONSENT_AREAS[code] == ["inner_thigh_groin"]
