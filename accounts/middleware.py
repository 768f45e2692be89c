"""Session timeouts, and a second factor for staff before any client data."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts import sessions
from accounts.adapters import has_second_factor, is_staff_role


class SessionTimeoutMiddleware:
    """Sign out a session idle too long or older than the absolute limit; else note this visit.

    A GET of the session-status endpoint reads the clock without winding it: the page's
    warning asks how long is left, and only "Stay signed in" (a POST) counts as activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            reason = sessions.expired_reason(request.session, user)
            if reason is not None:
                logout(request)
                messages.info(request, reason)
                if request.path == reverse("session_status"):
                    return JsonResponse({"signed_in": False, "seconds_left": 0})
                return redirect(f"{reverse('login')}?next={request.path}")
            status_url = request.path == reverse("session_status")
            if not (status_url and request.method == "GET"):
                sessions.touch(request.session, force=status_url)
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Therapists and admins without a second factor may only set one up (or sign out).

    Every page outside /accounts/ (the sign-in, account and two-factor pages) sends them to
    set up an authenticator app or a passkey first, so no client data is shown to a session
    that a password alone opened.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/healthz")
    # Once seen, noted in the session (no query on every page). Removing someone's last
    # second factor in the admin signs them out everywhere (accounts.apps).
    CHECKED = "clinic_second_factor_of"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and request.session.get(self.CHECKED) != user.pk
            and is_staff_role(user)
        ):
            if has_second_factor(user):
                request.session[self.CHECKED] = user.pk
                return self.get_response(request)
            messages.warning(
                request,
                "Staff accounts need a second factor. Set up an authenticator app "
                "(or a passkey) to continue.",
            )
            return redirect("mfa_index")
        return self.get_response(request)
