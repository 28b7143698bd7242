from django.urls import path

from homeward.access import views

app_name = "access"

urlpatterns = [
    path("break-glass/", views.break_glass, name="break_glass"),
    path("children/<uuid:child_uuid>/share/", views.share_create, name="share_create"),
    path("shares/<uuid:share_uuid>/revoke/", views.share_revoke, name="share_revoke"),
]
