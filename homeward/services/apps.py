from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "homeward.services"
    label = "services"
