from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "homeward.indicators"
    label = "indicators"
