from django.urls import path

from homeward.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<uuid:job_uuid>/", views.job_detail, name="job_detail"),
    path("<uuid:job_uuid>/import/", views.job_commit, name="job_commit"),
]
