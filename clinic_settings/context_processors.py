from clinic_settings.models import ClinicSettings


def clinic(request):
    return {"clinic": ClinicSettings.load()}
