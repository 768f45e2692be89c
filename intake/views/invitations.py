"""Staff invite new clients; a client follows the link to set a password and start."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import SetPasswordForm
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.roles import Role, role_required, set_role
from intake.audit import audited_update
from intake.forms import InviteClientForm
from intake.models import Invitation


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
            if not audited_update(
                Invitation.objects.usable().filter(pk=invitation.pk), used_at=timezone.now()
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
