from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "homeward.core"
    label = "core"

    def ready(self) -> None:
        from homeward.core import lookups  # noqa: F401  (registers ``__any_of``)
