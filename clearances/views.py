"""Medical clearance: the client uploads the doctor's letter, the clinic records the
clearance, and the letters are served only to those who may see the client."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.roles import Role, has_role, role_required
from clearances.forms import ClearanceForm, LetterUploadForm
from clearances.models import ClearanceLetter, is_on_hold
from intake.audit import record_access
from intake.models import AccessEvent, Client, Intake
from intake.views.access import get_object_or_404


def _intake_for_client(request, pk: int) -> Intake:
    """The signed-in client's own sent intake with a red flag, or 404."""
    intakes = Intake.objects.submitted().exclude(red_flag_urgency="")
    return get_object_or_404(request, intakes.filter(client=Client.for_user(request.user)), pk)


def _intake_for_staff(request, pk: int) -> Intake:
    """A sent intake with a red flag of a client this member of staff may see, or 404."""
    intakes = Intake.objects.submitted().exclude(red_flag_urgency="").visible_to(request.user)
    return get_object_or_404(request, intakes.select_related("client"), pk)


def _letter_for_client(request, pk: int) -> ClearanceLetter:
    client = Client.for_user(request.user)
    return get_object_or_404(request, ClearanceLetter.objects.filter(intake__client=client), pk)


def _letter_for_staff(request, pk: int) -> ClearanceLetter:
    return get_object_or_404(request, ClearanceLetter.objects.visible_to(request.user), pk)


@role_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def client_clearance(request, pk: int):
    intake = _intake_for_client(request, pk)
    form = LetterUploadForm(request.POST or None, request.FILES or None, intake=intake)
    if request.method == "POST" and form.is_valid():
        form.save(by=request.user)
        messages.success(
            request,
            "Thank you: we have your letter. Your therapist will check it before your visit.",
        )
        return redirect("clearances:client_clearance", pk=intake.pk)
    record_access(request.user, intake, AccessEvent.Action.VIEW)
    return render(
        request,
        "clearances/client_clearance.html",
        {
            "intake": intake,
            "form": form,
            "letters": list(intake.clearance_letters.all()),
            "clearances": list(intake.clearances.all()),
            "on_hold": is_on_hold(intake),
        },
    )


@role_required(Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def intake_clearance(request, pk: int):
    intake = _intake_for_staff(request, pk)
    form = ClearanceForm(
        request.POST or None,
        request.FILES or None,
        intake=intake,
        may_clear_in_person=has_role(request.user, Role.ADMIN),
    )
    if request.method == "POST" and form.is_valid():
        form.save(by=request.user)
        messages.success(request, "Clearance recorded: a plan of massage can now be approved.")
        return redirect("intake:intake_review", pk=intake.pk)
    record_access(request.user, intake, AccessEvent.Action.VIEW)
    return render(
        request,
        "clearances/intake_clearance.html",
        {
            "intake": intake,
            "client": intake.client,
            "form": form,
            "letters": list(intake.clearance_letters.all()),
            "clearances": list(intake.clearances.select_related("letter")),
            "on_hold": is_on_hold(intake),
        },
    )


def _serve(request, letter: ClearanceLetter) -> FileResponse:
    try:
        handle = letter.file.storage.open(letter.file.name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing.") from None
    record_access(request.user, letter, AccessEvent.Action.VIEW)
    response = FileResponse(
        handle,
        content_type=letter.content_type,
        as_attachment=True,
        filename=letter.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(Role.CLIENT)
@require_GET
@never_cache
def client_letter(request, pk: int):
    return _serve(request, _letter_for_client(request, pk))


@role_required(Role.THERAPIST)
@require_GET
@never_cache
def staff_letter(request, pk: int):
    return _serve(request, _letter_for_staff(request, pk))
