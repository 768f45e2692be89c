"""Data migrations fill what they promise, in bounded batches."""

import importlib

from django.apps import apps

from intake.models import PlanMuscle, TreatmentPlan
from tests.factories import make_client, make_submitted

fill_groups = importlib.import_module(
    "intake.migrations.0010_handout_and_suggested_group"
).fill_suggested_groups


def test_suggested_groups_are_filled_from_each_intakes_snapshot(db, tara):
    for name in ["Ann Archer", "Ben Baker"]:
        TreatmentPlan.start_for(make_submitted(make_client(legal_name=name)), by=tara)
    suggested = PlanMuscle.objects.filter(origin="suggested")
    expected = {row.pk: row.suggested_group for row in suggested}
    assert expected and all(expected.values())
    suggested.update(suggested_group="")

    fill_groups(apps, None)

    assert {row.pk: row.suggested_group for row in suggested} == expected
