"""Who may open which record: one helper per object type, each giving the object or 404.

Clients reach only their own records; staff reach the records of the clients
`visible_to_q` lets them see (see intake/models.py). A refusal is recorded in the
access log: who asked for which kind of record and which id, nothing of the record.
"""

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404 as _get_or_404

from intake.audit import record_refused
from intake.models import Client, Intake, PlanMuscle, TreatmentPlan, visible_to_q


def get_object_or_404(request, queryset, pk):
    """The object, or 404 with the refusal recorded."""
    try:
        return _get_or_404(queryset, pk=pk)
    except Http404:
        record_refused(request.user, queryset.model._meta.model_name, pk)
        raise


def intake_for_client(request, pk: int, queryset=None) -> Intake:
    """The signed-in client's own intake, or 404."""
    queryset = queryset if queryset is not None else Intake.objects.all()
    own = queryset.select_related("client").filter(client__user=request.user)
    return get_object_or_404(request, own, pk)


def plan_for_client(request, pk: int) -> TreatmentPlan:
    """One of the signed-in client's own approved plans, or 404."""
    plans = (
        TreatmentPlan.objects.filter(
            intake__client__user=request.user, status=TreatmentPlan.Status.APPROVED
        )
        .select_related("intake", "approved_by")
        .defer("intake__suggestion")  # large, and no page of the client's shows it
        .prefetch_related(Prefetch("muscles", queryset=PlanMuscle.objects.filter(included=True)))
    )
    return get_object_or_404(request, plans, pk)


def client_for_staff(request: HttpRequest, pk: int) -> Client:
    """A client this member of staff may see, or 404."""
    clients = Client.objects.visible_to(request.user).select_related("assigned_therapist")
    return get_object_or_404(request, clients, pk)


def intake_for_staff(request, pk: int, queryset=None) -> Intake:
    """A submitted intake of a client this member of staff may see, or 404."""
    queryset = queryset if queryset is not None else Intake.objects.all()
    return get_object_or_404(request, queryset.submitted().visible_to(request.user), pk)


def plan_for_staff(request, pk: int, queryset=None) -> TreatmentPlan:
    """A plan of a client this member of staff may see, or 404."""
    queryset = queryset if queryset is not None else TreatmentPlan.objects.all()
    plans = queryset.select_related("intake__client", "approved_by").filter(
        visible_to_q(request.user, prefix="intake__client__")
    )
    return get_object_or_404(request, plans, pk)


def plan_muscle_for_staff(request, pk: int) -> PlanMuscle:
    muscles = PlanMuscle.objects.select_related("plan").filter(
        visible_to_q(request.user, prefix="plan__intake__client__")
    )
    return get_object_or_404(request, muscles, pk)
