from django.urls import path

from homeward.indicators import dashboard, views

app_name = "indicators"

urlpatterns = [
    path("", views.indicator_page, name="indicator_page"),
    path("dashboard/", dashboard.dashboard_page, name="dashboard"),
    path("dashboard/records/", dashboard.records_page, name="records"),
]
