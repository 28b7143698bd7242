from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "homeward.institutions"
    label = "institutions"
