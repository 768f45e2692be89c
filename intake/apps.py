from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = "Intakes"

    def ready(self) -> None:
        from intake.audit import register_audited_models

        register_audited_models()
