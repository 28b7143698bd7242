from django.urls import path

from homeward.indicators import views

app_name = "indicators"

urlpatterns = [path("", views.indicator_page, name="indicator_page")]
