from django.db import InterfaceError, OperationalError
from django.utils import timezone

from clinic_settings.models import ClinicSettings, _current

# Pages that must answer without the clinic's settings (the health check reports the database).
SKIPPED = ("/healthz", "/csp-report", "/static/")


class ClinicSettingsMiddleware:
    """Reads the clinic settings once a request and activates the clinic's time zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(SKIPPED):
            return self.get_response(request)
        try:
            clinic = ClinicSettings.load()
        except (OperationalError, InterfaceError):
            # The view's own first query meets the same trouble and answers the 503 page.
            return self.get_response(request)
        token = _current.set(clinic)
        zone = clinic.zone()
        if zone is not None:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            if zone is not None:
                timezone.deactivate()
            _current.reset(token)
