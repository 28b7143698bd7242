from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "homeward.audit"
    label = "audit"

    def ready(self) -> None:
        from homeward.audit import receivers  # noqa: F401  (connects the login/logout records)
