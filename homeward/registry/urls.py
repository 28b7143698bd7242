from django.urls import path

from homeward.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.child_list, name="child_list"),
    path("new/", views.child_create, name="child_create"),
    path("<uuid:child_uuid>/", views.child_detail, name="child_detail"),
    path("<uuid:child_uuid>/edit/", views.child_update, name="child_update"),
    path(
        "<uuid:child_uuid>/subject-access/",
        views.child_subject_access,
        name="child_subject_access",
    ),
    path("<uuid:child_uuid>/relatives/new/", views.child_relative_add, name="child_relative_add"),
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<uuid:household_uuid>/", views.household_detail, name="household_detail"),
    path(
        "households/<uuid:household_uuid>/edit/",
        views.household_update,
        name="household_update",
    ),
    path("persons/<uuid:person_uuid>/", views.person_detail, name="person_detail"),
    path("persons/<uuid:person_uuid>/edit/", views.person_update, name="person_update"),
]
