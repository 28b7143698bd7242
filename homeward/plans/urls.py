from django.urls import path

from homeward.plans import views

app_name = "plans"

urlpatterns = [
    path("cases/<uuid:case_uuid>/new/", views.plan_create, name="plan_create"),
    path("<uuid:plan_uuid>/", views.plan_detail, name="plan_detail"),
    path("<uuid:plan_uuid>/goals/new/", views.goal_add, name="goal_add"),
    path(
        "<uuid:plan_uuid>/goals/<uuid:goal_uuid>/actions/new/",
        views.action_add,
        name="action_add",
    ),
    path("actions/<uuid:action_uuid>/status/", views.action_status, name="action_status"),
    path("<uuid:plan_uuid>/submit/", views.plan_submit, name="plan_submit"),
    path("<uuid:plan_uuid>/decide/", views.plan_decide, name="plan_decide"),
    path("<uuid:plan_uuid>/review/", views.plan_review, name="plan_review"),
    path("<uuid:plan_uuid>/pdf/", views.plan_print, name="plan_print"),
]
