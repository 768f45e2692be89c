from accounts import sessions
from accounts.roles import Role, role_of


def role(request):
    user = getattr(request, "user", None)
    current = role_of(user) if user is not None else None
    context = {"role": current, "Role": Role}
    if user is not None and user.is_authenticated and hasattr(request, "session"):
        # Read by static/js/session_timeout.js, which warns a minute before the end.
        context["session_seconds_left"] = sessions.seconds_left(request.session, user)
    return context
