import json
import logging
import re
from urllib.parse import urlsplit

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

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


CSP_REPORT_MAX_BYTES = 8 * 1024
csp_logger = logging.getLogger("clinic.csp")


@csrf_exempt
@require_POST
def csp_report(request):
    """A browser reports what the Content-Security-Policy blocked.

    The log line names the directive and the blocked resource's host (or a
    keyword such as "inline") and nothing else: the page's address, the
    referrer and the script sample may hold a client's data.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = CSP_REPORT_MAX_BYTES + 1
    if length > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    try:
        reports = _csp_reports(json.loads(request.read(CSP_REPORT_MAX_BYTES + 1)))
    except (ValueError, TypeError, AttributeError):
        return HttpResponse(status=400)
    for directive, blocked in reports[:10]:
        csp_logger.warning("CSP violation: %s blocked %s", directive, blocked)
    return HttpResponse(status=204)


def _csp_reports(payload) -> list[tuple[str, str]]:
    """(directive, blocked host) of each report, from either report format."""
    if isinstance(payload, dict) and isinstance(payload.get("csp-report"), dict):
        body = payload["csp-report"]
        items = [
            (
                body.get("effective-directive") or body.get("violated-directive"),
                body.get("blocked-uri"),
            )
        ]
    elif isinstance(payload, list):  # the Reporting API: application/reports+json
        items = [
            (entry["body"].get("effectiveDirective"), entry["body"].get("blockedURL"))
            for entry in payload
            if isinstance(entry, dict) and isinstance(entry.get("body"), dict)
        ]
    else:
        raise ValueError("not a CSP report")
    return [(_directive(directive), _blocked_host(blocked)) for directive, blocked in items]


def _directive(value) -> str:
    text = str(value or "-")
    return text if re.fullmatch(r"[a-z-]{1,40}", text) else "(unrecognised)"


def _blocked_host(value) -> str:
    """The host of a blocked URL, or the keyword a browser sends instead ("inline", "eval")."""
    text = str(value or "")
    if re.fullmatch(r"[a-z-]{1,20}", text):
        return text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        host = None
    if host and re.fullmatch(r"[a-z0-9.-]{1,253}", host):
        return host
    return "(unrecognised)"
