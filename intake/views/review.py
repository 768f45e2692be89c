"""The therapist's pages: the review queue and one intake's review."""

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import Role, role_required
from intake.audit import record_access, record_listed
from intake.changes import changes_between
from intake.labels import label_for
from intake.models import AccessEvent, Intake, PainLocation
from intake.queue import Cursor, queue_page
from intake.review_forms import QueueFilterForm
from intake.rules import RULESET
from intake.views import access

QUEUE_PAGE_SIZE = 20
QUEUE_FILTERS = "queue_filters"


@role_required(Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def review_queue(request):
    if request.method == "POST":
        form = QueueFilterForm(request.POST)
        if form.is_valid():
            request.session[QUEUE_FILTERS] = form.filters()
        return redirect("intake:review_queue")
    filters = {**QueueFilterForm.DEFAULTS, **request.session.get(QUEUE_FILTERS, {})}
    intakes = QueueFilterForm.apply(
        Intake.objects.visible_to(request.user).filter(client__archived=False),
        filters,
        request.user,
    )
    # Keyset pages: "Older" carries the last row's key, "Newer" the first row's.
    page = queue_page(
        intakes,
        after=Cursor.decode(request.GET.get("after")),
        before=Cursor.decode(request.GET.get("before")),
        size=QUEUE_PAGE_SIZE,
    )
    # The queue shows each listed client's name, age and red flags.
    record_listed(request.user, Intake, page.object_list)
    places = PainLocation.places_by_intake(page.object_list)
    return render(
        request,
        "intake/review_queue.html",
        {
            "page": page,
            "rows": [(intake, places[intake.pk]) for intake in page.object_list],
            "form": QueueFilterForm(initial=filters),
            "filters": filters,
        },
    )


@role_required(Role.THERAPIST)
@require_http_methods(["GET"])
def intake_review(request, pk: int):
    intake = access.intake_for_staff(request, pk, Intake.objects.select_related("client"))
    record_access(request.user, intake, AccessEvent.Action.VIEW)
    previous = intake.previous_submitted()
    # The body map and "what changed" read both intakes' places: one query for the two.
    prefetch_related_objects([intake, previous] if previous else [intake], "pain_locations")
    links = intake.review_links()
    if links.has_resuggestions:
        prefetch_related_objects([intake], "resuggestions")
    snapshot = intake.suggestion or {}
    return render(
        request,
        "intake/intake_review.html",
        {
            "intake": intake,
            "client": intake.client,
            "snapshot": snapshot,
            "precautions": [
                (label_for("precaution", item["code"]), item["message"])
                for item in snapshot.get("precautions", [])
            ],
            "resuggestions": list(intake.resuggestions.all()) if links.has_resuggestions else [],
            "addenda": list(intake.addenda.all()) if links.has_addenda else [],
            "current_ruleset": RULESET,
            "can_resuggest": intake.can_resuggest,
            "previous": previous,
            "changes": changes_between(previous, intake) if previous else None,
            # The page links to the newest plan version only: its id, number and status.
            "plans": [links.newest_plan] if links.newest_plan else [],
        },
    )


@role_required(Role.THERAPIST)
@require_POST
def resuggest(request, pk: int):
    intake = access.intake_for_staff(request, pk)
    if intake.ruleset == RULESET:
        messages.info(request, "The suggestion on record already uses the current ruleset.")
        return redirect("intake:intake_review", pk=intake.pk)
    intake.resuggest(by=request.user)
    messages.success(
        request, "A fresh suggestion under the current ruleset is shown beside the original."
    )
    return redirect("intake:intake_review", pk=intake.pk)
