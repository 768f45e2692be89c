"""Session clocks: signed out after a spell without requests, and at the latest 12 hours in.

Two timestamps in the session: when the person signed in, and when their last request came.
Staff time out sooner than clients (settings.SESSION_IDLE_TIMEOUT_STAFF / _CLIENT). The
page warns a minute before (static/js/session_timeout.js) and can keep the session alive.
"""

import time

from django.conf import settings

from accounts.roles import Role, role_of

SIGNED_IN_AT = "clinic_signed_in_at"
LAST_SEEN_AT = "clinic_last_seen_at"


def start_clock(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now
    from accounts.adapters import has_second_factor, is_staff_role
    from accounts.middleware import StaffTwoFactorMiddleware

    if is_staff_role(user) and has_second_factor(user):
        request.session[StaffTwoFactorMiddleware.CHECKED] = user.pk


def idle_timeout(user) -> int:
    if role_of(user) in (Role.THERAPIST, Role.ADMIN):
        return settings.SESSION_IDLE_TIMEOUT_STAFF
    return settings.SESSION_IDLE_TIMEOUT_CLIENT


def seconds_left(session, user, now: float | None = None) -> int:
    """Seconds until this session ends, whichever limit comes first (0 when it has)."""
    now = time.time() if now is None else now
    signed_in = session.get(SIGNED_IN_AT, now)
    last_seen = session.get(LAST_SEEN_AT, now)
    idle_end = last_seen + idle_timeout(user)
    absolute_end = signed_in + settings.SESSION_ABSOLUTE_TIMEOUT
    return max(0, int(min(idle_end, absolute_end) - now))


def expired_reason(session, user, now: float | None = None) -> str | None:
    now = time.time() if now is None else now
    if now - session.get(SIGNED_IN_AT, now) >= settings.SESSION_ABSOLUTE_TIMEOUT:
        hours = settings.SESSION_ABSOLUTE_TIMEOUT // 3600
        return f"You were signed out {hours} hours after signing in. Please sign in again."
    if now - session.get(LAST_SEEN_AT, now) >= idle_timeout(user):
        minutes = idle_timeout(user) // 60
        return f"You were signed out after {minutes} minutes without activity."
    return None


# A request within this many seconds of the last noted one is not written down again: the
# session is saved (a database write) at most once per spell, not on every request.
TOUCH_EVERY = 15


def touch(session, now: float | None = None, *, force: bool = False) -> None:
    now = int(time.time() if now is None else now)
    if SIGNED_IN_AT not in session:
        session[SIGNED_IN_AT] = now
    if force or now - session.get(LAST_SEEN_AT, 0) >= TOUCH_EVERY:
        session[LAST_SEEN_AT] = now


def end_sessions_without_second_factor(sender, instance, **kwargs) -> None:
    """A member of staff whose last second factor was removed (a lost phone, in the admin) is
    signed out everywhere, and sets up a new one at their next sign-in."""
    from accounts.adapters import has_second_factor, is_staff_role
    from accounts.roles import end_sessions

    user = instance.user
    if is_staff_role(user) and not has_second_factor(user):
        end_sessions(user)
