from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "homeward.geo"
    label = "geo"
