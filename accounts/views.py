from allauth.mfa.models import Authenticator
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts import sessions
from accounts.adapters import has_second_factor, is_staff_role
from accounts.roles import role_of


@login_required
@require_GET
def account(request):
    return render(
        request,
        "registration/account.html",
        {
            "role": role_of(request.user),
            "second_factor": has_second_factor(request.user),
            "second_factor_required": is_staff_role(request.user),
            "authenticators": Authenticator.objects.filter(user=request.user).order_by("pk"),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def session_status(request):
    """How long this session has left; a POST (the "Stay signed in" button) winds the clock.

    The timeout middleware has already signed out an expired session and noted this
    request: a GET leaves the clock alone, a POST counts as activity.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0})
    return JsonResponse(
        {"signed_in": True, "seconds_left": sessions.seconds_left(request.session, request.user)}
    )
