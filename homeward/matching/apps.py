from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "homeward.matching"
    label = "matching"
