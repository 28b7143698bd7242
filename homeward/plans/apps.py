from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "homeward.plans"
    label = "plans"
