from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import SetPasswordForm
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.roles import Role, role_required, set_role
from intake.forms import InviteClientForm
from intake.models import Client, Intake, Invitation
from intake.steps import STEPS, STEPS_BY_NAME, first_incomplete_step, step_position


def _intake_for_client(request, pk: int) -> Intake:
    """The signed-in client's own intake, or 404."""
    client = Client.for_user(request.user)
    return get_object_or_404(Intake.objects.select_related("client"), pk=pk, client=client)


@role_required(Role.CLIENT)
@require_GET
def client_home(request):
    client = Client.for_user(request.user)
    intakes = client.intakes.prefetch_related("pain_locations")
    return render(
        request,
        "intake/client_home.html",
        {
            "client": client,
            "drafts": [i for i in intakes if i.is_draft],
            "submitted": [i for i in intakes if not i.is_draft],
        },
    )


@role_required(Role.CLIENT)
@require_POST
def intake_start(request):
    client = Client.for_user(request.user)
    draft = client.intakes.drafts().first()
    if draft is None:
        draft = client.start_intake()
        if client.last_submitted_intake():
            messages.info(
                request,
                "We have filled in your details from your last visit. Please check they are "
                "still right.",
            )
    return redirect("intake:intake_resume", pk=draft.pk)


@role_required(Role.CLIENT)
@require_GET
def intake_resume(request, pk: int):
    intake = _intake_for_client(request, pk)
    if not intake.is_draft:
        return redirect("intake:intake_detail", pk=intake.pk)
    return redirect("intake:intake_step", pk=intake.pk, step=first_incomplete_step(intake).name)


@role_required(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def intake_step(request, pk: int, step: str):
    intake = _intake_for_client(request, pk)
    if step not in STEPS_BY_NAME:
        raise Http404
    if not intake.is_draft:
        messages.info(
            request, "This intake has been sent to the clinic, so it can no longer be changed."
        )
        return redirect("intake:intake_detail", pk=intake.pk)
    current = STEPS_BY_NAME[step]
    first_open = first_incomplete_step(intake)
    if step_position(step) > step_position(first_open.name):
        return redirect("intake:intake_step", pk=intake.pk, step=first_open.name)

    form = current.form(intake, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if current.name == "review":
            return _submit(request, intake, form)
        with transaction.atomic():
            form.save()
            intake.mark_step_done(current.name)
            intake.save(update_fields=["steps_done", "updated_at"])
        if "finish_later" in request.POST:
            messages.success(request, "Saved. You can come back and carry on at any time.")
            return redirect("intake:client_home")
        return redirect("intake:intake_step", pk=intake.pk, step=_next_step(current.name))

    position = step_position(current.name)
    context = {
        "intake": intake,
        "client": intake.client,
        "form": form,
        "step": current,
        "steps": STEPS,
        "position": position + 1,
        "previous": STEPS[position - 1] if position else None,
        "done": set(intake.steps_done),
    }
    if current.name == "where":
        context["locations"] = form.selected_locations()
    return render(request, "intake/intake_step.html", context)


def _next_step(name: str) -> str:
    return STEPS[step_position(name) + 1].name


def _submit(request, intake: Intake, form):
    if first_incomplete_step(intake).name != "review":
        messages.error(request, "A few answers are still missing; please finish this step first.")
        return redirect("intake:intake_resume", pk=intake.pk)
    if intake.submit(consent_name=form.cleaned_data["signature"]):
        messages.success(request, "Thank you. Your intake has been sent to the clinic.")
    else:
        messages.info(request, "This intake had already been sent; nothing more to do.")
    return redirect("intake:intake_detail", pk=intake.pk)


@role_required(Role.CLIENT)
@require_GET
def intake_detail(request, pk: int):
    intake = _intake_for_client(request, pk)
    if intake.is_draft:
        return redirect("intake:intake_resume", pk=intake.pk)
    return render(request, "intake/intake_detail.html", {"intake": intake, "client": intake.client})


@role_required(Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def invite_client(request):
    form = InviteClientForm(request.POST or None)
    if form.is_valid():
        client = form.save(invited_by=request.user)
        _invitation, token = Invitation.issue(client, by=request.user)
        link = request.build_absolute_uri(reverse("intake:accept_invitation", args=[token]))
        send_mail(
            "Your clinic intake questionnaire",
            render_to_string("intake/email/invitation.txt", {"client": client, "link": link}),
            settings.DEFAULT_FROM_EMAIL,
            [client.email],
        )
        return render(request, "intake/invite_sent.html", {"client": client, "link": link})
    return render(request, "intake/invite_client.html", {"form": form})


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    invitation = Invitation.find_usable(token)
    if invitation is None:
        return render(request, "intake/invitation_invalid.html", status=410)
    if request.user.is_authenticated:
        messages.info(request, "Please sign out first to accept an invitation for someone else.")
        return redirect("home")
    client = invitation.client
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        messages.info(request, "You already have an account: please sign in.")
        return redirect("login")
    user = User(email=invitation.email, full_name=client.legal_name)
    form = SetPasswordForm(user, request.POST or None)
    if form.is_valid():
        with transaction.atomic():
            if (
                not Invitation.objects.usable()
                .filter(pk=invitation.pk)
                .update(used_at=timezone.now())
            ):
                return render(request, "intake/invitation_invalid.html", status=410)
            user = form.save()
            set_role(user, Role.CLIENT)
            client.user = user
            client.save(update_fields=["user", "updated_at"])
            intake = client.start_intake()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your account is ready. Here is your intake questionnaire.")
        return redirect("intake:intake_resume", pk=intake.pk)
    return render(
        request, "intake/accept_invitation.html", {"form": form, "invitation": invitation}
    )


@role_required(Role.THERAPIST)
@require_GET
def review_queue(request):
    return render(request, "intake/review_queue.html")
