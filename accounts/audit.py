"""Sign-in events for the audit trail: who, when, from where, and how it went; never a password.

A failed attempt names the account only when the email matched one. An email that matched
nothing is not kept: it may be a typo of someone's address, or a password typed in the wrong
box.
"""

from allauth.account.adapter import get_adapter
from django.contrib.auth import get_user_model


def _ip(request) -> str | None:
    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # an unparseable forwarded address must not break signing in
        return request.META.get("REMOTE_ADDR") or None


def _account(email: str | None):
    if not email:
        return None
    User = get_user_model()
    return User.objects.filter(email__iexact=User.objects.normalize_email(email)).first()


def record(kind: str, request, user=None) -> None:
    from accounts.models import SignInEvent

    SignInEvent.objects.create(
        kind=kind,
        user=user,
        email=user.email if user is not None else "",
        ip_address=_ip(request),
    )


def record_signed_in(sender, request, user, **kwargs) -> None:
    from accounts.models import SignInEvent

    record(SignInEvent.Kind.SIGNED_IN, request, user)


def record_signed_out(sender, request, user, **kwargs) -> None:
    from accounts.models import SignInEvent

    if user is not None:
        record(SignInEvent.Kind.SIGNED_OUT, request, user)


def record_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    from accounts.models import SignInEvent

    email = credentials.get("email") or credentials.get("username")
    record(SignInEvent.Kind.FAILED, request, _account(email))


def record_sign_in_throttled(request, email: str | None) -> None:
    from accounts.models import SignInEvent

    record(SignInEvent.Kind.THROTTLED, request, _account(email))
