"""A client's history for staff: every intake and plan, with the pain trend."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.roles import Role, role_required
from intake.audit import record_access
from intake.charts import Visit, pain_trend
from intake.models import AccessEvent, PainLocation, TreatmentPlan
from intake.views import access

# What the page shows of each intake: reading all 45 columns of each was a twentieth of
# the page's function calls.
HISTORY_FIELDS = (
    "client",
    "status",
    "submitted_at",
    "current_pain",
    "peg_pain",
    "peg_enjoyment",
    "peg_activity",
    "red_flag_urgency",
)


@role_required(Role.THERAPIST)
@require_GET
def client_history(request: HttpRequest, pk: int) -> HttpResponse:
    client = access.client_for_staff(request, pk)
    record_access(request.user, client, AccessEvent.Action.VIEW)
    intakes = client.sent_intakes(HISTORY_FIELDS)
    places = PainLocation.places_by_intake(intakes)
    plans = TreatmentPlan.links_by_intake(intakes)
    rows = [(intake, places[intake.pk], plans[intake.pk]) for intake in intakes]
    visits = [
        Visit(
            timezone.localtime(intake.submitted_at),
            intake.current_pain,
            intake.peg_score,
            intake_places.count,
        )
        for intake, intake_places, _plans in rows
    ]
    return render(
        request,
        "intake/client_history.html",
        {"client": client, "rows": rows, "chart": pain_trend(visits) if visits else None},
    )
