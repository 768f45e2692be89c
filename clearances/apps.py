from django.apps import AppConfig


class ClearancesConfig(AppConfig):
    name = "clearances"
    verbose_name = "Medical clearances"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from clearances.models import Clearance, ClearanceLetter

        auditlog.register(Clearance)
        auditlog.register(ClearanceLetter)
