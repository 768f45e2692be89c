"""Muscles reached only internally are marked "Refer: internal work" in the plan editor and
never start ticked."""

import re

from django.urls import reverse

from intake.models import TreatmentPlan
from tests.factories import make_client, make_submitted

INTERNAL = ["levator_ani", "coccygeus", "obturator_internus"]


def test_internal_muscles_are_marked_and_start_unticked(client, tara):
    intake = make_submitted(make_client(legal_name="Tail Bone"), pain=[("coccyx", "center", 6)])
    suggested = [item["muscle"] for item in intake.suggestion["suggestions"]]
    assert set(INTERNAL) <= set(suggested)
    client.force_login(tara)
    client.post(reverse("intake:plan_edit", args=[intake.pk]), {"start": "1"})
    plan = TreatmentPlan.objects.get(intake=intake)
    assert not plan.muscles.filter(muscle__in=INTERNAL, included=True).exists()

    page = client.get(reverse("intake:plan_edit", args=[intake.pk])).content.decode()
    for code in INTERNAL:
        row = re.search(
            rf'<tr>(?:(?!</tr>).)*name="include-{code}"(?:(?!</tr>).)*</tr>', page, re.S
        )
        assert row, code
        assert "Refer: internal work" in row.group(0), code
        checkbox = re.search(rf'<input[^>]*name="include-{code}"[^>]*>', row.group(0)).group(0)
        assert "checked" not in checkbox
