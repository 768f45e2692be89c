"""The clinic's logo and brand colour, served by the app itself (no inline style: the CSP)."""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from clinic_settings.models import ClinicSettings

CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
}


@require_GET
def logo(request):
    clinic = ClinicSettings.load()
    if not clinic.logo:
        raise Http404("No logo.")
    extension = clinic.logo.name.rsplit(".", 1)[-1].lower()
    try:
        file = clinic.logo.open("rb")
    except FileNotFoundError as missing:
        raise Http404("No logo.") from missing
    response = FileResponse(file, content_type=CONTENT_TYPES.get(extension, "image/png"))
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def brand_css(request):
    """The brand colour as a CSS custom property (static/css/clinic.css uses it)."""
    clinic = ClinicSettings.load()
    # The model validates the colour as #rrggbb, so nothing else reaches the stylesheet.
    css = f":root {{ --clinic-brand: {clinic.brand_colour}; }}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return response
