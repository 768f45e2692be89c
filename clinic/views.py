from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import Role, role_of

ROLE_HOME = {
    Role.ADMIN: "admin:index",
    Role.THERAPIST: "intake:review_queue",
    Role.CLIENT: "intake:client_home",
}


@require_GET
def home(request):
    """Send each person to the home of their role."""
    if not request.user.is_authenticated:
        return redirect("login")
    role = role_of(request.user)
    if role is None:
        return redirect("account")
    return redirect(ROLE_HOME[role])


@never_cache
@require_GET
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
