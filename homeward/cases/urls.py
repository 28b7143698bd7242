from django.urls import path

from homeward.cases import views

app_name = "cases"

urlpatterns = [
    path("children/<uuid:child_uuid>/consents/new/", views.consent_create, name="consent_create"),
    path("consents/<uuid:consent_uuid>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
