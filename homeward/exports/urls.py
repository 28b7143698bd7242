from django.urls import path

from homeward.exports import views

app_name = "exports"

urlpatterns = [
    path("children/", views.children_export, name="children"),
    path("indicator/", views.indicator_export, name="indicator"),
    path("indicators/", views.indicators_standard, name="indicators_standard"),
    path("<uuid:job_uuid>/", views.job_detail, name="job_detail"),
    path("<uuid:job_uuid>/download/", views.job_download, name="job_download"),
]
