from django.urls import path

from homeward.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.proposal_list, name="proposal_list"),
    path("proposals/<uuid:proposal_uuid>/", views.proposal_detail, name="proposal_detail"),
    path("children/<uuid:child_uuid>/", views.child_matches, name="child_matches"),
    path("children/<uuid:child_uuid>/needs/", views.needs_edit, name="needs_edit"),
    path("matches/<uuid:match_uuid>/accept/", views.match_accept, name="match_accept"),
    path("matches/<uuid:match_uuid>/reject/", views.match_reject, name="match_reject"),
    path("matches/<uuid:match_uuid>/change/", views.match_change, name="match_change"),
    path("weights/", views.weights_list, name="weights_list"),
    path("weights/<str:region_code>/", views.weights_edit, name="weights_edit"),
]
