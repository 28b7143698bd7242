from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "homeward.carers"
    label = "carers"

    def ready(self) -> None:
        from django.core import checks

        from homeward.carers.checks import required_checks_are_known

        checks.register(required_checks_are_known)
