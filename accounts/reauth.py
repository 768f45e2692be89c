"""Sensitive actions (exports, erasure, role changes) ask for the password again first.

allauth's reauthentication flow: unless the person confirmed their password (or second
factor) in the last ACCOUNT_REAUTHENTICATION_TIMEOUT seconds, the request is put aside in
the session, they are asked to confirm, and the request then goes through as sent.
"""

from functools import wraps

from allauth.account.decorators import reauthentication_required


@reauthentication_required
def _confirm(request) -> None:
    return None


def require_recent_sign_in(request) -> None:
    """Raise allauth's ReauthenticationRequired unless the person confirmed it is them lately."""
    _confirm(request)


def recent_sign_in_required(action):
    """For admin actions: `(modeladmin, request, queryset)`."""

    @wraps(action)
    def wrapper(modeladmin, request, queryset):
        require_recent_sign_in(request)
        return action(modeladmin, request, queryset)

    return wrapper
