from django.urls import path

from homeward.institutions import views

app_name = "institutions"

urlpatterns = [
    path("", views.institution_list, name="institution_list"),
    path("<uuid:institution_uuid>/", views.institution_detail, name="institution_detail"),
    path("<uuid:institution_uuid>/admit/", views.resident_admit, name="resident_admit"),
    path(
        "residences/<uuid:residence_uuid>/discharge/",
        views.resident_discharge,
        name="resident_discharge",
    ),
]
