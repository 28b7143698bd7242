from django.urls import path

from homeward.care import views

app_name = "care"

urlpatterns = [
    path(
        "children/<uuid:child_uuid>/gatekeeping/new/",
        views.gatekeeping_create,
        name="gatekeeping_create",
    ),
    path(
        "children/<uuid:child_uuid>/placements/new/",
        views.placement_create,
        name="placement_create",
    ),
    path("placements/<uuid:placement_uuid>/end/", views.placement_end, name="placement_end"),
    path(
        "placements/<uuid:placement_uuid>/review/",
        views.placement_review,
        name="placement_review",
    ),
]
