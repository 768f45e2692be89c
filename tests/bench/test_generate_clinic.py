"""The clinic generator (`manage.py generate_clinic`) and the benchmark's pages."""

from dataclasses import replace
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role, role_of
from intake.generate import DOMAIN, Params, plan_clinic, write_clinic
from intake.models import AccessEvent, Client, Intake, PainLocation, TreatmentPlan
from tests.factories import make_client

pytestmark = pytest.mark.django_db


def generate(clients: int, **options) -> None:
    call_command("generate_clinic", clients=clients, stdout=StringIO(), **options)


def test_a_small_clinic_is_consistent():
    generate(5, intakes_per_client=3, therapists=2, admins=1, seed=4)
    User = get_user_model()
    clients = Client.objects.all()
    assert clients.count() == 5
    assert all(role_of(c.user) is Role.CLIENT for c in clients.select_related("user"))
    assert User.objects.filter(groups__name="Therapists").count() == 2
    assert [role_of(u) for u in User.objects.filter(is_staff=True)] == [Role.ADMIN]
    assert all(u.email.endswith("@" + DOMAIN) for u in User.objects.all())
    assert not any(u.has_usable_password() for u in User.objects.all())

    submitted = Intake.objects.submitted()
    assert submitted.count() == 15
    for intake in submitted.prefetch_related("pain_locations"):
        assert intake.submitted_at and intake.consent_agreed and intake.ruleset
        assert intake.suggestion["suggestions"] is not None
        assert intake.consent_name == intake.client.legal_name
        assert bool(intake.red_flags) == bool(intake.red_flag_urgency)
        assert intake.started_at <= intake.submitted_at
        assert 1 <= len(intake.pain_locations.all()) <= 7
    assert Intake.objects.drafts().count() <= 5
    assert PainLocation.objects.count() >= 15
    assert TreatmentPlan.objects.count() == round(0.4 * 15)
    for plan in TreatmentPlan.objects.approved():
        assert plan.intake.status == Intake.Status.REVIEWED
        assert plan.muscles.filter(included=True).exists()
    assert AccessEvent.objects.count() > 15
    # The trail: about 26 entries an intake, as in the clinic of issue 12.
    assert LogEntry.objects.count() > 15 * 15
    assert not LogEntry.objects.filter(additional_data__client_id=None).exclude(
        content_type__model="user"
    )


def test_the_same_seed_gives_the_same_clinic():
    params = Params(clients=6, intakes_per_client=2, therapists=2, seed=11)
    first, second = plan_clinic(params), plan_clinic(params, anchor=plan_clinic(params).anchor)
    assert first == second
    assert plan_clinic(Params(clients=6, intakes_per_client=2, therapists=2, seed=12)) != first

    write_clinic(first)
    stored = {
        c.email: (
            c.legal_name,
            c.date_of_birth,
            c.assigned_therapist.email if c.assigned_therapist else None,
        )
        for c in Client.objects.select_related("assigned_therapist")
    }
    therapists = [t.email for t in first.therapists]
    assert stored == {
        c.email: (
            c.legal_name,
            c.date_of_birth,
            therapists[c.therapist] if c.therapist is not None else None,
        )
        for c in first.clients
    }
    places = sorted(PainLocation.objects.values_list("region", "side", "intensity"))
    assert places == sorted(
        p for c in first.clients for v in c.visits if "where" in v.steps_done for p in v.pain
    )


def test_refuses_a_database_with_real_clients():
    make_client(legal_name="A Real Person", email="real@example.com")
    with pytest.raises(CommandError, match="real client"):
        generate(2, therapists=1)
    assert Client.objects.count() == 1
    generate(2, therapists=1, intakes_per_client=1, force=True)
    assert Client.objects.count() == 3


def test_refuses_a_database_that_has_a_generated_clinic():
    generate(1, therapists=1, intakes_per_client=1)
    with pytest.raises(CommandError, match="already holds a generated clinic"):
        generate(1, therapists=1, intakes_per_client=1)


def test_each_intake_takes_about_ten_round_trips():
    """Start, answers, pain locations, submit: the model code's own queries, without a
    savepoint for each of its transactions or a read of the consent version each time."""

    def queries(intakes: int) -> int:
        params = Params(clients=2, intakes_per_client=intakes, therapists=1, admins=1, seed=3)
        plan = plan_clinic(replace(params, plan_share=0.0, draft_share=0.0))
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            write_clinic(plan)
            transaction.set_rollback(True)
        return len(captured)

    # Eight more intakes; the rest is their share of the batched inserts (18 before).
    assert (queries(6) - queries(2)) / 8 <= 11
