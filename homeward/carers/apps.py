from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "homeward.carers"
    label = "carers"
