"""Staff invite new clients; a client follows the emailed link to set a password and start.

The link is `/invitations/accept/#TOKEN`: the token sits in the fragment, which browsers
never send, so no server or proxy log records it. A small script (static/js/invitation.js)
posts it from the page; without JavaScript the person pastes the code from the email. The
token is then exchanged for the invitation's id in the session, and the rest of the way
has no secret in any URL. Only the inviting person's screen says an email went out: the
link itself goes to the invited address only, and following it verifies that address.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.roles import Role, role_required
from clinic_settings.models import ClinicSettings
from intake.forms import InviteClientForm
from intake.models import Invitation
from jobs.tasks import send_email

SESSION_KEY = "invitation_id"


class InvitationCodeForm(forms.Form):
    token = forms.CharField(
        label="Invitation code",
        max_length=100,
        help_text="The code at the end of the invitation email.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


@role_required(Role.THERAPIST)
@require_http_methods(["GET", "POST"])
def invite_client(request):
    form = InviteClientForm(request.POST or None)
    if form.is_valid():
        client = form.save(invited_by=request.user)
        _invitation, token = Invitation.issue(client, by=request.user)
        link = request.build_absolute_uri(reverse("intake:accept_invitation")) + "#" + token
        clinic = ClinicSettings.load()
        send_email.enqueue(
            subject=f"Your intake questionnaire for {clinic.name}",
            body=render_to_string(
                "intake/email/invitation.txt",
                {"client": client, "link": link, "code": token, "clinic": clinic},
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[client.email],
        )
        return render(request, "intake/invite_sent.html", {"client": client})
    return render(request, "intake/invite_client.html", {"form": form})


def _invalid(request):
    request.session.pop(SESSION_KEY, None)
    return render(request, "intake/invitation_invalid.html", status=410)


@require_http_methods(["GET", "POST"])
def accept_invitation(request):
    if request.user.is_authenticated:
        messages.info(request, "Please sign out first to accept an invitation for someone else.")
        return redirect("home")
    if "token" in request.POST:
        code_form = InvitationCodeForm(request.POST)
        invitation = code_form.is_valid() and Invitation.find_usable(
            code_form.cleaned_data["token"].strip()
        )
        if not invitation:
            return _invalid(request)
        request.session[SESSION_KEY] = invitation.pk
        return redirect("intake:accept_invitation")

    invitation_id = request.session.get(SESSION_KEY)
    if invitation_id is None:
        return render(request, "intake/invitation_code.html", {"form": InvitationCodeForm()})
    invitation = Invitation.objects.usable().select_related("client").filter(pk=invitation_id)
    invitation = invitation.first()
    if invitation is None:
        return _invalid(request)
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        request.session.pop(SESSION_KEY, None)
        messages.info(request, "You already have an account: please sign in.")
        return redirect("login")
    form = SetPasswordForm(
        User(email=invitation.email, full_name=invitation.client.legal_name),
        request.POST or None,
    )
    if form.is_valid():
        user = invitation.accept(form.cleaned_data["new_password1"])
        if user is None:
            return _invalid(request)
        request.session.pop(SESSION_KEY, None)
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
        messages.success(request, "Your account is ready. Here is your intake questionnaire.")
        return redirect("intake:intake_resume", pk=user.client.start_intake().pk)
    return render(
        request, "intake/accept_invitation.html", {"form": form, "invitation": invitation}
    )
