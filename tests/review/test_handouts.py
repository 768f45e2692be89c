"""The home-care handout on the client's plan page, its PDF, and the therapist's edit."""

import pytest
from django.urls import reverse

from intake.models import AccessEvent, TreatmentPlan
from intake.views.plan_pdf import _weasyprint
from tests.conftest import signed_in
from tests.factories import make_client, make_submitted


def plan_of(alice, tara, muscles, **intake_fields) -> TreatmentPlan:
    intake_fields.setdefault("precautions", [])
    client = make_client(alice, legal_name="Alice Archer", assigned_therapist=tara)
    intake = make_submitted(client, **intake_fields)
    plan = TreatmentPlan.start_for(intake, by=tara)
    for position, code in enumerate(muscles):
        row, _ = plan.muscles.get_or_create(muscle=code, defaults={"sides": ["left"]})
        row.included, row.position, row.sides = True, position, ["left"]
        row.save()
    return plan


def test_the_client_reads_advice_for_the_planned_muscles_only(alice, tara):
    plan = plan_of(alice, tara, ["piriformis", "gluteus_medius"])
    plan.approve(by=tara)
    page = signed_in(alice).get(reverse("intake:client_plan", args=[plan.pk])).content.decode()
    assert "Home care between visits" in page
    assert page.index("Piriformis") < page.index("Gluteus medius")
    assert "Where it sends pain" in page
    assert 'id="handout-quadratus_lumborum"' not in page
    assert reverse("intake:handout_pdf", args=[plan.pk]) in page


def test_a_clot_history_takes_the_calf_self_pressure_out(alice, tara):
    plan = plan_of(
        alice,
        tara,
        ["gastrocnemius"],
        precautions=["dvt_history"],
        pain=[("low_back", "center", 4)],
    )
    plan.approve(by=tara)
    page = signed_in(alice).get(reverse("intake:client_plan", args=[plan.pk])).content.decode()
    assert "You have had a blood clot" in page
    assert "Self-pressure:" not in page


def test_the_therapist_edits_the_handout_before_approving(alice, tara):
    plan = plan_of(alice, tara, ["piriformis"])
    url = reverse("intake:handout_edit", args=[plan.pk])
    therapist = signed_in(tara)
    form = therapist.get(url).content.decode()
    assert "PIRIFORMIS" in form and "Where it sends pain" in form
    therapist.post(url, {"handout": "Walk for ten minutes every hour."})
    plan.refresh_from_db()
    assert plan.handout == "Walk for ten minutes every hour."
    plan.approve(by=tara)
    page = signed_in(alice).get(reverse("intake:client_plan", args=[plan.pk])).content.decode()
    assert "Walk for ten minutes every hour." in page
    # Approved: the handout no longer changes.
    therapist.post(url, {"handout": "Something else."})
    plan.refresh_from_db()
    assert plan.handout == "Walk for ten minutes every hour."


def test_saving_the_text_as_made_keeps_it_following_the_plan(alice, tara):
    plan = plan_of(alice, tara, ["piriformis"])
    url = reverse("intake:handout_edit", args=[plan.pk])
    from intake.handouts import handout_text

    signed_in(tara).post(url, {"handout": handout_text(plan)})
    plan.refresh_from_db()
    assert plan.handout == ""


def test_the_other_therapist_and_clients_never_reach_the_editor(alice, bob, tara, theo):
    plan = plan_of(alice, tara, ["piriformis"])
    url = reverse("intake:handout_edit", args=[plan.pk])
    assert signed_in(theo).get(url).status_code == 404
    assert signed_in(bob).get(url).status_code == 403


@pytest.mark.skipif(_weasyprint() is None, reason="WeasyPrint's system libraries are missing")
def test_the_client_downloads_the_handout_as_a_pdf_and_it_is_logged(alice, bob, tara):
    from pypdf import PdfReader

    plan = plan_of(alice, tara, ["piriformis"])
    plan.approve(by=tara)
    url = reverse("intake:handout_pdf", args=[plan.pk])
    response = signed_in(alice).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="home-care-{plan.pk}.pdf"'
    import io

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "Piriformis" in reader.pages[0].extract_text()
    assert AccessEvent.objects.filter(
        object_type="treatmentplan", object_id=plan.pk, action="print", actor=alice
    ).exists()
    assert signed_in(bob).get(url).status_code == 404
